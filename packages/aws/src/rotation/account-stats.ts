/** One account as {@link AccountPool.stats} shows it: numbers only. */
export interface AccountStats {
  /** 1-based account number. */
  readonly index: number;
  /** Its capacity (concurrent `run()` calls); `null` when unlimited. */
  readonly capacity: number | null;
  /** `run()` calls holding it right now. */
  readonly inFlight: number;
  /** End of its cool-down, epoch ms; 0 when it is not cooling down. */
  readonly throttledUntil: number;
  /** Leases granted so far. */
  readonly leases: number;
  /** Throttling errors recorded so far. */
  readonly throttles: number;
  /** Consecutive throttling episodes since its last success (drives the back-off). */
  readonly streak: number;
  /** When it was last leased, epoch ms; 0 when never. */
  readonly lastLeasedAt: number;
}
