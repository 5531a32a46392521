/**
 * A pool's capacity per cell (live: the pool changes it in place, e.g.
 * `discoverCapacity()`, and then moves its revision) with what `run()`
 * asks of it at every call — the largest capacity, how many cells can hold
 * a weight — computed once per revision instead of at every call.
 */
export class CapacityFacts {
  #seen = -1;
  #max = 0;
  readonly #fitting = new Map<number, number>();

  /**
   * @param cells units per cell, `cells[c - 1]` for cell c (live).
   * @param revision moves whenever `cells` changed.
   */
  constructor(
    readonly cells: readonly number[],
    readonly revision: () => number,
  ) {}

  /** The largest capacity of any cell. */
  get max(): number {
    this.#refresh();
    return this.#max;
  }

  /** How many cells can hold `weight` units. */
  fitting(weight: number): number {
    this.#refresh();
    let count = this.#fitting.get(weight);
    if (count === undefined) {
      count = 0;
      for (const c of this.cells) if (c >= weight) count++;
      this.#fitting.set(weight, count);
    }
    return count;
  }

  #refresh(): void {
    const revision = this.revision();
    if (revision === this.#seen) return;
    this.#seen = revision;
    this.#fitting.clear();
    let max = 0;
    for (const c of this.cells) if (c > max) max = c;
    this.#max = max;
  }
}
