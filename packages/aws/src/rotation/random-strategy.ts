import type {
  AccountCandidates,
  AccountPickStrategy,
  AccountPoolState,
} from './account-pick-strategy';
import { availableAccounts } from './available-accounts';

/** Draws per cell wanted when sampling; below this ratio of pool to limit, shuffle every candidate. */
const SAMPLE_RATIO = 4;

/** A uniformly random account not cooling down (Remotion's choice). */
export class RandomStrategy implements AccountPickStrategy {
  readonly name = 'random';

  /** @param random numbers in [0, 1); inject a seeded one for tests. */
  constructor(private readonly random: () => number = Math.random) {}

  pick(pool: AccountPoolState): number {
    const candidates = availableAccounts(pool);
    return candidates[this.#below(candidates.length)] as number;
  }

  /**
   * The candidates in a uniformly random order (Fisher–Yates). With
   * `accounts.limit` in a pool much larger than it: `limit` candidates
   * drawn uniformly without replacement (O(limit) draws, not O(count)).
   */
  rank(accounts: AccountCandidates): number[] {
    const { count, isCandidate, limit } = accounts;
    if (isCandidate && limit !== undefined && limit * SAMPLE_RATIO < count) {
      const chosen = new Set<number>();
      for (let draw = 0; draw < limit * SAMPLE_RATIO && chosen.size < limit; draw++) {
        const n = this.#below(count) + 1;
        if (isCandidate(n)) chosen.add(n);
      }
      // Few candidates among many cells (a call that tried most): the state chooses.
      return [...chosen];
    }
    const order = [...accounts.candidates];
    for (let i = order.length - 1; i > 0; i--) {
      const j = this.#below(i + 1);
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    return order;
  }

  /** An integer in [0, n), safe when the source returns its upper edge. */
  #below(n: number): number {
    return Math.min(n - 1, Math.floor(this.random() * n));
  }
}
