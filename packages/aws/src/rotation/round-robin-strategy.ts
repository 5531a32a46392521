import type { AccountPickStrategy, AccountPoolState } from './account-pick-strategy';

/** 1, 2, …, count, 1, …, skipping accounts that are cooling down. */
export class RoundRobinStrategy implements AccountPickStrategy {
  readonly name = 'round-robin';
  private cursor = 0;

  pick(pool: AccountPoolState): number {
    for (let step = 0; step < pool.count; step++) {
      const candidate = (this.cursor % pool.count) + 1;
      this.cursor = candidate;
      if (!pool.isCoolingDown(candidate)) return candidate;
    }
    // Every account is cooling down: keep rotating rather than stall.
    const fallback = (this.cursor % pool.count) + 1;
    this.cursor = fallback;
    return fallback;
  }
}
