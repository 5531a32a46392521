import { throttleChain, throttlingCodeOf } from './find-throttle';

/**
 * Why a call was throttled, as far as the pool cares:
 * - `'concurrency'`: the cell (an account in a Region) is full — Lambda's
 *   `ConcurrentInvocationLimitExceeded`. Cool the cell down, try another.
 * - `'reserved'`: this function's reserved concurrency is used up
 *   (`ReservedFunctionConcurrentInvocationLimitExceeded`); the cell itself
 *   has room for other functions. Try another cell without cooling this one.
 * - `'rate'`: a request-rate limit (`CallerRateLimitExceeded`,
 *   `FunctionInvocationRateLimitExceeded`,
 *   `ReservedFunctionInvocationRateLimitExceeded`, the SDKs' `Throttling`,
 *   `SlowDown`, a bare HTTP 429). Cool the cell down briefly, for at least
 *   what `Retry-After` asks.
 */
export type ThrottleReason = 'concurrency' | 'reserved' | 'rate';

/** Lambda's `Reason` values (`ThrottleReason` of `@aws-sdk/client-lambda`) and what they mean here. */
export const LAMBDA_THROTTLE_REASONS: Readonly<Record<string, ThrottleReason>> = Object.freeze({
  ConcurrentInvocationLimitExceeded: 'concurrency',
  ConcurrentSnapshotCreateLimitExceeded: 'concurrency',
  ReservedFunctionConcurrentInvocationLimitExceeded: 'reserved',
  CallerRateLimitExceeded: 'rate',
  FunctionInvocationRateLimitExceeded: 'rate',
  ReservedFunctionInvocationRateLimitExceeded: 'rate',
});

/**
 * Why `error` is a throttle ({@link ThrottleReason}), or `undefined` when it
 * is not one (`isThrottlingError(error)` is false). Read from the first
 * throttling error in its `cause` chain, or the first error below it that
 * says (a wrapper around the SDK's error):
 *
 * | what the error says | reason |
 * | --- | --- |
 * | Lambda `Reason` `ConcurrentInvocationLimitExceeded` (or `ConcurrentSnapshotCreateLimitExceeded`) | `'concurrency'` |
 * | Lambda `Reason` `ReservedFunctionConcurrentInvocationLimitExceeded` | `'reserved'` |
 * | Lambda `Reason` `CallerRateLimitExceeded`, `FunctionInvocationRateLimitExceeded`, `ReservedFunctionInvocationRateLimitExceeded` | `'rate'` |
 * | another `Reason` ending in `RateLimitExceeded` / otherwise | `'rate'` / `'concurrency'` |
 * | `TooManyRequestsException` without a `Reason` | `'concurrency'` (Lambda's throttle: the cautious choice) |
 * | any other throttling code (`ThrottlingException`, `Throttling`, `RequestLimitExceeded`, `SlowDown`, …), HTTP 429, `$retryable.throttling` | `'rate'` |
 *
 * Never throws.
 *
 * @example
 * ```ts
 * throttleReason(new TooManyRequestsException({ Reason: 'CallerRateLimitExceeded', … })); // 'rate'
 * throttleReason(new Error('render failed')); // undefined
 * ```
 */
export function throttleReason(error: unknown): ThrottleReason | undefined {
  const chain = throttleChain(error);
  if (chain.length === 0) return undefined;
  try {
    // A wrapper may say "throttled" and leave the why to the error it wraps.
    for (const throttle of chain) {
      const reason = throttle.Reason ?? throttle.reason;
      if (typeof reason === 'string' && reason !== '') {
        return (
          LAMBDA_THROTTLE_REASONS[reason] ??
          (reason.endsWith('RateLimitExceeded') ? 'rate' : 'concurrency')
        );
      }
    }
    return chain.some((throttle) => throttlingCodeOf(throttle) === 'TooManyRequestsException')
      ? 'concurrency'
      : 'rate';
  } catch {
    // A throwing getter: it was a throttle; say the cautious thing.
    return 'concurrency';
  }
}
