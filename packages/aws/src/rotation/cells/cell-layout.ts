import { type CellRef, cellsOf } from '../state/cell-key';

/**
 * The cells of a pool and their numbers: without regions, one per account
 * (cell n is account n); with R regions, `count × R` in account-major order
 * — cell c is account ⌈c / R⌉ in `regions[(c − 1) mod R]`, as every
 * `PoolState` numbers them.
 */
export class CellLayout {
  /** Every cell, in cell order (`cells[c - 1]` is cell c). */
  readonly cells: readonly CellRef[];
  /** 1..size, built once. */
  readonly numbers: readonly number[];

  constructor(
    readonly accountCount: number,
    readonly regions: readonly string[] | undefined,
  ) {
    this.cells = Object.freeze(cellsOf(accountCount, regions));
    this.numbers = Object.freeze(this.cells.map((_, i) => i + 1));
  }

  /** How many cells. */
  get size(): number {
    return this.cells.length;
  }

  /** Regions per account (1 without regions). */
  get width(): number {
    return this.regions?.length ?? 1;
  }

  /** The cell numbered `n` (1-based). */
  cellOf(n: number): CellRef {
    return this.cells[n - 1] as CellRef;
  }

  /**
   * The number of account `index`'s cell in `region`; `undefined` when the
   * pool has no such account, or no such region (a region given to a pool
   * without regions, or none given to a pool with them).
   */
  numberOf(index: number, region?: string): number | undefined {
    if (!Number.isInteger(index) || index < 1 || index > this.accountCount) return undefined;
    if (this.regions === undefined) return region === undefined ? index : undefined;
    const at = region === undefined ? -1 : this.regions.indexOf(region);
    return at === -1 ? undefined : (index - 1) * this.regions.length + at + 1;
  }

  /**
   * {@link CellLayout.numberOf}, or a `RangeError` saying which regions the
   * pool has (or that it has none).
   */
  requireNumber(index: number, region: string | undefined): number {
    const number = this.numberOf(index, region);
    if (number !== undefined) return number;
    throw new RangeError(
      this.regions === undefined
        ? `region ${JSON.stringify(region)} given, but the pool has no regions: leave it out`
        : `region ${JSON.stringify(region)} is not one of the pool's regions (${this.regions.join(', ')})`,
    );
  }

  /** The numbers of account `index`'s cells, in region order. */
  numbersOfAccount(index: number): number[] {
    const first = (index - 1) * this.width + 1;
    return Array.from({ length: this.width }, (_, i) => first + i);
  }

  /** `account 2 in eu-central-1`, or `account 2` without regions. */
  describe(n: number): string {
    const { index, region } = this.cellOf(n);
    return region === undefined ? `account ${index}` : `account ${index} in ${region}`;
  }
}
