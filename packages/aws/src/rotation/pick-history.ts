/**
 * When each account was last picked or leased, as a growing sequence number
 * (0 = never): what `least-recently-used` ranks by. One per pool.
 */
export class PickHistory {
  readonly #lastPicked = new Map<number, number>();
  #sequence = 0;

  /** The sequence number of account n's latest pick; 0 when never picked. */
  lastPicked(n: number): number {
    return this.#lastPicked.get(n) ?? 0;
  }

  /** Records a pick (or lease) of account n, after every earlier one. */
  record(n: number): void {
    this.#lastPicked.set(n, ++this.#sequence);
  }
}
