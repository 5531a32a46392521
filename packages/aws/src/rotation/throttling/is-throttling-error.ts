import { findThrottle } from './find-throttle';

/**
 * Whether `error` says the account is being throttled, so another account
 * may succeed where this one did not: an AWS SDK v3 error named (or coded)
 * `TooManyRequestsException`, `ThrottlingException`, `Throttling`,
 * `RequestLimitExceeded`, `SlowDown`, `ProvisionedThroughputExceededException`
 * (or another code of `THROTTLING_ERROR_CODES`), an HTTP 429 answer
 * (`$metadata.httpStatusCode`), or an error the SDK marked
 * `$retryable.throttling`. An error wrapping one of those in its `cause` counts
 * too. Everything else is false, in particular authentication, signature and
 * validation errors, which another account would not fix silently, and an
 * `AccountsExhaustedError` (a pool that gave up; its `cause` is a throttle,
 * but not of the account in use) or an error wrapping one. An error whose
 * fields cannot be read (a throwing getter) is not throttling: this never
 * throws.
 *
 * @example
 * ```ts
 * try { await lambda.send(new InvokeCommand(input)); }
 * catch (error) { if (isThrottlingError(error)) pool.markThrottled(n, 10_000); throw error; }
 * ```
 */
export function isThrottlingError(error: unknown): boolean {
  return findThrottle(error) !== undefined;
}
