import type { ThrottleReason } from '../throttling/throttle-reason';

/** One cell as a store sees it. Numbers (and its region) only, never key material. */
export interface AccountUsage {
  /** 1-based account number. */
  readonly index: number;
  /** The cell's region; absent for a pool without regions. */
  readonly region?: string;
  /** Units of capacity held by live leases right now (each lease counts its weight). */
  readonly inFlight: number;
  /** End of the cool-down, epoch ms; 0 when never cooled (may lie in the past). */
  readonly throttledUntil: number;
  /** Leases ever granted. */
  readonly leases: number;
  /** Throttled outcomes ever recorded. */
  readonly throttles: number;
  /**
   * Consecutive throttling episodes since the last success of a call leased
   * at or after the latest episode's start (drives the back-off).
   */
  readonly streak: number;
  /** `now` of the latest grant, epoch ms; 0 when never leased. */
  readonly lastLeasedAt: number;
  /**
   * Why the latest throttle that set or extended `throttledUntil` was one;
   * absent when none said (pools without regions) or after `coolDown()`.
   */
  readonly reason?: ThrottleReason;
}
