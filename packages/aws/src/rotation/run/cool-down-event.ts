import type { ThrottleReason } from '../throttling/throttle-reason';

/**
 * A cool-down the pool decided: a throttle `run()` saw (and the cell's
 * cool-down end after it), or a `markThrottled()`. Every one goes through
 * one place, `AccountPool`'s cool-down hook (logged for pools with
 * regions; the shape of the `credchain:pool.cool-down` message).
 */
export interface CoolDownEvent {
  /** The account, 1-based. */
  readonly account: number;
  /** The cell's region; absent for a pool without regions. */
  readonly region?: string;
  /** End of the cell's cool-down, epoch ms; 0 when the throttle cools nothing (`reserved`). */
  readonly until: number;
  /** Why (`concurrency` for every throttle of a pool without regions); absent for `markThrottled()`. */
  readonly reason?: ThrottleReason;
}
