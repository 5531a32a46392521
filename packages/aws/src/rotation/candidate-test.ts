import type { AccountCandidates } from './account-pick-strategy';

/** `accounts.isCandidate`, or a test built from `accounts.candidates` when the caller gave none. */
export function candidateTest(accounts: AccountCandidates): (n: number) => boolean {
  if (accounts.isCandidate) return (n) => accounts.isCandidate?.(n) === true;
  const allowed = new Set(accounts.candidates);
  return (n) => allowed.has(n);
}
