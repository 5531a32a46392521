import type { CacheEntry, CredentialCache } from './credential-cache';

/** Default bound on the configurations one cache keeps. */
export const DEFAULT_MAX_ENTRIES = 256;

/** An entry that can be emptied when its cache is invalidated. */
export interface ResettableEntry<T> extends CacheEntry<T> {
  reset(): void;
}

/**
 * The bookkeeping every strategy shares: one entry per key, oldest evicted
 * first beyond `maxEntries`. Subclasses decide what an entry keeps.
 */
export abstract class KeyedCache<T> implements CredentialCache<T> {
  private readonly entries = new Map<string, ResettableEntry<T>>();

  constructor(private readonly maxEntries = DEFAULT_MAX_ENTRIES) {}

  entry(key: string, load: () => Promise<T>): CacheEntry<T> {
    const existing = this.entries.get(key);
    if (existing !== undefined) return existing;
    const created = this.createEntry(load);
    this.entries.set(key, created);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.get(oldest)?.reset();
      this.entries.delete(oldest);
    }
    return created;
  }

  invalidate(): void {
    for (const entry of this.entries.values()) entry.reset();
    this.entries.clear();
  }

  /** How many configurations are cached. */
  get size(): number {
    return this.entries.size;
  }

  protected abstract createEntry(load: () => Promise<T>): ResettableEntry<T>;
}
