/** Cached credentials for one configuration (one chain fingerprint). */
export interface CacheEntry<T> {
  /**
   * The credentials, loading them if needed. Concurrent cold calls share one
   * load; a rejected load is never kept.
   */
  get(): Promise<T>;
}

/**
 * A credential cache strategy. Each instance owns its state: one
 * {@link CacheEntry} per configuration key.
 */
export interface CredentialCache<T> {
  /** The entry for `key`, created with `load` if there is none. */
  entry(key: string, load: () => Promise<T>): CacheEntry<T>;
  /** Forgets everything; the next `get()` of any entry loads again. */
  invalidate(): void;
}
