import type { AccountCandidates, AccountPickStrategy } from './account-pick-strategy';

/**
 * The strategy's order of `accounts.candidates`: its `rank()` when it has
 * one (anything it leaves out is appended, anything foreign dropped), else
 * its `pick()` among the candidates first and the rest in cyclic order.
 */
export function rankCandidates(
  strategy: AccountPickStrategy,
  accounts: AccountCandidates,
): number[] {
  const allowed = new Set(accounts.candidates);
  let order: number[];
  if (strategy.rank) {
    order = strategy.rank(accounts).filter((n) => allowed.has(n));
  } else {
    const first = strategy.pick({
      count: accounts.count,
      isCoolingDown: (n) => !allowed.has(n),
      lastPicked: (n) => accounts.lastPicked(n),
    });
    order = allowed.has(first) ? [first] : [];
    const start = allowed.has(first) ? first : 0;
    for (let step = 1; step <= accounts.count; step++) {
      const n = ((start - 1 + step + accounts.count) % accounts.count) + 1;
      if (allowed.has(n)) order.push(n);
    }
  }
  const unique = [...new Set(order)];
  for (const n of accounts.candidates) if (!unique.includes(n)) unique.push(n);
  return unique;
}
