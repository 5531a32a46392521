import { type Clock, type Logger, messageOf } from '@credchain/core';
import type { AccountUsage, PoolLease, PoolState } from './state/pool-state';

/** {@link LeaseBroker.acquire}'s answer. */
export type BrokerResult =
  | { readonly lease: PoolLease }
  /**
   * Every preferred cell is cooling down, and none ends by the request's
   * `waitUntil`: waiting would not help (in cell order, every cell).
   */
  | { readonly exhausted: readonly AccountUsage[] };

/** How one {@link LeaseBroker.acquire} call may be served. */
export interface BrokerRequest {
  /** Units of a cell's capacity to take. @default 1 */
  readonly weight?: number;
  /**
   * When every preferred cell is cooling down: wait for the earliest to end
   * if it ends by this time (epoch ms, the broker's clock), else answer
   * `exhausted`. @default never wait for a cool-down
   */
  readonly waitUntil?: number;
}

/** A refusal's usage by cell number, and the `now` it was asked at. */
interface Refusal {
  readonly byCell: ReadonlyMap<number, AccountUsage>;
  readonly now: number;
}

/** {@link LeaseBroker}'s internal answer: a result, or "wait" with what the refusal showed. */
type Answer = BrokerResult | { readonly wait: Refusal };

interface Waiter {
  readonly preference: readonly number[];
  readonly request: BrokerRequest;
  readonly signal: AbortSignal | undefined;
  readonly settle: (result: BrokerResult) => void;
  readonly fail: (error: unknown) => void;
  readonly detach: () => void;
}

/**
 * Hands out leases from a {@link PoolState}, making callers wait in FIFO
 * order while every cell they may use is full (or, within their
 * `waitUntil`, cooling down).
 *
 * Waiters are re-tried in arrival order whenever the state says capacity may
 * have freed, and on a timer (so a store that cannot observe other
 * processes, or a cool-down that ends, still wakes them; the timer fires when
 * the earliest known cool-down ends if that is sooner than `pollMs`). A
 * waiter whose cells are all cooling down gets `exhausted` unless one ends by
 * its `waitUntil`; an aborted waiter leaves the queue at once, so the ones
 * behind it move up.
 *
 * FIFO holds for weighted requests too: within a pass, the cells a refused
 * waiter could use are kept from the waiters behind it, so a light request
 * never takes the units a heavier one ahead of it is waiting for.
 */
export class LeaseBroker {
  readonly #queue: Waiter[] = [];
  #unsubscribe: (() => void) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #pumping = false;
  #again = false;
  /** Every account's usage from the latest refusal: when the next cool-down ends. */
  #lastRefusal: readonly AccountUsage[] | undefined;

  /**
   * @param capacity units per cell, read at every try (the pool may change
   *   it in place, e.g. after discovering capacity).
   * @param regions the pool's regions (cells in {@link PoolState} order), if any.
   */
  constructor(
    private readonly state: PoolState,
    private readonly capacity: readonly number[],
    private readonly clock: Clock,
    private readonly pollMs: number,
    private readonly logger: Logger,
    private readonly regions?: readonly string[],
  ) {}

  /** How many calls are waiting for a place. */
  get waiting(): number {
    return this.#queue.length;
  }

