import type {
  AccountCandidates,
  AccountPickStrategy,
  AccountPoolState,
} from './account-pick-strategy';
import { availableAccounts } from './available-accounts';

/** The account picked longest ago (never-picked first, lowest number on ties). */
export class LeastRecentlyUsedStrategy implements AccountPickStrategy {
  readonly name = 'least-recently-used';

  pick(pool: AccountPoolState): number {
    let best = 0;
    let bestSeen = Number.POSITIVE_INFINITY;
    for (const n of availableAccounts(pool)) {
      const seen = pool.lastPicked(n);
      if (seen < bestSeen) {
        best = n;
        bestSeen = seen;
      }
    }
    return best;
  }

  /**
   * The candidates from the least recently used (never used first, lowest
   * number on ties); with `accounts.limit` and `byRecency`, only the first
   * `limit`, read in recency order without sorting every cell.
   */
  rank(accounts: AccountCandidates): number[] {
    const { byRecency, isCandidate, limit } = accounts;
    if (byRecency && isCandidate && limit !== undefined) {
      const order: number[] = [];
      for (const n of byRecency()) {
        if (order.length >= limit) break;
        if (isCandidate(n)) order.push(n);
      }
      return order;
    }
    return [...accounts.candidates].sort(
      (a, b) => accounts.lastPicked(a) - accounts.lastPicked(b) || a - b,
    );
  }
}
