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
  /** The strategy ordering the cells for this call. @default the pool's */
  readonly strategy?: StrategyName | AccountPickStrategy;
  /**
   * Units of a cell's capacity this call takes while it runs — e.g. a
   * Remotion render with 20 renderer functions and its orchestrator: 21.
   * A positive integer; above every cell's capacity it is a `RangeError`
   * at once (no cell could ever run it). Cells too small for it are skipped.
   * @default 1
   */
  readonly weight?: number;
  /**
   * When every cell this call may still use is cooling down (throttled by
   * other calls), wait for the earliest to end if it ends within this many
   * milliseconds of the call's start; otherwise reject at once with an
   * `AccountsExhaustedError` whose `retryAfterMs` says when one is usable.
   * Waiting for capacity (cells full, not cooling) is not bounded by it:
   * that wait is FIFO and ends with a release or `signal`.
   * @default the pool's `maxWaitMs`: 30 000 with regions, 0 without
   */
  readonly maxWaitMs?: number;
}

/** What `fn` learns about the cell it runs on. */
export interface RunContext {
  /** The leased account, 1-based. */
  readonly index: number;
  /** The leased cell's region; absent for a pool without regions. */
  readonly region?: string;
  /** 1 for the first cell tried, 2 after one throttled, … */
  readonly attempt: number;
  /** {@link RunOptions.signal}, when given. */
  readonly signal?: AbortSignal;
}
