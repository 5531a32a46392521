/** A cell of a pool as shown to people: account, redacted key id, region, capacity. */
export interface PoolCell {
  /** The account, 1-based. */
  readonly index: number;
  /** The region; absent for a pool without regions (the cell is the account). */
  readonly region?: string;
  /** `AKIA…WXYZ`: never the full key id. */
  readonly accessKeyId: string;
  /** Units of capacity; `null` when unlimited. */
  readonly capacity: number | null;
}
