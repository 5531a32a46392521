import type { AccountUsage } from './account-usage';

/** What `PoolState.acquire` is asked for. */
export interface AcquireRequest {
  /**
   * Cells to consider, by cell number, in the strategy's order of
   * preference (1-based, no duplicates). May be shorter than the pool:
   * cells already tried by this call are left out.
   */
  readonly preference: readonly number[];
  /**
   * Units of capacity per cell: `capacity[c - 1]` for cell c; its length is
   * the pool's cell count (its account count without regions). Positive
   * integers; "unlimited" is `Number.MAX_SAFE_INTEGER`.
   */
  readonly capacity: readonly number[];
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

/** `PoolState.acquire`'s answer: a lease, or why there is none. */
export type AcquireResult =
  | { readonly acquired: true; readonly lease: PoolLease }
  | {
      readonly acquired: false;
      /** Every account `1..capacity.length`, ordered by index. */
      readonly usage: readonly AccountUsage[];
    };
