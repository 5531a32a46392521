import { isRegionName } from '../../region/region-name';

/**
 * The `regions` option of `AccountPool.fromEnv`, checked: `undefined` (a pool
 * of accounts, as before regions existed) or a non-empty list of distinct
 * Region names. Anything else is a `TypeError` / `RangeError` naming the
 * option and the entry at fault.
 */
export function resolveRegions(regions: unknown): readonly string[] | undefined {
  if (regions === undefined) return undefined;
  if (!Array.isArray(regions)) {
    throw new TypeError(
      `the regions option must be a list of Region names such as ['us-east-1', 'eu-central-1'] (got ${typeof regions})`,
    );
  }
  if (regions.length === 0) {
    throw new RangeError(
      'the regions option is empty: list at least one Region, or leave it out for a pool of accounts',
    );
  }
  const seen = new Set<string>();
  regions.forEach((region: unknown, i) => {
    if (!isRegionName(region)) {
      throw new RangeError(
        `regions[${i}] (${JSON.stringify(region)}) is not a Region name such as "eu-central-1"`,
      );
    }
    if (seen.has(region)) throw new RangeError(`regions[${i}] ("${region}") is listed twice`);
    seen.add(region);
  });
  return Object.freeze([...regions]) as readonly string[];
}
