/** What `PoolState.acquire` is asked for. */
export interface AcquireRequest {
  /**
   * Cells to try first, by cell number, in the strategy's order of
   * preference (1-based, no duplicates). Usually a short prefix of the
   * strategy's order (`AccountPool.run` sends at most
   * {@link PREFERENCE_LIMIT}), so that a request's size does not grow with
   * the pool: when none of them qualifies, the store leases another cell
   * that does (its own choice, e.g. the least loaded), unless `exclude`
   * names it.
   */
  readonly preference: readonly number[];
  /**
   * Cells never to lease for this request, by cell number: the cells this
   * `run()` already tried (each is tried at most once per call). @default none
   */
  readonly exclude?: readonly number[];
  /**
   * Units of capacity per cell: `capacity[c - 1]` for cell c; its length is
   * the pool's cell count (its account count without regions). Positive
   * integers; "unlimited" is `Number.MAX_SAFE_INTEGER`.
   */
  readonly capacity: readonly number[];
  /**
   * Moves whenever the pool changes `capacity` in place (e.g.
   * `discoverCapacity()`): a store that keeps the capacities itself (Redis)
   * reads the array again only then. Absent: the store may read it at every
   * request.
   */
  readonly capacityRevision?: number;
  /** The caller's clock, epoch milliseconds. */
  readonly now: number;
  /** Units of a cell's capacity the lease takes: a positive integer. @default 1 */
  readonly weight?: number;
  /** The pool's regions, in cell order (see `PoolState`); absent without regions. */
  readonly regions?: readonly string[];
}

/** A held place on one cell. Opaque to callers besides `index`, `region` and `weight`. */
export interface PoolLease {
  /** The leased cell's account, 1-based. */
  readonly index: number;
  /** The leased cell's region; absent for a pool without regions. */
  readonly region?: string;
  /** Units of capacity it holds; absent means 1. */
  readonly weight?: number;
  /** Unique within the store; holds no key material. */
  readonly id: string;
  /**
   * `now` of the `PoolState.acquire` request that granted it (epoch
   * ms, the caller's clock). `PoolState.release` compares it with the
   * account's throttling episode start, so that a success of a call begun
   * before the episode does not reset the back-off.
   */
  readonly grantedAt: number;
}

/**
 * Why `PoolState.acquire` granted nothing, over the cells the request may
 * use (not in `exclude`, capacity at least its weight):
 * - `'full'`: one of them at least is not cooling down, only too full right
 *   now — a release will help, so the call waits;
 * - `'cooling'`: every one is cooling down (`retryAt` says when the first
 *   ends);
 * - `'none'`: there is none (every cell excluded or too small).
 */
export type AcquireRefusal = 'full' | 'cooling' | 'none';

/**
 * How many cells of the strategy's order `AccountPool.run` sends as
 * {@link AcquireRequest.preference}: the store chooses among the others
 * itself, so a request has the same size for 3 accounts as for 3,000.
 */
export const PREFERENCE_LIMIT = 8;

/** `PoolState.acquire`'s answer: a lease, or why there is none. */
export type AcquireResult =
  | { readonly acquired: true; readonly lease: PoolLease }
  | {
      readonly acquired: false;
      readonly refusal: AcquireRefusal;
      /**
       * The earliest end (epoch ms, the caller's clock) of the cool-downs
       * of the cells the request may use; 0 when none of them is cooling.
       */
      readonly retryAt: number;
    };

/** How {@link PoolState.wait} may serve a request. */
export interface WaitOptions {
  /** Aborting it rejects the wait with its reason and takes the request out of the line at once. */
  readonly signal?: AbortSignal;
  /**
   * When every cell the request may use is cooling down: wait for the first
   * to end if it ends by this time (epoch ms, the caller's clock), else
   * answer `'cooling'` at once. @default never wait for a cool-down
   */
  readonly waitUntil?: number;
  /** The pool's `waitPollMs`: how often to look again when nothing said so. */
  readonly pollMs: number;
}
