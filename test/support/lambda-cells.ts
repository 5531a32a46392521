/**
 * The Lambda-like server's books: concurrency per cell (an account in a
 * Region, as Lambda counts it), per-account totals, throttles scripted per
 * cell, and a log of every request a cell received. Numbers and key ids of
 * fake accounts only.
 */

/** Lambda's `Reason` values for a 429 (`ThrottleReason` of `@aws-sdk/client-lambda`). */
export type LambdaThrottleReason =
  | 'ConcurrentInvocationLimitExceeded'
  | 'ReservedFunctionConcurrentInvocationLimitExceeded'
  | 'CallerRateLimitExceeded'
  | 'FunctionInvocationRateLimitExceeded'
  | 'ReservedFunctionInvocationRateLimitExceeded';

/** An account in a Region: what Lambda counts concurrency in. */
export interface LambdaCell {
  readonly accessKeyId: string;
  readonly region: string;
}

/** Per access key id, all regions together. */
export interface LambdaAccountStats {
  /** Invocations that ran (200). */
  invocations: number;
  /** Invocations refused with 429. */
  throttled: number;
  /** Requests refused with 403 are not counted here (no account is known for sure). */
  inFlight: number;
  /** The highest number of invocations running at once (all regions). */
  maxConcurrent: number;
}

/** Per cell. */
export interface LambdaCellStats extends LambdaAccountStats {
  /** Units running now: an invocation's event `units` (default 1) summed. */
  units: number;
  /** The most units running at once. */
  maxUnits: number;
}

/** One request a cell received. */
export interface LambdaRequestRecord {
  /** `Date.now()` when it arrived. */
  readonly at: number;
  readonly accessKeyId: string;
  readonly region: string;
  readonly status: 200 | 429;
  readonly reason?: LambdaThrottleReason;
}

/** A throttle a cell answers its next requests with. */
export interface ScriptedThrottle {
  readonly reason: LambdaThrottleReason;
  /** Sent as the `Retry-After` header (seconds). */
  readonly retryAfterSeconds?: number;
  /** How many of the cell's next requests get it. @default 1 */
  readonly times?: number;
}

/** The key of a cell in maps and in `cellStats()`: `"<key id> <region>"`. */
export const cellName = (cell: LambdaCell) => `${cell.accessKeyId} ${cell.region}`;

export class LambdaCells {
  #accounts = new Map<string, LambdaAccountStats>();
  #cells = new Map<string, LambdaCellStats>();
  /** Invocations running per account (all regions), for `maxConcurrent` per account. */
  readonly #runningPerAccount = new Map<string, number>();
  readonly #scripted = new Map<string, { throttle: ScriptedThrottle; left: number }>();
  #log: LambdaRequestRecord[] = [];

  /** The account's totals (created on first use). */
  account(accessKeyId: string): LambdaAccountStats {
    let stats = this.#accounts.get(accessKeyId);
    if (!stats) {
      stats = { invocations: 0, throttled: 0, inFlight: 0, maxConcurrent: 0 };
      this.#accounts.set(accessKeyId, stats);
    }
    stats.inFlight = this.#runningPerAccount.get(accessKeyId) ?? 0;
    return stats;
  }

  /** The cell's numbers (created on first use). */
  cell(cell: LambdaCell): LambdaCellStats {
    const name = cellName(cell);
    let stats = this.#cells.get(name);
    if (!stats) {
      stats = {
        invocations: 0,
        throttled: 0,
        inFlight: 0,
        maxConcurrent: 0,
        units: 0,
        maxUnits: 0,
      };
      this.#cells.set(name, stats);
    }
    return stats;
  }

  /** Answers the cell's next requests with `throttle` (replacing one scripted before). */
  script(cell: LambdaCell, throttle: ScriptedThrottle): void {
    this.#scripted.set(cellName(cell), { throttle, left: throttle.times ?? 1 });
  }

  /** The scripted throttle for this request of the cell, if any (consumes one). */
  takeScripted(cell: LambdaCell): ScriptedThrottle | undefined {
    const name = cellName(cell);
    const scripted = this.#scripted.get(name);
    if (!scripted) return undefined;
    if (--scripted.left <= 0) this.#scripted.delete(name);
    return scripted.throttle;
  }

  /** A throttled request. */
  throttled(cell: LambdaCell, reason: LambdaThrottleReason): void {
    this.account(cell.accessKeyId).throttled++;
    this.cell(cell).throttled++;
    this.#log.push({ at: Date.now(), ...cell, status: 429, reason });
  }

  /** An invocation of `units` starts: counted until `end()`. */
  start(cell: LambdaCell, units: number): void {
    this.#log.push({ at: Date.now(), ...cell, status: 200 });
    const running = (this.#runningPerAccount.get(cell.accessKeyId) ?? 0) + 1;
    this.#runningPerAccount.set(cell.accessKeyId, running);
    const account = this.account(cell.accessKeyId);
    account.maxConcurrent = Math.max(account.maxConcurrent, running);
    const stats = this.cell(cell);
    stats.inFlight++;
    stats.units += units;
    stats.maxConcurrent = Math.max(stats.maxConcurrent, stats.inFlight);
    stats.maxUnits = Math.max(stats.maxUnits, stats.units);
  }

  /** The invocation started with `units` ends; `ran` when it answered 200. */
  end(cell: LambdaCell, units: number, ran: boolean): void {
    this.#runningPerAccount.set(
      cell.accessKeyId,
      (this.#runningPerAccount.get(cell.accessKeyId) ?? 1) - 1,
    );
    const stats = this.cell(cell);
    stats.inFlight--;
    stats.units -= units;
    if (ran) {
      stats.invocations++;
      this.account(cell.accessKeyId).invocations++;
    }
  }

  accountSnapshot(): Record<string, LambdaAccountStats> {
    return Object.fromEntries(
      [...this.#accounts.keys()].map((id) => [id, { ...this.account(id) }]),
    );
  }

  cellSnapshot(): Record<string, LambdaCellStats> {
    return Object.fromEntries([...this.#cells].map(([name, stats]) => [name, { ...stats }]));
  }

  /** Every request a cell received (invocations and throttles), in order. */
  log(): LambdaRequestRecord[] {
    return [...this.#log];
  }

  /** Forgets every count (running invocations keep being tracked). */
  reset(): void {
    this.#accounts = new Map();
    for (const stats of this.#cells.values()) {
      Object.assign(stats, {
        invocations: 0,
        throttled: 0,
        maxConcurrent: stats.inFlight,
        maxUnits: stats.units,
      });
    }
    this.#cells = new Map([...this.#cells].filter(([, s]) => s.inFlight > 0));
    this.#log = [];
  }
}
