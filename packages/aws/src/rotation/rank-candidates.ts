import type { AccountCandidates, AccountPickStrategy } from './account-pick-strategy';

/**
 * The strategy's order of `accounts.candidates`: its `rank()` when it has
 * one (anything it leaves out is appended, anything foreign or repeated
 * dropped), else its `pick()` among the candidates first and the rest in
 * cyclic order after it. No candidates: none, and the strategy is not asked
 * (a `pick()` may well throw when nothing is left).
 */
export function rankCandidates(
  strategy: AccountPickStrategy,
  accounts: AccountCandidates,
): readonly number[] {
  const { candidates, count } = accounts;
  if (candidates.length === 0) return [];
  let order: number[];
  if (strategy.rank) {
    order = strategy.rank(accounts);
    // The common case, checked without allocating much: already a permutation.
    if (isPermutation(order, candidates)) return order;
  } else {
    const allowed = new Set(candidates);
    const first = strategy.pick({
      count,
      isCoolingDown: (n) => !allowed.has(n),
      lastPicked: (n) => accounts.lastPicked(n),
    });
    const start = allowed.has(first) ? first : 0;
    order = start === 0 ? [] : [first];
    for (let step = 1; step <= count; step++) {
      const n = ((start - 1 + step + count) % count) + 1;
      if (allowed.has(n)) order.push(n);
    }
  }
  const unique = [...new Set(order.filter((n) => candidates.includes(n)))];
  for (const n of candidates) if (!unique.includes(n)) unique.push(n);
  return unique;
}

function isPermutation(order: readonly number[], candidates: readonly number[]): boolean {
  if (order.length !== candidates.length) return false;
  for (let i = 0; i < order.length; i++) {
    const n = order[i] as number;
    if (!candidates.includes(n) || order.indexOf(n) !== i) return false;
  }
  return true;
}
