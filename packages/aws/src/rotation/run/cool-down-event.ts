import type { ThrottleReason } from '../throttling/throttle-reason';

/**
 * A cool-down the pool decided or learnt of: one cell is left alone until
 * `until`. Every cool-down a pool starts or extends goes through one place,
 * `AccountPool`'s cool-down hook (logged; the shape diagnostics publish).
 */
export interface CoolDownEvent {
  /** The account, 1-based. */
  readonly account: number;
  /** The cell's region; absent for a pool without regions. */
  readonly region?: string;
  /** End of the cool-down, epoch ms. */
  readonly until: number;
  /** Why; absent for `markThrottled()` and pools without regions. */
  readonly reason?: ThrottleReason;
}
