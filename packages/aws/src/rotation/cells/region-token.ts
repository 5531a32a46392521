/**
 * How a region appears in a variable name: upper-cased, `-` → `_`
 * (`eu-central-1` → `EU_CENTRAL_1`, as in `AWS_CONCURRENCY_2_EU_CENTRAL_1`).
 */
export function regionToken(region: string): string {
  return region.toUpperCase().replaceAll('-', '_');
}
