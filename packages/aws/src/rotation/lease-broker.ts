import type { Clock } from '@credchain/core';
import type { AccountUsage, PoolLease, PoolState } from './state/pool-state';

/** {@link LeaseBroker.acquire}'s answer. */
export type BrokerResult =
  | { readonly lease: PoolLease }
  /** Every preferred account is cooling down: waiting would not help. */
  | { readonly exhausted: readonly AccountUsage[] };

interface Waiter {
  readonly preference: readonly number[];
  readonly signal: AbortSignal | undefined;
  readonly settle: (result: BrokerResult) => void;
  readonly fail: (error: unknown) => void;
  readonly detach: () => void;
}

/**
 * Hands out leases from a {@link PoolState}, making callers wait in FIFO
 * order while every account they may use is full.
 *
 * Waiters are re-tried in arrival order whenever the state says capacity may
 * have freed, and on a timer (so a store that cannot observe other
 * processes, or a cool-down that ends, still wakes them). A waiter whose
 * accounts are all cooling down gets `exhausted`; an aborted waiter leaves
 * the queue at once, so the ones behind it move up.
 */
export class LeaseBroker {
  readonly #queue: Waiter[] = [];
  #unsubscribe: (() => void) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #pumping = false;
  #again = false;

  constructor(
    private readonly state: PoolState,
    private readonly capacity: readonly number[],
    private readonly clock: Clock,
    private readonly pollMs: number,
  ) {}

  /** How many calls are waiting for a place. */
  get waiting(): number {
    return this.#queue.length;
  }

  /**
   * A lease on the first account of `preference` the state grants, waiting
   * (FIFO) while they are all full. Rejects with `signal.reason` when the
   * signal aborts first; a lease granted in that race is released.
   */
  async acquire(preference: readonly number[], signal?: AbortSignal): Promise<BrokerResult> {
    signal?.throwIfAborted();
    if (this.#queue.length === 0) {
      const result = await this.#try(preference);
      if (result !== WAIT && 'lease' in result && signal?.aborted) {
        await this.#giveBack(result.lease);
        signal.throwIfAborted();
      }
      if (result !== WAIT) return result;
    }
    return new Promise<BrokerResult>((resolve, reject) => {
      const onAbort = () => {
        const at = this.#queue.indexOf(waiter);
        if (at !== -1) this.#queue.splice(at, 1);
        this.#idleCheck();
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        preference,
        signal,
        settle: resolve,
        fail: reject,
        detach: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.push(waiter);
      this.#unsubscribe ??= this.state.onRelease(() => this.#wake());
      // A release may have happened between our refusal and now.
      this.#wake();
    });
  }

  #wake(): void {
    if (this.#pumping) {
      this.#again = true;
      return;
    }
    void this.#pump();
  }

  async #pump(): Promise<void> {
    this.#pumping = true;
    try {
      do {
        this.#again = false;
        // Preferences refused in this pass: a waiter asking for a subset of
        // one would be refused too, so it is not asked (one store round trip
        // per pass instead of one per waiter). Anything that frees a place
        // wakes another pass.
        const refused: (readonly number[])[] = [];
        for (const waiter of [...this.#queue]) {
          if (!this.#queue.includes(waiter)) continue;
          if (refused.some((set) => waiter.preference.every((n) => set.includes(n)))) continue;
          let result: BrokerResult | typeof WAIT;
          try {
            result = await this.#try(waiter.preference);
          } catch (error) {
            this.#remove(waiter);
            waiter.fail(error);
            continue;
          }
          if (!this.#queue.includes(waiter)) {
            // Aborted while the state answered: the place goes back.
            if (result !== WAIT && 'lease' in result) await this.#giveBack(result.lease);
            continue;
          }
          if (result === WAIT) {
            refused.push(waiter.preference);
            continue;
          }
          this.#remove(waiter);
          waiter.settle(result);
        }
      } while (this.#again);
    } finally {
      this.#pumping = false;
      this.#idleCheck();
    }
  }

  async #try(preference: readonly number[]): Promise<BrokerResult | typeof WAIT> {
    const now = this.clock.now();
    const answer = await this.state.acquire({ preference, capacity: this.capacity, now });
    if (answer.acquired) return { lease: answer.lease };
    const byIndex = new Map(answer.usage.map((u) => [u.index, u]));
    const coolingDown = (n: number) => (byIndex.get(n)?.throttledUntil ?? 0) > now;
    return preference.every(coolingDown) ? { exhausted: answer.usage } : WAIT;
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
      this.#unsubscribe?.();
      this.#unsubscribe = undefined;
      return;
    }
    if (this.#pumping) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#wake();
    }, this.pollMs);
    // Waiting alone must not keep a process alive; the leases it waits for do.
    this.#timer.unref?.();
  }
}

/** "Everything preferred is full": keep waiting. */
const WAIT = Symbol('wait');
