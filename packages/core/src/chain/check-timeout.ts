/** The longest delay `setTimeout` keeps (a longer one fires after 1 ms). */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * Throws a `RangeError` naming `what` unless `ms` is a usable deadline: a
 * positive number of milliseconds up to {@link MAX_TIMEOUT_MS} (about 24.8
 * days), or `Infinity` for "no deadline".
 */
export function checkTimeoutMs(ms: unknown, what: string): number {
  if (ms === Number.POSITIVE_INFINITY) return ms;
  if (typeof ms !== 'number' || !(ms > 0) || ms > MAX_TIMEOUT_MS) {
    throw new RangeError(
      `${what} must be a positive number of milliseconds up to ${MAX_TIMEOUT_MS} (or Infinity for none), got ${String(ms)}`,
    );
  }
  return ms;
}