  /**
   * A lease on the first cell of `preference` the state grants, waiting
   * (FIFO) while they are all full. Rejects with `signal.reason` when the
   * signal aborts first; a lease granted in that race is released.
   */
  async acquire(
    preference: readonly number[],
    signal?: AbortSignal,
    request: BrokerRequest = {},
  ): Promise<BrokerResult> {
    signal?.throwIfAborted();
    if (this.#queue.length === 0) {
      const answer = await this.#try(preference, preference, request);
      if (signal?.aborted) {
        // Aborted while the state answered: the abort wins, the place goes back.
        if ('lease' in answer) await this.#giveBack(answer.lease);
        signal.throwIfAborted();
      }
      if (!('wait' in answer)) return answer;
    }
    // Not aborted here: checked above, and after the only await.
    return new Promise<BrokerResult>((resolve, reject) => {
      // Subscribed before queueing: a store that throws here leaves no waiter behind.
      this.#unsubscribe ??= this.state.onRelease(() => this.#wake());
      const onAbort = () => {
        const at = this.#queue.indexOf(waiter);
        if (at !== -1) this.#queue.splice(at, 1);
        this.#idleCheck();
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        preference,
        request,
        signal,
        settle: resolve,
        fail: reject,
        detach: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.push(waiter);
      // A release may have happened between our refusal and now.
      this.#wake();
    });
  }

  /** Re-tries the waiting calls now (e.g. after their cells' capacity changed). */
  wake(): void {
    this.#wake();
  }

  #wake(): void {
    if (this.#pumping) {
      this.#again = true;
      return;
    }
    // Never an unhandled rejection: the waiters' own errors are delivered
    // to them; anything else is the broker's, reported and retried by the timer.
    this.#pump().catch((error: unknown) =>
      this.logger.debug(`account pool: waking waiting calls failed: ${messageOf(error)}`),
    );
  }

  async #pump(): Promise<void> {
    this.#pumping = true;
    try {
      do {
        this.#again = false;
        // What this pass's latest refusal showed: a waiter whose cells were
        // all full or cooling down, at least one full, would be refused too,
        // so it is not asked (one store round trip per pass instead of one per
        // waiter). A waiter whose cells are all cooling down is asked: it
        // must learn at once whether waiting will help.
        let shown: Refusal | undefined;
        // Cells a refused waiter could use (not cooling down): FIFO keeps
        // them from the waiters behind it in this pass.
        const blocked = new Set<number>();
        for (const waiter of [...this.#queue]) {
          // A place may have freed since the waiters before this one were
          // refused: start again from the head, so that they go first.
          if (this.#again) break;
          if (!this.#queue.includes(waiter)) continue;
          const weight = waiter.request.weight ?? 1;
          // Capacity may have changed while it waited (discoverCapacity):
          // only cells that can hold its weight now count, and a waiter no
          // cell can hold any more is told so rather than kept for ever.
          const fits = waiter.preference.filter((n) => (this.capacity[n - 1] ?? 0) >= weight);
          if (fits.length === 0 && waiter.preference.length > 0) {
            this.#remove(waiter);
            waiter.fail(
              new RangeError(
                `the weight option of run() is ${weight}, above the capacity every cell it may use has now: no cell could ever run this call`,
              ),
            );
            continue;
          }
          const open = fits.filter((n) => !blocked.has(n));
          if (open.length === 0 && fits.length > 0) continue;
          if (shown && this.#wouldWait(open, shown, weight)) {
            this.#block(blocked, open, shown);
            continue;
          }
          let answer: Answer;
          try {
            answer = await this.#try(open, fits, waiter.request);
          } catch (error) {
            this.#remove(waiter);
            waiter.fail(error);
            continue;
          }
          if (!this.#queue.includes(waiter)) {
            // Aborted while the state answered: the place goes back.
            if ('lease' in answer) await this.#giveBack(answer.lease);
            continue;
          }
          if ('wait' in answer) {
            shown = answer.wait;
            this.#block(blocked, open, shown);
            continue;
          }
          this.#remove(waiter);
          waiter.settle(answer);
        }
      } while (this.#again);
    } finally {
      this.#pumping = false;
      this.#idleCheck();
    }
  }

  /**
   * Asks the state for a cell of `open` (the waiter's preference less the
   * cells kept for waiters ahead of it); judges a refusal on the whole
   * `preference`: all cooling down, none ending by `waitUntil` → exhausted.
   */
  async #try(
    open: readonly number[],
    preference: readonly number[],
    request: BrokerRequest,
  ): Promise<Answer> {
    const now = this.clock.now();
    const { weight } = request;
    const answer = await this.state.acquire({
      preference: open,
      capacity: this.capacity,
      now,
      ...(weight !== undefined && weight !== 1 && { weight }),
      ...(this.regions !== undefined && { regions: this.regions }),
    });
    if (answer.acquired) return { lease: answer.lease };
    // Refusals list every cell in cell order: cell n is entry n - 1.
    const byCell = new Map(answer.usage.map((u, i) => [i + 1, u]));
    const until = (n: number) => byCell.get(n)?.throttledUntil ?? 0;
    if (preference.every((n) => until(n) > now)) {
      const earliest = Math.min(...preference.map(until));
      if (!(earliest <= (request.waitUntil ?? Number.NEGATIVE_INFINITY))) {
        return { exhausted: answer.usage };
      }
    }
    this.#lastRefusal = answer.usage;
    return { wait: { byCell, now } };
  }

  /** Whether `preference` is all full or cooling down in `refusal`, one at least too full for `weight`. */
  #wouldWait(preference: readonly number[], refusal: Refusal, weight: number): boolean {
    let full = false;
    for (const n of preference) {
      const usage = refusal.byCell.get(n);
      if (usage === undefined) return false;
      if (usage.throttledUntil > refusal.now) continue;
      if (usage.inFlight + weight <= (this.capacity[n - 1] ?? 0)) return false;
      full = true;
    }
    return full;
  }

  /** Keeps the cells of `preference` not cooling down in `refusal` for the waiter refused. */
  #block(blocked: Set<number>, preference: readonly number[], refusal: Refusal): void {
    for (const n of preference) {
      if ((refusal.byCell.get(n)?.throttledUntil ?? 0) <= refusal.now) blocked.add(n);
    }
  }

  async #giveBack(lease: PoolLease): Promise<void> {
    try {
      await this.state.release(lease, { kind: 'failure' });
    } catch {
      // The lease was never used; a store with TTLs lets it expire.
    }
  }

  #remove(waiter: Waiter): void {
    const at = this.#queue.indexOf(waiter);
    if (at !== -1) this.#queue.splice(at, 1);
    waiter.detach();
  }

  /** Keeps the subscription and the timer only while someone waits. */
  #idleCheck(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#queue.length === 0) {
      const unsubscribe = this.#unsubscribe;
      this.#unsubscribe = undefined;
      this.#lastRefusal = undefined;
      try {
        unsubscribe?.();
      } catch (error) {
        // Called from an abort listener or the pump: a throw must not escape.
        this.logger.debug(
          `account pool: could not unsubscribe from the state: ${messageOf(error)}`,
        );
      }
      return;
    }
    if (this.#pumping) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#wake();
    }, this.#nextPollMs());
    // Waiting alone must not keep a process alive; the leases it waits for do.
    this.#timer.unref?.();
  }

  /** `pollMs`, or less when a cool-down the latest refusal showed ends sooner. */
  #nextPollMs(): number {
    let delay = this.pollMs;
    const now = this.clock.now();
    for (const u of this.#lastRefusal ?? []) {
      if (u.throttledUntil > now) delay = Math.min(delay, u.throttledUntil - now);
    }
    return Math.max(1, Math.ceil(delay));
  }
}
