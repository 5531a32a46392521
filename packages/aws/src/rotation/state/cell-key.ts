/** A cell of a pool: an account, and a region when the pool has regions. */
export interface CellRef {
  /** The account, 1-based. */
  readonly index: number;
  /** The region; absent for a pool without regions (the cell is the account). */
  readonly region?: string;
}

/**
 * The name a store keeps a cell under: `"2"` for account 2 of a pool
 * without regions, `"2:eu-central-1"` with regions. Names, not cell numbers,
 * so pools listing the same regions in another order share their cells.
 */
export function cellKey(index: number, region?: string): string {
  return region === undefined ? String(index) : `${index}:${region}`;
}

/**
 * The cells of a pool of `count` accounts, in cell order: accounts without
 * `regions`; with them, account-major — cell c (1-based) is account
 * ⌈c / R⌉ in `regions[(c − 1) mod R]`.
 */
export function cellsOf(count: number, regions?: readonly string[]): CellRef[] {
  const cells: CellRef[] = [];
  for (let index = 1; index <= count; index++) {
    if (regions === undefined) cells.push({ index });
    else for (const region of regions) cells.push({ index, region });
  }
  return cells;
}

/**
 * Cell `number` (1-based) of a pool with `regions` (account-major), without
 * building the whole list: what {@link cellsOf} would hold at `number - 1`.
 */
export function cellAt(number: number, regions?: readonly string[]): CellRef {
  if (regions === undefined) return { index: number };
  const width = regions.length;
  return {
    index: Math.ceil(number / width),
    region: regions[(number - 1) % width] as string,
  };
}
