/** What a strategy can see of the pool when it picks. */
export interface AccountPoolState {
  /** Accounts are numbered 1..count. */
  readonly count: number;
  /** Whether account n is cooling down after {@link AccountPool.markThrottled}. */
  isCoolingDown(n: number): boolean;
  /** When account n was last picked (a sequence number; 0 = never). */
  lastPicked(n: number): number;
}

/**
 * Picks a 1-based account number. Each instance owns its own state (the
 * round-robin cursor, a seeded random source), so pools never share it.
 */
export interface AccountPickStrategy {
  readonly name: string;
  pick(pool: AccountPoolState): number;
}
