import { type Clock, type Logger, messageOf } from '@credchain/core';
import type { CapacityFacts } from './run/capacity-facts';
import type {
  AccountUsage,
  AcquireRequest,
  AcquireResult,
  PoolLease,
  PoolState,
} from './state/pool-state';

/** {@link LeaseBroker.acquire}'s answer. */
export type BrokerResult =
  | { readonly lease: PoolLease }
  /**
   * No cell the call may use can serve it, and waiting would not help: all
   * are cooling down past its `waitUntil`, or there is none (every cell's
   * usage, in cell order, read after the refusal).
   */
  | { readonly exhausted: readonly AccountUsage[] };

/** How one {@link LeaseBroker.acquire} call may be served. */
export interface BrokerRequest {
  /** Units of a cell's capacity to take. @default 1 */
  readonly weight?: number;
  /**
   * When every cell the call may use is cooling down: wait for the earliest
   * to end if it ends by this time (epoch ms, the broker's clock), else
   * answer `exhausted`. @default never wait for a cool-down
   */
  readonly waitUntil?: number;
  /** Cells never to lease (tried by this call). */
  readonly exclude?: readonly number[];
}

/** The broker's internal answer: a result, or "wait" (with the first cool-down end seen, 0 if none). */
type Answer = BrokerResult | { readonly wait: number };

interface Waiter {
  readonly preference: readonly number[];
  readonly request: BrokerRequest;
  readonly settle: (result: BrokerResult) => void;
  readonly fail: (error: unknown) => void;
  readonly detach: () => void;
  /** Refused once already (a later pass asks it again only from the head). */
  asked: boolean;
}

/**
 * Hands out leases from a {@link PoolState}, making callers wait in FIFO
 * order while every cell they may use is full (or, within their
 * `waitUntil`, cooling down).
 *
 * A store with a line of its own ({@link PoolState.wait}: the Redis store's
 * fleet-wide one) keeps the waiting calls: one store call per `run()`, and
 * a release hands its place to the next waiter. Otherwise the calls wait
 * here, in this process: they are re-tried in arrival order when the state
 * says capacity may have freed, and on a timer (`pollMs`, or sooner when a
 * cool-down ends); an aborted waiter leaves at once. FIFO holds for
 * weighted calls too: what a refused call waits for is kept from the calls
 * behind it (a refused call of weight above 1 stops the pass; one of weight
 * 1 that may use every cell shows that nothing has room).
 */
export class LeaseBroker {
  readonly #queue: Waiter[] = [];
  #inStore = 0;
  #unsubscribe: (() => void) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #pumping = false;
  #again = false;
  /** The earliest cool-down end the latest pass saw (0: none). */
  #retryAt = 0;

  /** @param regions the pool's regions (cells in {@link PoolState} order), if any. */
  constructor(
    private readonly state: PoolState,
    private readonly capacity: CapacityFacts,
    private readonly clock: Clock,
    private readonly pollMs: number,
    private readonly logger: Logger,
    private readonly regions?: readonly string[],
  ) {}

  /** How many calls are waiting for a place (here, or in the store's line). */
  get waiting(): number {
    return this.#queue.length + this.#inStore;
  }

  /**
   * A lease on a cell the state grants (`preference` first), waiting (FIFO)
   * while they are all full. Rejects with `signal.reason` when the signal
   * aborts first; a lease granted in that race is released.
   */
  async acquire(
    preference: readonly number[],
    signal?: AbortSignal,
    request: BrokerRequest = {},
  ): Promise<BrokerResult> {
    signal?.throwIfAborted();
    if (this.#queue.length === 0) {
      const answer = this.state.wait
        ? await this.#waitInStore(preference, signal, request)
        : await this.#try(preference, request);
      if (signal?.aborted) {
        // Aborted while the state answered: the abort wins, the place goes back.
        if ('lease' in answer) await this.#giveBack(answer.lease);
        signal.throwIfAborted();
      }
      if (!('wait' in answer)) return answer;
    }
    return this.#enqueue(preference, signal, request);
  }

  /** Re-tries the calls waiting here now (e.g. after their cells' capacity changed). */
  wake(): void {
    this.#wake();
  }

