import type { AccountPickStrategy, AccountPoolState } from './account-pick-strategy';
import { availableAccounts } from './available-accounts';

/** A uniformly random account not cooling down (the reference system's choice). */
export class RandomStrategy implements AccountPickStrategy {
  readonly name = 'random';

  /** @param random numbers in [0, 1); inject a seeded one for tests. */
  constructor(private readonly random: () => number = Math.random) {}

  pick(pool: AccountPoolState): number {
    const candidates = availableAccounts(pool);
    const index = Math.min(candidates.length - 1, Math.floor(this.random() * candidates.length));
    return candidates[index] as number;
  }
}
