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
    if (isPermutation(order, candidates, count)) return order;
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
  // Keep the strategy's order of the candidates (each once), then append the
  // candidates it left out: linear in the pool's size, as every step here.
  const state = candidateMarks(candidates, count);
  const ranked: number[] = [];
  for (const n of order) {
    if (Number.isInteger(n) && state[n] === CANDIDATE) {
      state[n] = RANKED;
      ranked.push(n);
    }
  }
  for (const n of candidates) if (state[n] === CANDIDATE) ranked.push(n);
  return ranked;
}

const CANDIDATE = 1;
const RANKED = 2;

/** By cell number: CANDIDATE for each candidate, 0 for anything else. */
function candidateMarks(candidates: readonly number[], count: number): Uint8Array {
  let size = count;
  for (const n of candidates) if (n > size) size = n;
  const marks = new Uint8Array(size + 1);
  for (const n of candidates) marks[n] = CANDIDATE;
  return marks;
}

/** Whether `order` holds each candidate exactly once and nothing else. */
function isPermutation(
  order: readonly number[],
  candidates: readonly number[],
  count: number,
): boolean {
  if (order.length !== candidates.length) return false;
  const state = candidateMarks(candidates, count);
  for (const n of order) {
    // Not a candidate (foreign, not an integer, out of range) or repeated.
    if (!Number.isInteger(n) || state[n] !== CANDIDATE) return false;
    state[n] = RANKED;
  }
  return true;
}
