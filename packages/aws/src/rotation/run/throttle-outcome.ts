import type { LeaseOutcome } from '../state/lease-outcome';
import { retryAfterMs } from '../throttling/retry-after-ms';
import { type ThrottleReason, throttleReason } from '../throttling/throttle-reason';
import type { CoolDownPolicy } from './cool-down-policy';

/** What a throttle means for the lease it ended, and why. */
export interface ThrottleVerdict {
  readonly outcome: Extract<LeaseOutcome, { kind: 'throttled' }>;
  /** `undefined` for a pool without regions (every throttle cools the account, as before). */
  readonly reason: ThrottleReason | undefined;
}

/**
 * The lease outcome of a throttling `error`, at `now`, by the pool's policy:
 *
 * - A pool without regions: every throttle starts (or joins) an escalating
 *   cool-down; no reason, no `Retry-After` (as before regions existed).
 * - With regions, by {@link throttleReason}: `'concurrency'` the escalating
 *   cool-down, at least the `Retry-After`; `'rate'` at least
 *   max(`Retry-After`, `coolDown.rateMs` jittered), the streak untouched;
 *   `'reserved'` no cool-down at all (another cell is tried). A
 *   `Retry-After` is capped at `coolDown.maxMs`: a wrong header must not take
 *   a cell out for a day.
 */
export function throttleOutcome(
  error: unknown,
  now: number,
  jitterFactor: number,
  policy: CoolDownPolicy,
): ThrottleVerdict {
  const base = { kind: 'throttled', now, backoff: policy.backoff, jitterFactor } as const;
  if (!policy.byReason) return { outcome: base, reason: undefined };
  const reason = throttleReason(error) ?? 'concurrency';
  const asked = retryAfterMs(error, now);
  const retryAfter = asked === undefined ? undefined : Math.min(asked, policy.backoff.maxMs);
  if (reason === 'reserved') return { outcome: { ...base, reason }, reason };
  if (reason === 'rate') {
    const rest = Math.floor(policy.rateMs * jitterFactor);
    return { outcome: { ...base, reason, minDelayMs: Math.max(retryAfter ?? 0, rest) }, reason };
  }
  return {
    outcome:
      retryAfter === undefined ? { ...base, reason } : { ...base, reason, minDelayMs: retryAfter },
    reason,
  };
}
