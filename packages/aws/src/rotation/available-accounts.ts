import type { AccountPoolState } from './account-pick-strategy';

/** The accounts not cooling down, or all of them when every one is. */
export function availableAccounts(pool: AccountPoolState): number[] {
  const all = Array.from({ length: pool.count }, (_, i) => i + 1);
  const ready = all.filter((n) => !pool.isCoolingDown(n));
  return ready.length > 0 ? ready : all;
}
