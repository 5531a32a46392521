import type { AccountUsage } from './account-usage';
import type { LeaseOutcome, ReleaseResult } from './lease-outcome';
import type { AcquireRequest, AcquireResult, PoolLease, WaitOptions } from './pool-lease';
import type { PoolStateHealth } from './pool-state-health';

export type { AccountUsage } from './account-usage';
export type { BackoffPolicy, LeaseOutcome, ReleaseResult } from './lease-outcome';
export {
  type AcquireRefusal,
  type AcquireRequest,
  type AcquireResult,
  type PoolLease,
  PREFERENCE_LIMIT,
  type WaitOptions,
} from './pool-lease';
export type { PoolStateHealth } from './pool-state-health';

/**
 * The shared, mutable side of an {@link AccountPool}: who holds a lease on
 * which cell, which cells are cooling down after throttling, and how often
 * each was used. The pool keeps the policy (strategy order, capacity,
 * back-off parameters, waiting, retrying); a store only keeps the numbers
 * and applies each operation atomically.
 *
 * Two stores exist: {@link InMemoryPoolState} (one process, the default) and
 * `RedisPoolState` in `@credchain/redis` (a fleet of processes sharing one
 * namespace). Every operation returns a Promise so that a remote store fits;
 * a Redis store implements {@link PoolState.acquire} and
 * {@link PoolState.release} as one Lua script each.
 *
 * Cells: a store keeps its numbers per *cell*. A pool without regions has
 * one cell per account (every request's `regions` absent): cell n is
 * account n, as before regions existed. A pool with `regions` (R names) has
 * `count × R` cells in account-major order — cell c (1-based) is account
 * ⌈c / R⌉ in `regions[(c − 1) mod R]` ({@link cellsOf}); `preference` and
 * `capacity` are indexed by cell number, while a lease, a usage entry and
 * {@link PoolState.coolDown} name the cell by account `index` and `region`.
 * A store identifies a cell by that pair ({@link cellKey}), never by its
 * number, so pools listing the same regions in another order share cells.
 *
 * Rules every store follows:
 * - Accounts are 1-based numbers (`index`), regions are names such as
 *   `eu-central-1`. A store holds **no key material**: no access key id,
 *   secret or session token, only numbers, region names and lease ids.
 * - Times are epoch milliseconds **in the caller's clock**, as passed in
 *   `now`. A store compares and stores those values and never mixes in a
 *   clock of its own (a fleet is assumed to have roughly synchronised
 *   clocks). A store may use its own timer for lease expiry (TTL).
 * - Inputs come from the pool, which validates them (indices within
 *   `1..capacity.length`, no duplicates in `preference`, positive integer
 *   capacities, finite `now`). A store may trust them.
 * - An account a store has never seen has the zero record: nothing in
 *   flight, not cooled (`throttledUntil` 0), zero leases, throttles and
 *   streak, `lastLeasedAt` 0, and an episode start of 0 (see
 *   {@link PoolState.release}; kept by the store, not reported in
 *   {@link AccountUsage}).
 */
export interface PoolState {
  /**
   * When set, `AccountPool.run` calls {@link PoolState.renew} for each lease
   * it holds every `renewIntervalMs` while the call runs (a store whose
   * leases expire sets it well below its TTL, e.g. a third of it). Unset:
   * leases are never renewed (the in-memory store: they do not expire).
   */
  readonly renewIntervalMs?: number;

  /**
   * Optional. `AccountPool` hands the `logger` its caller gave it to the
   * store once, at construction, so that a shared store reports there (e.g.
   * `RedisPoolState`'s fall-back warning) rather than on stderr.
   */
  useLogger?(logger: { debug(message: string): void }): void;

  /**
   * Optional, for a shared store: whether its numbers are the fleet's
   * right now or only this process's (the store cannot be used). Read by
   * `AccountPool.stats()`, whose rows then carry it as `state`.
   */
  health?(): PoolStateHealth;

  /**
   * Atomically leases a cell that is neither cooling down
   * (`throttledUntil > request.now`) nor too full for the request's weight
   * (its units in flight + `weight` > `request.capacity[cell - 1]`), and
   * not in `request.exclude`: the first such cell of `request.preference`,
   * else any other such cell of the pool (the store's choice: the least
   * loaded for the stores here). Cells in `exclude` are never leased.
   *
   * On success, in the same atomic step: the cell's `inFlight` grows by
   * `weight` (default 1), its `leases` by one, and its `lastLeasedAt`
   * becomes `request.now`; the returned lease names the cell (`index`, and
   * `region` with regions), carries its `weight` when above 1, has an id
   * unique within the store (never reused, including across processes for a
   * shared store) and `grantedAt` = `request.now`.
   *
   * When no cell qualifies, nothing changes and the refusal says why
   * ({@link AcquireRefusal}: some usable cell is only full, all are cooling
   * down, or there is none) and when the first cool-down among the usable
   * cells ends (`retryAt`), so the pool can tell "wait for a release" from
   * "give up, or wait for a cool-down". The cost of an acquisition should
   * not grow with the number of cells (the Redis store reads its free cells
   * from sorted sets); {@link PoolState.usage} is the call that reads them all.
   */
  acquire(request: AcquireRequest): Promise<AcquireResult>;

