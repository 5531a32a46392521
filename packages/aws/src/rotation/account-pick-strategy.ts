/** What a strategy can see of the pool when it picks. */
export interface AccountPoolState {
  /** Accounts are numbered 1..count. */
  readonly count: number;
  /**
   * Whether account n is out of the running: cooling down after
   * {@link AccountPool.markThrottled} (for `pick()`), or not a candidate of
   * this `run()` (already tried, when a strategy without `rank` is asked).
   */
  isCoolingDown(n: number): boolean;
  /** When account n was last picked or leased (a sequence number; 0 = never). */
  lastPicked(n: number): number;
}

/**
 * What a strategy sees when {@link AccountPool.run} asks it to order cells.
 * A pool without regions has one cell per account (cell n is account n);
 * with regions, cell c is account ⌈c / R⌉ in the pool's regions[(c − 1) mod
 * R] — `cellOf(c)` says which.
 */
export interface AccountCandidates {
  /** Cells are numbered 1..count. */
  readonly count: number;
  /**
   * The cells this call may still use (not yet tried by it, room for its
   * weight), ascending. `AccountPool.run` builds this list only when a
   * strategy reads it (it costs a pass over every cell): a strategy that
   * needs only the first few uses {@link AccountCandidates.isCandidate} and
   * {@link AccountCandidates.limit}.
   */
  readonly candidates: readonly number[];
  /** Whether cell n is one of `candidates`, without building them. */
  isCandidate?(n: number): boolean;
  /**
   * Only the first `limit` cells of `rank()`'s answer are used (the state
   * chooses among the others itself): a strategy may stop there. Absent:
   * the whole order is used.
   */
  readonly limit?: number;
  /** When cell n was last leased by this pool (a sequence number; 0 = never). */
  lastPicked(n: number): number;
  /**
   * The cells from the least recently leased (never leased first, lowest
   * number first), produced lazily: what `least-recently-used` ranks by.
   */
  byRecency?(): Iterable<number>;
  /** Pools with regions: the account and region of cell n. */
  cellOf?(n: number): { readonly index: number; readonly region?: string };
}

/**
 * Picks a 1-based account number. Each instance owns its own state (the
 * round-robin cursor, a seeded random source), so pools never share it.
 *
 * Strategies are pure choosers: they never see leases or cool-downs beyond
 * what they are shown. For {@link AccountPool.run} they only order the
 * candidates; the pool's state then takes, atomically, the first one that is
 * neither full nor cooling down.
 */
export interface AccountPickStrategy {
  readonly name: string;
  pick(pool: AccountPoolState): number;
  /**
   * Orders `accounts.candidates`, most preferred first: a permutation of
   * them, or — when `accounts.limit` is set — at least its first `limit`
   * cells (the pool's state chooses among the rest; the built-in strategies
   * then cost O(limit), not O(count)). Cells that are not candidates, or
   * repeated, are dropped. Optional: without it, the pool puts `pick()`'s
   * choice first and the other candidates after it in cyclic order.
   */
  rank?(accounts: AccountCandidates): number[];
}
