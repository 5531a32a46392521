import type { AccountUsage } from './state/pool-state';

/**
 * What the pool knows of cool-downs without asking its state, by cell
 * number (the account's number for a pool without regions): those set by
 * `markThrottled`, those `run()` saw a release report, and those the state
 * reported (a refusal, `stats()`). Synchronous, so `pick()` stays so; the
 * state stays the authority for `run()`.
 */
export class CoolDownBook {
  readonly #until = new Map<number, number>();

  /** Cell n cools down until `until` (epoch ms), replacing what was known. */
  set(n: number, until: number): void {
    this.#until.set(n, until);
  }

  /** The end of cell n's cool-down as known here (0 when none). */
  until(n: number): number {
    return this.#until.get(n) ?? 0;
  }

  /** Whether cell n is cooling down at `now`. */
  isCoolingDown(n: number, now: number): boolean {
    return this.until(n) > now;
  }

  /** Keeps the book in step with what the state said (usage in cell order: entry i is cell i + 1). */
  mirror(usage: readonly AccountUsage[]): void {
    for (const [i, u] of usage.entries()) this.#until.set(i + 1, u.throttledUntil);
  }
}
