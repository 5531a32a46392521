/**
 * When each account was last picked or leased, as a growing sequence number
 * (0 = never): what `least-recently-used` ranks by. One per pool. Kept in
 * recency order (a Map re-inserts a cell at its end), so the least recently
 * used cells are read from the front without sorting.
 */
export class PickHistory {
  readonly #lastPicked = new Map<number, number>();
  #sequence = 0;
  /** No cell below this number is unpicked (it only grows). */
  #neverFrom = 1;

  /** The sequence number of account n's latest pick; 0 when never picked. */
  lastPicked(n: number): number {
    return this.#lastPicked.get(n) ?? 0;
  }

  /** Records a pick (or lease) of account n, after every earlier one. */
  record(n: number): void {
    this.#lastPicked.delete(n);
    this.#lastPicked.set(n, ++this.#sequence);
  }

  /**
   * Cells 1..count from the least recently picked: the never-picked ones
   * ascending, then the others oldest first. Lazy: a caller that stops
   * after k cells pays for about k (plus the picked cells it skips among
   * the never-picked ones).
   */
  *byRecency(count: number): Generator<number> {
    if (this.#lastPicked.size < count) {
      while (this.#neverFrom <= count && this.#lastPicked.has(this.#neverFrom)) this.#neverFrom++;
      for (let n = this.#neverFrom; n <= count; n++) if (!this.#lastPicked.has(n)) yield n;
    }
    for (const n of this.#lastPicked.keys()) if (n <= count) yield n;
  }
}
