import { isAccountsExhaustedError } from '../accounts-exhausted-error';
import { THROTTLING_ERROR_CODES } from './throttling-error-codes';

/** How deep {@link findThrottle} follows `cause` (wrapped SDK errors). */
const MAX_CAUSE_DEPTH = 8;

/**
 * The error object, in `error`'s `cause` chain (itself first), that says
 * "throttled" — by its name or code, an HTTP 429, or the SDK's
 * `$retryable.throttling` — or `undefined`. Stops at an
 * `AccountsExhaustedError` (its cause is another pool's throttle), at a
 * cycle and after a few levels. Never throws: an error whose fields throw
 * when read says nothing.
 */
export function findThrottle(error: unknown): Record<string, unknown> | undefined {
  return throttleChain(error)[0];
}

/**
 * The first throttling error in `error`'s `cause` chain ({@link findThrottle})
 * and the errors below it: where a wrapper says "throttled" and the SDK error
 * it wraps says why (`Reason`) and for how long (`retryAfterSeconds`). Empty
 * when nothing says "throttled". Same limits as {@link findThrottle}; never
 * throws.
 */
export function throttleChain(error: unknown): readonly Record<string, unknown>[] {
  const chain: Record<string, unknown>[] = [];
  try {
    let current: unknown = error;
    const seen = new Set<unknown>();
    for (let depth = 0; depth <= MAX_CAUSE_DEPTH; depth++) {
      if (typeof current !== 'object' || current === null || seen.has(current)) break;
      seen.add(current);
      // Its cause is the last throttle of another pool's accounts, not this one's.
      if (isAccountsExhaustedError(current)) break;
      const record = current as Record<string, unknown>;
      if (chain.length > 0 || saysThrottling(record)) chain.push(record);
      current = record.cause;
    }
  } catch {
    // A getter or proxy that throws: what was read so far stands.
  }
  return chain;
}

/** The error's code by any of the fields SDKs use, without a `…#` namespace. */
export function throttlingCodeOf(error: Record<string, unknown>): string | undefined {
  for (const field of ['name', 'code', 'Code', '__type']) {
    const value = error[field];
    // `__type` may be namespaced, e.g. "com.amazon.coral…#ThrottlingException".
    if (typeof value !== 'string') continue;
    const code = value.split('#').pop() as string;
    if (THROTTLING_ERROR_CODES.has(code)) return code;
  }
  return undefined;
}

function saysThrottling(error: Record<string, unknown>): boolean {
  if (throttlingCodeOf(error) !== undefined) return true;
  const metadata = error.$metadata as { httpStatusCode?: unknown } | undefined;
  if (metadata?.httpStatusCode === 429) return true;
  const response = error.$response as { statusCode?: unknown } | undefined;
  if (response?.statusCode === 429) return true;
  const retryable = error.$retryable as { throttling?: unknown } | undefined;
  return retryable?.throttling === true;
}