  async #waitInStore(
    preference: readonly number[],
    signal: AbortSignal | undefined,
    request: BrokerRequest,
  ): Promise<Answer> {
    this.#inStore++;
    try {
      const { waitUntil } = request;
      const result = await this.state.wait?.(this.#requestOf(preference, request), {
        pollMs: this.pollMs,
        ...(signal !== undefined && { signal }),
        ...(waitUntil !== undefined && { waitUntil }),
      });
      // 'full' from wait(): the store could not keep the call in its line.
      return this.#judge(result as AcquireResult, request);
    } finally {
      this.#inStore--;
    }
  }

  #enqueue(
    preference: readonly number[],
    signal: AbortSignal | undefined,
    request: BrokerRequest,
  ): Promise<BrokerResult> {
    // The signal is not aborted here: acquire() checked it after its last await.
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
        settle: resolve,
        fail: reject,
        detach: () => signal?.removeEventListener('abort', onAbort),
        asked: false,
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.push(waiter);
      // A release may have happened between our refusal and now.
      this.#wake();
    });
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
        this.#retryAt = 0;
        // After a refusal, FIFO keeps its places from the calls behind it:
        // 'asked' — a call of weight 1 that may use every cell found none
        // with room, so the others already refused would be refused again
        // (only calls not yet asked are, to learn whether waiting helps);
        // 'all' — a heavier call waits for units a lighter one could take.
        let blocked: 'no' | 'asked' | 'all' = 'no';
        for (const waiter of [...this.#queue]) {
          // A place may have freed since the waiters before this one were
          // refused: start again from the head, so that they go first.
          if (this.#again) break;
          if (!this.#queue.includes(waiter)) continue;
          if (blocked === 'all' || (blocked === 'asked' && waiter.asked)) continue;
          const weight = waiter.request.weight ?? 1;
          // Capacity may have changed while it waited (discoverCapacity): a
          // waiter no cell can hold any more is told so rather than kept.
          if (weight > this.capacity.max) {
            this.#remove(waiter);
            waiter.fail(
              new RangeError(
                `the weight option of run() is ${weight}, above the capacity every cell it may use has now: no cell could ever run this call`,
              ),
            );
            continue;
          }
          let answer: Answer;
          try {
            answer = await this.#try(waiter.preference, waiter.request);
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
            waiter.asked = true;
            if (answer.wait > 0 && (this.#retryAt === 0 || answer.wait < this.#retryAt)) {
              this.#retryAt = answer.wait;
            }
            if (weight > 1) blocked = 'all';
            else if (!waiter.request.exclude?.length) blocked = 'asked';
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

  async #try(preference: readonly number[], request: BrokerRequest): Promise<Answer> {
    return this.#judge(await this.state.acquire(this.#requestOf(preference, request)), request);
  }

  #requestOf(preference: readonly number[], request: BrokerRequest): AcquireRequest {
    const { weight, exclude } = request;
    return {
      preference,
      capacity: this.capacity.cells,
      capacityRevision: this.capacity.revision(),
      now: this.clock.now(),
      ...(weight !== undefined && weight !== 1 && { weight }),
      ...(exclude !== undefined && exclude.length > 0 && { exclude }),
      ...(this.regions !== undefined && { regions: this.regions }),
    };
  }

  /** A lease; wait (only full, or a cool-down ending by `waitUntil`); or exhausted. */
  async #judge(result: AcquireResult, request: BrokerRequest): Promise<Answer> {
    if (result.acquired) return { lease: result.lease };
    const { refusal, retryAt } = result;
    if (refusal === 'full') return { wait: retryAt };
    if (refusal === 'cooling' && request.waitUntil !== undefined && retryAt <= request.waitUntil) {
      return { wait: retryAt };
    }
    const count = this.capacity.cells.length / (this.regions?.length ?? 1);
    const now = this.clock.now();
    const usage = await (this.regions === undefined
      ? this.state.usage(count, now)
      : this.state.usage(count, now, this.regions));
    return { exhausted: usage };
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

  /** Keeps the subscription and the timer only while someone waits here. */
  #idleCheck(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#queue.length === 0) {
      const unsubscribe = this.#unsubscribe;
      this.#unsubscribe = undefined;
      this.#retryAt = 0;
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
    let delay = this.pollMs;
    if (this.#retryAt > 0) delay = Math.min(delay, this.#retryAt - this.clock.now());
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        this.#wake();
      },
      Math.max(1, Math.ceil(delay)),
    );
    // Waiting alone must not keep a process alive; the leases it waits for do.
    this.#timer.unref?.();
  }
}
