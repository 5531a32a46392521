import type { CacheOutcome } from '../diagnostics/messages';

/** Cached credentials for one configuration (one chain fingerprint). */
export interface CacheEntry<T> {
  /**
   * The credentials, loading them if needed. Concurrent cold calls share one
   * load; a rejected load is never kept.
   */
  get(): Promise<T>;
  /**
   * Optional: what `get()` would do now — serve fresh credentials (`hit`),
   * load (`miss`), refresh them (`refresh`), or serve them while a failed
   * refresh waits to be retried (`stale`). Asked only while someone traces
   * `credchain:chain.resolve`. @default treated as `miss`
   */
  outcome?(): CacheOutcome;
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
