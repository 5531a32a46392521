import type {
  AccountCandidates,
  AccountPickStrategy,
  AccountPoolState,
} from './account-pick-strategy';
import { candidateTest } from './candidate-test';

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

  /**
   * The candidates in cyclic order from the one after the cursor (the first
   * `accounts.limit` of them, when set); the cursor moves to the first, so
   * consecutive calls start on consecutive accounts.
   */
  rank(accounts: AccountCandidates): number[] {
    const isCandidate = candidateTest(accounts);
    const limit = accounts.limit ?? accounts.count;
    const order: number[] = [];
    for (let step = 0; step < accounts.count && order.length < limit; step++) {
      const n = ((this.cursor + step) % accounts.count) + 1;
      if (isCandidate(n)) order.push(n);
    }
    if (order.length > 0) this.cursor = order[0] as number;
    return order;
  }
}
