import { throttleChain } from './find-throttle';

/**
 * How long the server asked to wait before the next call, in milliseconds,
 * from the first throttling error in `error`'s `cause` chain (or an error
 * below it, when a wrapper says "throttled" and wraps the SDK's): Lambda's
 * `retryAfterSeconds` (the SDK's copy of the `Retry-After` header), else a
 * `Retry-After` header on the error's `$response` — delay-seconds (`"2"`,
 * `"0.5"`) or an HTTP date (measured from `now`). `undefined` when it is not
 * a throttle, says nothing, or says something unreadable (never throws).
 *
 * @example
 * ```ts
 * retryAfterMs(new TooManyRequestsException({ retryAfterSeconds: '2', … })); // 2000
 * ```
 */
export function retryAfterMs(error: unknown, now: number = Date.now()): number | undefined {
  // A wrapper may say "throttled" and leave the how long to the error it wraps.
  for (const throttle of throttleChain(error)) {
    try {
      const ms =
        parseRetryAfter(throttle.retryAfterSeconds, now) ??
        parseRetryAfter(headerOf(throttle.$response, 'retry-after'), now);
      if (ms !== undefined) return ms;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** A `Retry-After` value (seconds or an HTTP date) as milliseconds from `now`. */
function parseRetryAfter(value: unknown, now: number): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : undefined;
  }
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const seconds = /^\s*(\d+(?:\.\d+)?)\s*$/.exec(value);
  if (seconds) return Math.round(Number(seconds[1]) * 1000);
  // An HTTP date has letters (a day name); a bare negative number is not one.
  if (!/[A-Za-z]/.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** A header of an SDK `$response` (any case), when there is one. */
function headerOf(response: unknown, name: string): unknown {
  const headers = (response as { headers?: unknown } | undefined)?.headers;
  if (typeof headers !== 'object' || headers === null) return undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}
