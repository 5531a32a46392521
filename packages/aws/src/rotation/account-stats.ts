import type { ThrottleReason } from './throttling/throttle-reason';

/** One cell (an account, or an account in a region) as {@link AccountPool.stats} shows it: numbers only. */
export interface AccountStats {
  /** 1-based account number. */
  readonly index: number;
  /** The cell's region; absent for a pool without regions. */
  readonly region?: string;
  /** Its capacity in units (concurrent `run()` calls of weight 1); `null` when unlimited. */
  readonly capacity: number | null;
  /** Units held by `run()` calls right now (a call of weight w counts w). */
  readonly inFlight: number;
  /** End of its cool-down, epoch ms; 0 when it is not cooling down. */
  readonly throttledUntil: number;
  /** Why it is cooling down (`'concurrency'`, `'rate'`), when a throttle said so; only while it is. */
  readonly reason?: ThrottleReason;
  /** Leases granted so far. */
  readonly leases: number;
  /** Throttling errors recorded so far (every reason). */
  readonly throttles: number;
  /** Consecutive throttling episodes since its last success (drives the back-off). */
  readonly streak: number;
  /** When it was last leased, epoch ms; 0 when never. */
  readonly lastLeasedAt: number;
  /**
   * With a shared state (`RedisPoolState`): `'shared'` when these numbers are
   * the fleet's, `'degraded'` while the state cannot be used and they are
   * this process's own. Absent for the in-memory state.
   */
  readonly state?: 'shared' | 'degraded';
}
