/**
 * The shared, mutable side of an {@link AccountPool}: who holds a lease on
 * which account, which accounts are cooling down after throttling, and how
 * often each was used. The pool keeps the policy (strategy order, capacity,
 * back-off parameters, waiting, retrying); a store only keeps the numbers
 * and applies each operation atomically.
 *
 * Two stores exist: {@link InMemoryPoolState} (one process, the default) and
 * `RedisPoolState` in `@credchain/redis` (a fleet of processes sharing one
 * namespace). Every operation returns a Promise so that a remote store fits;
 * a Redis store implements {@link PoolState.acquire} and
 * {@link PoolState.release} as one Lua script each.
 *
 * Rules every store follows:
 * - Accounts are 1-based numbers (`index`). A store holds **no key
 *   material**: no access key id, secret or session token, only numbers and
 *   lease ids.
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
   * Atomically leases the first account in `request.preference` that is
   * neither cooling down (`throttledUntil > request.now`) nor full (its
   * live leases ≥ `request.capacity[index - 1]`).
   *
   * On success, in the same atomic step: the account's `inFlight` and
   * `leases` grow by one and its `lastLeasedAt` becomes `request.now`; the
   * returned lease id is unique within the store (never reused, including
   * across processes for a shared store) and its `grantedAt` is
   * `request.now`. Accounts not listed in `preference` are never leased.
   *
   * When no listed account qualifies, nothing changes and the refusal
   * carries {@link AccountUsage} for **every** account `1..capacity.length`
   * (not only the listed ones), read in the same atomic step, so the pool
   * can tell "all full" (wait) from "all cooling down" (give up or wait for
   * the earliest `throttledUntil`).
   */
  acquire(request: AcquireRequest): Promise<AcquireResult>;

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
   * - `{ kind: 'throttled', … }`: `throttles` grows by one. If the account
   *   is already cooling down at `outcome.now` (`throttledUntil >
   *   outcome.now`: another call of the same episode reported first), the
   *   streak, the cool-down and the episode start stay as they are.
   *   Otherwise a new episode starts: `streak` grows by one, the episode
   *   start becomes `outcome.now`, and `throttledUntil` becomes
   *   `outcome.now + delay`, where `delay = floor(min(backoff.maxMs,
   *   backoff.initialMs * backoff.multiplier ** (streak - 1)) *
   *   outcome.jitterFactor)` with the new streak.
   *
   * The episode start is per account, 0 until a throttle starts a
   * cool-down, and only `release` changes it ({@link PoolState.coolDown}
   * does not).
   *
   * Afterwards, when `released` is true, the store notifies its
   * {@link PoolState.onRelease} listeners (capacity may have freed).
   *
   * @returns the lease's fate and the account's streak and `throttledUntil`
   *   after the operation.
   */
  release(lease: PoolLease, outcome: LeaseOutcome): Promise<ReleaseResult>;

  /**
   * Sets account `index`'s `throttledUntil` to exactly `until`, replacing
   * any earlier value, longer or shorter (0 ends a cool-down). Does not
   * change `throttles` or `streak`. Used by `AccountPool.markThrottled`,
   * where the caller chose the duration itself.
   */
  coolDown(index: number, until: number): Promise<void>;

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
   * A snapshot of accounts `1..count`, ordered by index. `inFlight` counts
   * live leases only (a store with TTLs drops expired ones first).
   * `throttledUntil` is reported as stored, even when it lies in the past
   * relative to `now`; the pool turns a past value into 0 when it shows it.
   */
  usage(count: number, now: number): Promise<AccountUsage[]>;

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

/** What {@link PoolState.acquire} is asked for. */
export interface AcquireRequest {
  /**
   * Accounts to consider, in the strategy's order of preference (1-based,
   * no duplicates). May be shorter than the pool: accounts already tried by
   * this call are left out.
   */
  readonly preference: readonly number[];
  /**
   * Maximum concurrent leases per account: `capacity[index - 1]` for
   * account `index`; its length is the pool's account count. Positive
   * integers; "unlimited" is `Number.MAX_SAFE_INTEGER`.
   */
  readonly capacity: readonly number[];
  /** The caller's clock, epoch milliseconds. */
  readonly now: number;
}

/** A held place on one account. Opaque to callers besides `index`. */
export interface PoolLease {
  /** The leased account, 1-based. */
  readonly index: number;
  /** Unique within the store; holds no key material. */
  readonly id: string;
  /**
   * `now` of the {@link PoolState.acquire} request that granted it (epoch
   * ms, the caller's clock). {@link PoolState.release} compares it with the
   * account's throttling episode start, so that a success of a call begun
   * before the episode does not reset the back-off.
   */
  readonly grantedAt: number;
}

/** {@link PoolState.acquire}'s answer: a lease, or why there is none. */
export type AcquireResult =
  | { readonly acquired: true; readonly lease: PoolLease }
  | {
      readonly acquired: false;
      /** Every account `1..capacity.length`, ordered by index. */
      readonly usage: readonly AccountUsage[];
    };

/** The growing back-off of a throttled account, in plain numbers. */
export interface BackoffPolicy {
  /** The first cool-down of an episode, before jitter. */
  readonly initialMs: number;
  /** Each further consecutive throttle multiplies the cool-down by this (≥ 1). */
  readonly multiplier: number;
  /** The cool-down never exceeds this, before jitter. */
  readonly maxMs: number;
}

/** How the call that held a lease ended. */
export type LeaseOutcome =
  | { readonly kind: 'success' }
  | { readonly kind: 'failure' }
  | {
      readonly kind: 'throttled';
      /** The caller's clock when the throttling error arrived. */
      readonly now: number;
      readonly backoff: BackoffPolicy;
      /**
       * A factor in (0, 1] the pool drew (jitter); the store multiplies the
       * delay by it. Drawn by the pool so tests can seed it.
       */
      readonly jitterFactor: number;
    };

/** {@link PoolState.release}'s answer. */
export interface ReleaseResult {
  /** True when this call ended a live lease (so `inFlight` went down). */
  readonly released: boolean;
  /** The account's consecutive-throttle count after the operation. */
  readonly streak: number;
  /** The account's cool-down end after the operation (epoch ms; 0 = never cooled). */
  readonly throttledUntil: number;
}

/** One account as a store sees it. Numbers only, never key material. */
export interface AccountUsage {
  /** 1-based account number. */
  readonly index: number;
  /** Live leases right now. */
  readonly inFlight: number;
  /** End of the cool-down, epoch ms; 0 when never cooled (may lie in the past). */
  readonly throttledUntil: number;
  /** Leases ever granted. */
  readonly leases: number;
  /** Throttled outcomes ever recorded. */
  readonly throttles: number;
  /**
   * Consecutive throttling episodes since the last success of a call leased
   * at or after the latest episode's start (drives the back-off).
   */
  readonly streak: number;
  /** `now` of the latest grant, epoch ms; 0 when never leased. */
  readonly lastLeasedAt: number;
}
