import type { AccountStats } from './account-stats';
import { UNLIMITED_CAPACITY } from './parse-capacity';
import type { AccountUsage, PoolStateHealth } from './state/pool-state';

/**
 * `AccountPool.stats()` from the state's usage (in cell order) and the
 * pool's capacity per cell: a past cool-down shows as 0, a reason only
 * while its cool-down runs, a region only for a pool with regions, the
 * shared state's health only when it tells one.
 */
export function statsOf(
  usage: readonly AccountUsage[],
  capacity: readonly number[],
  now: number,
  health?: PoolStateHealth,
): AccountStats[] {
  return usage.map((u, i) => {
    const cooling = u.throttledUntil > now;
    const units = capacity[i];
    return {
      index: u.index,
      ...(u.region !== undefined && { region: u.region }),
      capacity: units === undefined || units === UNLIMITED_CAPACITY ? null : units,
      inFlight: u.inFlight,
      throttledUntil: cooling ? u.throttledUntil : 0,
      ...(cooling && u.reason !== undefined && { reason: u.reason }),
      leases: u.leases,
      throttles: u.throttles,
      streak: u.streak,
      lastLeasedAt: u.lastLeasedAt,
      ...(health !== undefined && { state: health.state }),
    };
  });
}
