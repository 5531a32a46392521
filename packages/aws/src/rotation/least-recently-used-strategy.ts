import type { AccountPickStrategy, AccountPoolState } from './account-pick-strategy';
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
}
