import type { ThrottleReason } from '../throttling/throttle-reason';

/** The growing back-off of a throttled account, in plain numbers. */
export interface BackoffPolicy {
  /** The first cool-down of an episode, before jitter. */
  readonly initialMs: number;
  /** Each further consecutive throttle multiplies the cool-down by this (≥ 1). */
  readonly multiplier: number;
  /** The cool-down never exceeds this, before jitter. */
  readonly maxMs: number;
}

/** How the call that held a lease ended. */
export type LeaseOutcome =
  | { readonly kind: 'success' }
  | { readonly kind: 'failure' }
  | {
      readonly kind: 'throttled';
      /** The caller's clock when the throttling error arrived. */
      readonly now: number;
      readonly backoff: BackoffPolicy;
      /**
       * A factor in (0, 1] the pool drew (jitter); the store multiplies the
       * delay by it. Drawn by the pool so tests can seed it.
       */
      readonly jitterFactor: number;
      /**
       * Why ({@link ThrottleReason}); absent is the escalating back-off of
       * `'concurrency'` without recording a reason (pools without regions).
       */
      readonly reason?: ThrottleReason;
      /**
       * The cool-down lasts at least this long from `now` (the server's
       * `Retry-After`; a rate limit's short back-off). Never shortens one.
       */
      readonly minDelayMs?: number;
    };

/** `PoolState.release`'s answer. */
export interface ReleaseResult {
  /** True when this call ended a live lease (so `inFlight` went down). */
  readonly released: boolean;
  /** The account's consecutive-throttle count after the operation. */
  readonly streak: number;
  /** The account's cool-down end after the operation (epoch ms; 0 = never cooled). */
  readonly throttledUntil: number;
}
