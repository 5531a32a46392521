import type { AccountUsage, CellRef, ThrottleReason } from '@credchain/aws';

/** Values per cell in `usage.lua` and `acquire.lua`'s refusal. */
export const FIELDS_PER_CELL = 8;

const REASONS: ReadonlySet<string> = new Set<ThrottleReason>(['concurrency', 'reserved', 'rate']);

/**
 * Redis's reply for `cells` (8 values each: units in flight, until, leases,
 * throttles, streak, last, episode start, reason) → usage in cell order, and
 * each cell's episode start (which `AccountUsage` does not carry). A reason
 * Redis holds that this version does not know is left out.
 */
export function parseCellUsage(
  reply: readonly (number | string)[],
  cells: readonly CellRef[],
): { usage: AccountUsage[]; episodeStarts: number[] } {
  const episodeStarts: number[] = [];
  const usage = cells.map(({ index, region }, i) => {
    const at = i * FIELDS_PER_CELL;
    const [inFlight, throttledUntil, leases, throttles, streak, lastLeasedAt, episodeStart] = reply
      .slice(at, at + FIELDS_PER_CELL - 1)
      .map(Number) as [number, number, number, number, number, number, number];
    const reason = String(reply[at + FIELDS_PER_CELL - 1] ?? '');
    episodeStarts.push(episodeStart);
    return {
      index,
      ...(region !== undefined && { region }),
      inFlight,
      throttledUntil,
      leases,
      throttles,
      streak,
      lastLeasedAt,
      ...(REASONS.has(reason) && { reason: reason as ThrottleReason }),
    };
  });
  return { usage, episodeStarts };
}
