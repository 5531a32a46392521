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

  /** Hash of per-account numbers: `<i>:until`, `<i>:leases`, `<i>:throttles`, `<i>:streak`, `<i>:last`, `<i>:episode`. */
  get accounts(): string {
    return `${this.#tag}:accounts`;
  }

  /** Sorted set of account i's live leases: lease id → expiry (Redis clock, ms). */
  leases(index: number): string {
    return `${this.#tag}:leases:${index}`;
  }

  /** Accounts 1..count's lease sets, in order. */
  allLeases(count: number): string[] {
    return Array.from({ length: count }, (_, i) => this.leases(i + 1));
  }

  /** Pub/sub channel told about every release and expiry. */
  get releaseChannel(): string {
    return `${this.#tag}:released`;
  }
}
