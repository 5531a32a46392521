import type { LeaseOutcome } from './pool-state';

/**
 * When the cool-down started by a throttle ends, by the {@link PoolState}
 * contract: `now + floor(min(maxMs, initialMs × multiplier^(streak − 1)) ×
 * jitterFactor)`, where `streak` counts this throttle. One formula for every
 * store that computes it in JavaScript (the Redis store's Lua script is its
 * twin, checked by the shared contract suite).
 */
export function coolDownEnd(
  outcome: Extract<LeaseOutcome, { kind: 'throttled' }>,
  streak: number,
): number {
  const { initialMs, multiplier, maxMs } = outcome.backoff;
  const delay = Math.min(maxMs, initialMs * multiplier ** (streak - 1));
  return outcome.now + Math.floor(delay * outcome.jitterFactor);
}
