/** Shared by every copy of the package (`Symbol.for`), unlike the class. */
const EXHAUSTED_BRAND = Symbol.for('credchain.AccountsExhaustedError');

/**
 * Whether `value` is an {@link AccountsExhaustedError}, from this copy of the
 * package or another one (a brand check, not `instanceof`).
 */
export function isAccountsExhaustedError(value: unknown): value is AccountsExhaustedError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { [EXHAUSTED_BRAND]?: unknown })[EXHAUSTED_BRAND] === true
  );
}

import type { ThrottleReason } from './throttling/throttle-reason';

/** One cell (an account, or an account in a region) as {@link AccountsExhaustedError} reports it: no key material. */
export interface ExhaustedAccount {
  readonly index: number;
  /** The cell's region; absent for a pool without regions. */
  readonly region?: string;
  /** Redacted, `AKIA…WXYZ`. */
  readonly accessKeyId: string;
  /** Milliseconds until its cool-down ends; 0 when it is not cooling down. */
  readonly coolDownLeftMs: number;
  /** Whether this call was throttled on it. */
  readonly throttledByThisCall: boolean;
  /** Why it is cooling down, when a throttle said so (pools with regions). */
  readonly reason?: ThrottleReason;
  /**
   * Its capacity is below the call's `weight`: the call could never run on
   * it, so {@link AccountsExhaustedError.retryAfterMs} leaves it out.
   */
  readonly tooSmallForThisCall?: true;
}

/**
 * `AccountPool.run` found no cell to run on: each one was throttled by this
 * call or is cooling down (longer than the call's `maxWaitMs`). Names every
 * cell (account, redacted key id, region) with its cool-down left; `cause`
 * is the last throttling error, if any; {@link AccountsExhaustedError.retryAfterMs}
 * says when to try again.
 *
 * @example
 * ```ts
 * try { await pool.run(render); }
 * catch (error) {
 *   if (!isAccountsExhaustedError(error)) throw error;
 *   await setTimeout(error.retryAfterMs); // then queue the render again
 * }
 * ```
 */
export class AccountsExhaustedError extends Error {
  override readonly name = 'AccountsExhaustedError';
  /**
   * Milliseconds until the first cell that can hold the call's weight is
   * usable again (its cool-down ends); 0 when one is not cooling down (e.g.
   * full, or throttled by this call for a reason that does not cool it).
   * Back off this long before calling `run()` again.
   */
  readonly retryAfterMs: number;

  /** A brand on the prototype (not enumerable): recognised across copies of the package. */
  get [EXHAUSTED_BRAND](): true {
    return true;
  }

  constructor(
    readonly accounts: readonly ExhaustedAccount[],
    options?: { cause?: unknown },
  ) {
    const fitting = accounts.filter((a) => a.tooSmallForThisCall !== true);
    const counted = fitting.length > 0 ? fitting : accounts;
    const retryAfterMs =
      counted.length === 0 ? 0 : Math.min(...counted.map((a) => a.coolDownLeftMs));
    const cells = accounts.some((a) => a.region !== undefined);
    const when =
      retryAfterMs > 0
        ? ` (the first is usable again in ${(retryAfterMs / 1000).toFixed(1)} s)`
        : '';
    super(
      `every ${cells ? 'cell (account × region)' : 'account'} of the pool is throttled or cooling down${when}:\n${accounts
        .map((a) => `  - ${cellOf(a)}: ${describe(a)}`)
        .join('\n')}`,
      options,
    );
    this.retryAfterMs = retryAfterMs;
  }
}

function cellOf(account: ExhaustedAccount): string {
  const where = account.region === undefined ? '' : ` in ${account.region}`;
  return `account ${account.index} (${account.accessKeyId})${where}`;
}

function describe(account: ExhaustedAccount): string {
  const why = account.reason === undefined ? '' : ` (${account.reason})`;
  const left =
    account.coolDownLeftMs > 0
      ? `cooling down for ${(account.coolDownLeftMs / 1000).toFixed(1)} s more${why}`
      : 'not cooling down';
  if (account.tooSmallForThisCall) return `too small for this call's weight, ${left}`;
  return account.throttledByThisCall ? `throttled by this call, ${left}` : left;
}
