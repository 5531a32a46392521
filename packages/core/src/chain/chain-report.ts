/** What happened at one link of the chain. */
export type AttemptOutcome = 'resolved' | 'unavailable' | 'failed' | 'not-reached';

/** One link of a {@link ChainReport}. */
export interface Attempt {
  readonly provider: string;
  readonly outcome: AttemptOutcome;
  /** Why the link gave nothing (absent for `resolved` and `not-reached`). */
  readonly reason?: string;
  /** Time spent in the link, in milliseconds (0 when not reached). */
  readonly durationMs: number;
}

/** The result of {@link ProviderChain.explain}: every link, in order. */
export interface ChainReport {
  /** The name of the link that resolved, or `null`. */
  readonly resolvedBy: string | null;
  readonly attempts: readonly Attempt[];
  /**
   * Configuration worth a word although the chain ran (e.g. two sources
   * configured: which one wins, which one is ignored). Always present in
   * what `explain()` returns; empty when there is nothing to say.
   */
  readonly warnings?: readonly string[];
}
