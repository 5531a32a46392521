import type { AccountPickStrategy } from './account-pick-strategy';
import type { StrategyName } from './account-pool-options';

/** Options of {@link AccountPool.run}. */
export interface RunOptions {
  /**
   * Aborting it rejects a call still waiting for a place (with the signal's
   * reason) and frees its place in the queue at once; `fn` never starts
   * after an abort (a place granted in that race is released). It is also
   * handed to `fn`, which decides what an abort means for work already
   * started.
   */
  readonly signal?: AbortSignal;
  /** The strategy ordering the accounts for this call. @default the pool's */
  readonly strategy?: StrategyName | AccountPickStrategy;
}

/** What `fn` learns about the account it runs on. */
export interface RunContext {
  /** The leased account, 1-based. */
  readonly index: number;
  /** 1 for the first account tried, 2 after one throttled, … */
  readonly attempt: number;
  /** {@link RunOptions.signal}, when given. */
  readonly signal?: AbortSignal;
}
