import type { AccountCandidates, AccountPickStrategy } from './account-pick-strategy';
import { candidateTest } from './candidate-test';

/**
 * The strategy's order of `accounts.candidates`, at most `accounts.limit`
 * cells when it is set: its `rank()` when it has one (anything foreign or
 * repeated dropped), else its `pick()` among the candidates first and the
 * next candidates in cyclic order after it. Without a limit, the candidates
 * a `rank()` left out are appended (a whole permutation); with one they
 * are not — the pool's state chooses among the others itself, so the cost
 * here is O(limit) for the built-in strategies, whatever the pool's size.
 * No candidates: none, and the strategy is not asked (a `pick()` may well
 * throw when nothing is left).
 */
export function rankCandidates(
  strategy: AccountPickStrategy,
  accounts: AccountCandidates,
): readonly number[] {
  if (accounts.isCandidate === undefined && accounts.candidates.length === 0) return [];
  const { count } = accounts;
  const limit = accounts.limit ?? Number.POSITIVE_INFINITY;
  const isCandidate = candidateTest(accounts);
  const ranked: number[] = [];
  const seen = new Set<number>();
  const take = (n: number) => {
    if (Number.isInteger(n) && !seen.has(n) && isCandidate(n)) {
      seen.add(n);
      ranked.push(n);
    }
  };
  if (strategy.rank) {
    for (const n of strategy.rank(accounts)) {
      if (ranked.length >= limit) break;
      take(n);
    }
    if (accounts.limit === undefined) for (const n of accounts.candidates) take(n);
    return ranked;
  }
  const first = strategy.pick({
    count,
    isCoolingDown: (n) => !isCandidate(n),
    lastPicked: (n) => accounts.lastPicked(n),
  });
  const start = isCandidate(first) ? first : 0;
  take(first);
  for (let step = 1; step <= count && ranked.length < limit; step++) {
    take(((start - 1 + step + count) % count) + 1);
  }
  return ranked;
}
