import type { AccountUsage } from './state/pool-state';

/**
 * What `AccountPool.pick()` knows of cool-downs: those set by
 * `markThrottled`, those `run()` saw a release report, and those the state
 * reported (a refusal, `stats()`). Synchronous, so `pick()` stays so; the
 * state stays the authority for `run()`.
 */
export class CoolDownBook {
  readonly #until = new Map<number, number>();

  /** Account n cools down until `until` (epoch ms), replacing what was known. */
  set(n: number, until: number): void {
    this.#until.set(n, until);
  }

  /** Whether account n is cooling down at `now`. */
  isCoolingDown(n: number, now: number): boolean {
    return (this.#until.get(n) ?? 0) > now;
  }

  /** Keeps the book in step with what the state said. */
  mirror(usage: readonly AccountUsage[]): void {
    for (const u of usage) this.#until.set(u.index, u.throttledUntil);
  }
}
