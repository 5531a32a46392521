import { isAccountsExhaustedError } from '../accounts-exhausted-error';
import { THROTTLING_ERROR_CODES } from './throttling-error-codes';

/** How deep {@link isThrottlingError} follows `cause` (wrapped SDK errors). */
const MAX_CAUSE_DEPTH = 8;

/**
 * Whether `error` says the account is being throttled, so another account
 * may succeed where this one did not: an AWS SDK v3 error named (or coded)
 * `TooManyRequestsException`, `ThrottlingException`, `Throttling`,
 * `RequestLimitExceeded`, `SlowDown`, `ProvisionedThroughputExceededException`
 * (or another code of {@link THROTTLING_ERROR_CODES}), an HTTP 429 answer
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
  try {
    return followCauses(error);
  } catch {
    // A getter or proxy that throws: nothing here says "throttling".
    return false;
  }
}

function followCauses(error: unknown): boolean {
  let current: unknown = error;
  const seen = new Set<unknown>();
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH; depth++) {
    if (typeof current !== 'object' || current === null || seen.has(current)) return false;
    seen.add(current);
    // Its cause is the last throttle of another pool's accounts, not this one's.
    if (isAccountsExhaustedError(current)) return false;
    if (saysThrottling(current as Record<string, unknown>)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

function saysThrottling(error: Record<string, unknown>): boolean {
  for (const field of ['name', 'code', 'Code', '__type']) {
    const value = error[field];
    // `__type` may be namespaced, e.g. "com.amazon.coral…#ThrottlingException".
    if (typeof value === 'string' && THROTTLING_ERROR_CODES.has(value.split('#').pop() as string))
      return true;
  }
  const metadata = error.$metadata as { httpStatusCode?: unknown } | undefined;
  if (metadata?.httpStatusCode === 429) return true;
  const response = error.$response as { statusCode?: unknown } | undefined;
  if (response?.statusCode === 429) return true;
  const retryable = error.$retryable as { throttling?: unknown } | undefined;
  return retryable?.throttling === true;
}
