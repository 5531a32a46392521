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

  /** The lease sets of the cells named, in order. */
  cellLeases(names: readonly string[]): string[] {
    return names.map((name) => this.leases(name));
  }

  /**
   * Hash of the fleet's own numbers: `seen` (server ms of the latest script
   * that could have dropped or checked leases) and, while the fleet recovers
   * after a gap, `recovering` (until when, server ms).
   */
  get fleet(): string {
    return `${this.#tag}:fleet`;
  }

  /** Sorted set of live processes: state instance id → alive until (server ms). */
  get processes(): string {
    return `${this.#tag}:processes`;
  }

  /** Set of the processes that have not checked in since the latest gap. */
  get pending(): string {
    return `${this.#tag}:pending`;
  }

  /** The prefix every key starts with (the hash tag): the scripts build cell keys from it. */
  get prefix(): string {
    return this.#tag;
  }

  /** Hash: cell name → its capacity (units), as the latest registration of a layout said. */
  get capacity(): string {
    return `${this.#tag}:capacity`;
  }

  /** Sorted set: cell name → free units, for the cells not cooling down (the roomiest first). */
  get room(): string {
    return `${this.#tag}:room`;
  }

  /** Sorted set: cell name → capacity, for the cells not cooling down. */
  get big(): string {
    return `${this.#tag}:big`;
  }

  /** Sorted set: cell name → end of its cool-down (caller's clock, ms). */
  get cooling(): string {
    return `${this.#tag}:cooling`;
  }

  /** Sorted set: cell name → a lower bound of its earliest lease expiry (server ms). */
  get expiries(): string {
    return `${this.#tag}:expiries`;
  }

  /** Sorted set: waiting request (its lease id) → arrival number: the fleet's line. */
  get queue(): string {
    return `${this.#tag}:queue`;
  }

  /** Hash: waiting request → what it asked for (weight, wait limit, layout and capacity version, cells). */
  get waiters(): string {
    return `${this.#tag}:waiters`;
  }

  /** Hash: lease id handed to a waiter → `<cell> <grantedAt> <weight>`, while the lease lives. */
  get granted(): string {
    return `${this.#tag}:granted`;
  }

  /** Set of the cell names of one layout (`id`: a digest of the names). */
  layout(id: string): string {
    return `${this.#tag}:layout:${id}`;
  }

  /** Pub/sub channel of one process (state instance): the places handed to its waiters. */
  wakeChannel(process: string): string {
    return `${this.#tag}:wake:${process}`;
  }
}