  /**
   * Optional: the store keeps its own line of waiting requests — for a
   * shared store, one line for every process, first come first served
   * (within each request's `exclude`). Acquires as {@link PoolState.acquire};
   * when nothing qualifies and waiting can help (a usable cell is only
   * full, or a cool-down ends by `options.waitUntil`), the request joins
   * the line in the same atomic step, and the promise settles when a
   * release (or an expiry, or a cool-down's end) hands it a lease — one
   * wake-up for one waiter, not a broadcast. Aborting `options.signal`
   * rejects with its reason and takes the request out of the line at once
   * (a lease handed over in that race goes back).
   *
   * A refusal means: `'cooling'` or `'none'` — waiting would not help (as
   * for `acquire`); `'full'` — the store could not keep the request in its
   * line right now (e.g. a shared store that cannot reach what it shares):
   * the caller waits in a line of its own and retries with `acquire`.
   *
   * Without it, `AccountPool` keeps the line itself, in this process only,
   * and retries `acquire` when {@link PoolState.onRelease} fires.
   */
  wait?(request: AcquireRequest, options: WaitOptions): Promise<AcquireResult>;

  /**
   * Ends a lease and records how the call went, atomically.
   *
   * - The lease stops counting towards `inFlight`, once: releasing a lease
   *   that is unknown, already released or expired changes no `inFlight`
   *   (`released: false`) but the outcome is still recorded below, as it is
   *   a fact about the account.
   * - `{ kind: 'success' }`: if `lease.grantedAt` ≥ the account's episode
   *   start, its throttle `streak` becomes 0; otherwise nothing changes (the
   *   call was already running when the latest throttling episode began, so
   *   its success says nothing about the account since). A running
   *   cool-down is **not** shortened either way.
   * - `{ kind: 'failure' }` (an error that is not throttling): nothing else
   *   changes.
   * - `{ kind: 'throttled', … }`: `throttles` grows by one; then by
   *   `outcome.reason`:
   *   - absent or `'concurrency'`: if the cell is already cooling down at
   *     `outcome.now` (`throttledUntil > outcome.now`: another call of the
   *     same episode reported first) and that cool-down's `reason` is not
   *     `'rate'`, the streak, the cool-down and the episode start stay as
   *     they are. Otherwise a new episode starts: `streak` grows by one, the
   *     episode start becomes `outcome.now`, and `throttledUntil` becomes
   *     the later of its value and `outcome.now + delay`, where `delay =
   *     floor(min(backoff.maxMs, backoff.initialMs * backoff.multiplier **
   *     (streak - 1)) * outcome.jitterFactor)` with the new streak.
   *   - `'rate'`: streak and episode start stay; only the floor below applies.
   *   - `'reserved'`: nothing else changes (the cell itself is not full).
   *
   *   Then, for every reason but `'reserved'`, `throttledUntil` becomes at
   *   least `outcome.now + outcome.minDelayMs` (when given: the server's
   *   `Retry-After`, or a rate limit's short back-off). **A throttle never
   *   shortens a running cool-down**: `throttledUntil` only grows here.
   *   When it grew, the cell's `reason` becomes `outcome.reason` (absent:
   *   no reason).
   *
   * The episode start is per cell, 0 until a throttle starts a cool-down,
   * and only `release` changes it ({@link PoolState.coolDown} does not).
   *
   * Afterwards, when `released` is true, the store notifies its
   * {@link PoolState.onRelease} listeners (capacity may have freed).
   *
   * @returns the lease's fate and the account's streak and `throttledUntil`
   *   after the operation.
   */
  release(lease: PoolLease, outcome: LeaseOutcome): Promise<ReleaseResult>;

  /**
   * Sets the `throttledUntil` of account `index`'s cell in `region`
   * (the account itself without `region`) to exactly `until`, replacing any
   * earlier value, longer or shorter (0 ends a cool-down), and forgets its
   * `reason`. Does not change `throttles` or `streak`. Used by
   * `AccountPool.markThrottled`, where the caller chose the duration itself.
   */
  coolDown(index: number, until: number, region?: string): Promise<void>;

  /**
   * Keeps a lease alive while its call runs (`AccountPool.run` calls it
   * periodically for long calls). A store whose leases expire (TTL) extends
   * the lease's expiry, measured from `now`; the in-memory store has no
   * expiry and only answers.
   *
   * @returns true when the lease is still held; false when it is unknown,
   *   released or has expired (it is not revived).
   */
  renew(lease: PoolLease, now: number): Promise<boolean>;

  /**
   * A snapshot of the cells of accounts `1..count` (in each of `regions`,
   * when given), in cell order. `inFlight` counts the units of live leases
   * only (a store with TTLs drops expired ones first). `throttledUntil` is
   * reported as stored, even when it lies in the past relative to `now`;
   * the pool turns a past value into 0 when it shows it.
   */
  usage(count: number, now: number, regions?: readonly string[]): Promise<AccountUsage[]>;

  /**
   * Registers `listener`, called whenever capacity may have freed: after a
   * release that freed a lease, and — for a shared store — when another
   * process released or a lease expired, as soon as the store learns of it.
   * Calls may be spurious or coalesced; the listener only re-tries
   * {@link PoolState.acquire}. A listener must not throw (a store ignores a
   * throw). The pool also re-tries on its own timer, so a store that cannot
   * observe other processes still works, only slower.
   *
   * @returns a function that unregisters this listener (idempotent).
   */
  onRelease(listener: () => void): () => void;
}
