/**
 * The Redis names of one pool. Every key shares the hash tag
 * `{credchain:<namespace>}`, so a script that touches all of them runs on
 * Redis Cluster too. Keys and values hold account numbers and lease ids only.
 */
export class RedisKeys {
  readonly #tag: string;

  constructor(namespace: string) {
    this.#tag = `{credchain:${namespace}}`;
  }

  /**
   * Hash of per-cell numbers, each field prefixed by the cell's name (`2`,
   * or `2:eu-central-1` with regions): `<cell>:until`, `<cell>:leases`,
   * `<cell>:throttles`, `<cell>:streak`, `<cell>:last`, `<cell>:episode`,
   * `<cell>:reason`.
   */
  get accounts(): string {
    return `${this.#tag}:accounts`;
  }

  /**
   * Sorted set of a cell's live leases (`cell`: an account number, or a
   * cell name such as `2:eu-central-1`): lease id → expiry (Redis clock,
   * ms); a lease of weight w is w members (`<id>`, `<id>#2`, … `<id>#w`).
   */
  leases(cell: number | string): string {
    return `${this.#tag}:leases:${cell}`;
  }

  /** Accounts 1..count's lease sets, in order (a pool without regions). */
  allLeases(count: number): string[] {
    return Array.from({ length: count }, (_, i) => this.leases(i + 1));
  }

  /** The lease sets of the cells named, in order. */
  cellLeases(names: readonly string[]): string[] {
    return names.map((name) => this.leases(name));
  }

  /** Pub/sub channel told about every release and expiry. */
  get releaseChannel(): string {
    return `${this.#tag}:released`;
  }
}
