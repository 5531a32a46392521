import { randomBytes } from 'node:crypto';
import {
  type AccountUsage,
  type AcquireRequest,
  type AcquireResult,
  type CellRef,
  cellKey,
  cellsOf,
  type LeaseOutcome,
  type PoolLease,
  type PoolState,
  type ReleaseResult,
  type ThrottleReason,
} from '@credchain/aws';
import { diagnosticChannels, type RedisFallbackMessage } from '@credchain/core';
import type Redis from 'ioredis';
import { describeRedisFailure } from './describe-redis-failure';
import { type HeldLease, LocalLeaseBook, leaseOf } from './local-lease-book';
import { defineLuaScripts, type RedisWithScripts } from './lua-scripts';
import { parseCellUsage } from './parse-cell-usage';
import { RedisKeys } from './redis-keys';
import { RedisPoolStateError } from './redis-pool-state-error';
import {
  type RedisPoolStateConfig,
  type RedisPoolStateOptions,
  resolveRedisPoolStateConfig,
} from './redis-pool-state-options';
import { withTimeout } from './with-timeout';

/** Lease ids Redis may still hold although this process has let them go. */
interface PendingRemoval {
  readonly id: string;
  /** Units (members in a lease set: `<id>`, `<id>#2`, …). */
  readonly weight: number;
  /** The cells whose lease sets may hold it (every cell known after a timed-out acquire). */
  readonly cells: readonly string[];
}

/** Where leases come from right now. */
type Mode = 'redis' | 'fallback';

// ioredis states in which a command would only wait in the offline queue.
const DISCONNECTED = new Set(['reconnecting', 'close', 'end']);

/**
 * A {@link PoolState} shared by every process that uses the same Redis and
 * `namespace`: account capacity and cool-downs hold fleet-wide.
 *
 * - Acquiring (first account of the strategy's order that is neither cooling
 *   down nor full) is one Lua script, so two processes never both take the
 *   last place. Releasing, renewing, cooling down and reading usage are one
 *   script each (`lua/`, registered once with `defineCommand`; a Redis that
 *   lost them after a restart gets them again).
 * - Leases expire `leaseTtlMs` after their last renewal (Redis's clock);
 *   `AccountPool.run` renews running ones every `renewIntervalMs`. A process
 *   killed mid-call frees its places within `leaseTtlMs`.
 * - Every command has its own timeout (`commandTimeoutMs`), whatever the
 *   client's options. When Redis cannot be used (unreachable, hanging, or
 *   answering errors such as READONLY) the state falls back to this
 *   process's memory — leases already in flight keep counting, known
 *   cool-downs and throttle-episode starts are kept — and warns once per
 *   instance (later outages go to the logger's `debug`); it probes Redis and
 *   uses it again when it answers, writing back every lease still running
 *   here (Redis may have lost those it granted), the cool-downs and the
 *   streak changes of the meantime (the README says what is not). With
 *   `onRedisError: 'fail'`, `acquire`, `usage` and `coolDown` reject with
 *   {@link RedisPoolStateError} instead. `release` and `renew` never reject:
 *   a lease Redis could not be told about is removed when Redis returns, or
 *   expires by its TTL.
 * - A lease Redis has let expire is not revived: `renew` answers false and
 *   `release` reports `released: false`.
 * - Redis holds account numbers, counters, times and random lease ids only:
 *   never a key id, secret or token.
 *
 * The caller owns `redis` (an ioredis client) and closes it; call
 * {@link RedisPoolState.close} first to stop the probe and the pub/sub
 * connection this state opened.
 *
 * @example
 * ```ts
 * const redis = new Redis(process.env.REDIS_URL);
 * const state = new RedisPoolState(redis, { namespace: 'render-fleet', leaseTtlMs: 15_000 });
 * const pool = AccountPool.fromEnv(process.env, { capacity: 4, state });
 * await pool.run(() => renderMediaOnLambda(...));
 * ```
 */
export class RedisPoolState implements PoolState {
  /** How often `AccountPool.run` renews a running lease. */
  readonly renewIntervalMs: number;
  readonly #redis: RedisWithScripts;
  readonly #config: RedisPoolStateConfig;
  readonly #keys: RedisKeys;
  #logger: RedisPoolStateOptions['logger'];
  readonly #ownLogger: boolean;
  readonly #instanceId = randomBytes(6).toString('hex');
  readonly #book = new LocalLeaseBook();
  readonly #pendingRemovals: PendingRemoval[] = [];
  readonly #listeners = new Set<() => void>();
  #mode: Mode = 'redis';
  #sequence = 0;
  /** Every cell name this state was asked about: where a lost acquisition may have landed. */
  readonly #knownCells = new Set<string>();
  #emittedWarning = false;
  /** When the current fall-back began (epoch ms), for `credchain:redis.fallback`. */
  #fallbackSince = 0;
  #probeTimer: NodeJS.Timeout | undefined;
  #probing = false;
  #subscriber: Redis | undefined;
  #closed = false;
  #flushing: Promise<void> | undefined;

  /**
   * @param redis an ioredis client the caller owns (it is not closed here).
   * @throws TypeError / RangeError for a namespace Redis keys should not
   *   hold, or timings that could let a running lease expire.
   */
  constructor(redis: Redis, options: RedisPoolStateOptions) {
    this.#config = resolveRedisPoolStateConfig(options);
    this.renewIntervalMs = this.#config.renewIntervalMs;
    this.#keys = new RedisKeys(this.#config.namespace);
    this.#logger = options.logger;
    this.#ownLogger = options.logger !== undefined;
    this.#redis = defineLuaScripts(redis);
  }

  /**
   * Called by `AccountPool` with the logger its caller gave it: the
   * fall-back warning goes there unless this state was given its own.
   */
  useLogger(logger: { debug(message: string): void; warn?(message: string): void }): void {
    if (!this.#ownLogger) this.#logger = logger;
  }

  /** `'redis'`, or `'fallback'` while Redis cannot be used. */
  get mode(): Mode {
    return this.#mode;
  }

  /** The options in force, defaults applied. */
  get config(): RedisPoolStateConfig {
    return this.#config;
  }

  /** Leases this process holds right now, per account (index → count). */
  heldLeases(): ReadonlyMap<number, number> {
    return this.#book.heldPerAccount();
  }

  async acquire(request: AcquireRequest): Promise<AcquireResult> {
    this.#assertOpen('acquire');
    const count = request.capacity.length;
    const cells = cellsOf(count / (request.regions?.length ?? 1), request.regions);
    const names = this.#namesOf(cells);
    const weight = request.weight ?? 1;
    if (this.#mode === 'fallback') return this.#acquireLocally(request);
    const id = this.#newLeaseId();
    let reply: unknown;
    try {
      reply = await this.#command('acquire', () =>
        this.#redis.credchainAcquire(
          1 + count,
          this.#keys.accounts,
          ...this.#keys.cellLeases(names),
          request.now,
          this.#config.leaseTtlMs,
          id,
          count,
          request.preference.length,
          ...request.preference,
          ...request.capacity.map((c) => Math.min(c, Number.MAX_SAFE_INTEGER)),
          this.#keys.releaseChannel,
          weight,
          ...names,
        ),
      );
    } catch (error) {
      // The script may still run when Redis answers again (ioredis keeps it
      // queued): make sure that lease is removed then, wherever it landed.
      this.#pendingRemovals.push({ id, weight, cells: names });
      this.#failed('acquire', error, true);
      return this.#acquireLocally(request);
    }
    if (this.#pendingRemovals.length > 0) void this.#flushRemovals().catch(() => undefined);
    const values = reply as (number | string)[];
    if (Number(values[0]) === 1) {
      const cell = cells[Number(values[1]) - 1] as CellRef;
      this.#book.hold(id, cell, weight, true, request.now);
      return { acquired: true, lease: leaseOf(cell, id, request.now, weight) };
    }
    return { acquired: false, usage: this.#parseUsage(values.slice(1), cells) };
  }

  async release(lease: PoolLease, outcome: LeaseOutcome): Promise<ReleaseResult> {
    const cell = cellKey(lease.index, lease.region);
    const weight = lease.weight ?? 1;
    const held = this.#book.unhold(lease.id, cell);
    const releasedHere = held !== undefined;
    let result: ReleaseResult | undefined;
    if (this.#mode === 'redis') {
      try {
        const reply = (await this.#command('release', () =>
          this.#redis.credchainRelease(
            2,
            this.#keys.accounts,
            this.#keys.leases(cell),
            cell,
            lease.id,
            outcome.kind,
            outcome.kind === 'throttled' ? outcome.now : 0,
            outcome.kind === 'throttled' ? outcome.backoff.initialMs : 0,
            outcome.kind === 'throttled' ? outcome.backoff.multiplier : 1,
            outcome.kind === 'throttled' ? outcome.backoff.maxMs : 0,
            outcome.kind === 'throttled' ? outcome.jitterFactor : 1,
            this.#keys.releaseChannel,
            lease.grantedAt,
            weight,
            outcome.kind === 'throttled' ? (outcome.reason ?? '') : '',
            outcome.kind === 'throttled' ? Math.max(0, outcome.minDelayMs ?? 0) : 0,
          ),
        )) as (number | string)[];
        const [released, streak, throttledUntil, episodeStart] = reply.slice(0, 4).map(Number) as [
          number,
          number,
          number,
          number,
        ];
        const reason = (reply[4] || undefined) as ThrottleReason | undefined;
        this.#book.rememberRelease(cell, outcome, {
          streak,
          throttledUntil,
          episodeStart,
          reason,
        });
        // Redis had let the lease expire: it was not released here, unless
        // Redis never had it (granted from memory, not yet written back).
        result = { released: released === 1 || held?.inRedis === false, streak, throttledUntil };
      } catch (error) {
        // After close() the caller may have closed its client: not an outage.
        if (!this.#closed) this.#failed('release', error, false);
      }
    }
    if (result === undefined) {
      if (held?.inRedis !== false) {
        this.#pendingRemovals.push({ id: lease.id, weight, cells: [cell] });
      }
      result = { released: releasedHere, ...this.#book.applyOutcome(lease, outcome) };
    }
    if (result.released) this.#notify();
    return result;
  }

  async coolDown(index: number, until: number, region?: string): Promise<void> {
    this.#assertOpen('coolDown');
    const cell = cellKey(index, region);
    if (this.#mode === 'redis') {
      try {
        await this.#command('coolDown', () =>
          this.#redis.credchainCoolDown(1, this.#keys.accounts, cell, until, 'set', ''),
        );
        this.#book.coolDown(cell, until, false);
        return;
      } catch (error) {
        this.#book.coolDown(cell, until, true);
        this.#failed('coolDown', error, true);
        return;
      }
    }
    this.#book.coolDown(cell, until, true);
  }

  /**
   * Extends a live lease by `leaseTtlMs` (Redis's clock). A lease Redis has
   * let expire is not revived — its place may be another process's now —
   * and the answer is false. A lease Redis may not have because it was
   * granted or held during a fall-back is written back instead (true).
   * While falling back, or when Redis cannot be reached, answers whether
   * this process holds the lease.
   */
  async renew(lease: PoolLease, _now: number): Promise<boolean> {
    const held = this.#book.held(lease.id, cellKey(lease.index, lease.region));
    if (held === undefined || held.expired) return false;
    if (this.#mode !== 'redis') return true;
    try {
      if (!held.inRedis) {
        await this.#adopt(lease.id, held);
        return this.#book.holds(lease.id);
      }
      const live = Number(
        await this.#command('renew', () =>
          this.#redis.credchainRenew(
            1,
            this.#keys.leases(held.cell),
            lease.id,
            this.#config.leaseTtlMs,
            held.weight,
          ),
        ),
      );
      if (live !== 1) {
        // Never written back by a later probe: its place may be taken.
        held.expired = true;
        return false;
      }
      return this.#book.holds(lease.id);
    } catch (error) {
      if (!this.#closed) this.#failed('renew', error, false);
      return this.#book.holds(lease.id);
    }
  }

  async usage(count: number, _now: number, regions?: readonly string[]): Promise<AccountUsage[]> {
    this.#assertOpen('usage');
    const cells = cellsOf(count, regions);
    const names = this.#namesOf(cells);
    if (this.#mode === 'redis') {
      try {
        const reply = (await this.#command('usage', () =>
          this.#redis.credchainUsage(
            1 + cells.length,
            this.#keys.accounts,
            ...this.#keys.cellLeases(names),
            cells.length,
            this.#keys.releaseChannel,
            ...names,
          ),
        )) as (number | string)[];
        return this.#parseUsage(reply, cells);
      } catch (error) {
        this.#failed('usage', error, true);
      }
    }
    return this.#book.usage(cells);
  }

  onRelease(listener: () => void): () => void {
    const entry = () => listener();
    this.#listeners.add(entry);
    if (this.#config.wakeUp === 'pubsub') this.#subscribe();
    return () => {
      this.#listeners.delete(entry);
    };
  }

  /**
   * Stops the probe timer and closes the pub/sub connection this state
   * opened; tries once (bounded) to remove leases Redis may still hold for
   * this process. Does not close the caller's client. Afterwards `acquire`,
   * `usage` and `coolDown` reject; `release` and `renew` still end: they
   * reach Redis (bounded by `commandTimeoutMs`) while the client is open,
   * and otherwise answer from this process's memory, without falling back
   * or warning.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    clearTimeout(this.#probeTimer);
    this.#probeTimer = undefined;
    if (this.#mode === 'redis') await this.#flushRemovals().catch(() => undefined);
    this.#closed = true;
    this.#subscriber?.disconnect();
    this.#subscriber = undefined;
    this.#listeners.clear();
  }

  /** A closed state grants nothing: using it is a mistake, not a Redis outage. */
  #assertOpen(operation: string): void {
    if (this.#closed) {
      throw new RedisPoolStateError(operation, 'this RedisPoolState was closed (close())');
    }
  }

  #newLeaseId(): string {
    return `${this.#instanceId}.${++this.#sequence}`;
  }

  /** Redis's numbers → usage, remembered (with episode starts) so a fall-back starts from them. */
  #parseUsage(reply: readonly (number | string)[], cells: readonly CellRef[]): AccountUsage[] {
    const { usage, episodeStarts } = parseCellUsage(reply, cells);
    this.#book.rememberUsage(usage, episodeStarts);
    return usage;
  }

  /** The cells' names, remembered: a lost acquisition may have landed in any of them. */
  #namesOf(cells: readonly CellRef[]): string[] {
    return cells.map(({ index, region }) => {
      const name = cellKey(index, region);
      this.#knownCells.add(name);
      return name;
    });
  }

  #acquireLocally(request: AcquireRequest): AcquireResult {
    return this.#book.acquire(request, () => this.#newLeaseId());
  }

  /** One Redis command, bounded in time; fails at once while the client is disconnected. */
  #command<T>(what: string, run: () => Promise<T>): Promise<T> {
    const status = this.#redis.status;
    if (DISCONNECTED.has(status)) {
      return Promise.reject(new Error(`the Redis connection is ${status}`));
    }
    let work: Promise<T>;
    try {
      work = run();
    } catch (error) {
      return Promise.reject(error);
    }
    // A late failure after the timeout must not become an unhandled rejection.
    work.catch(() => undefined);
    return withTimeout(work, this.#config.commandTimeoutMs, what);
  }

  /** Redis could not be used: fall back (and warn), or — for acquire & co. with 'fail' — throw. */
  #failed(operation: string, error: unknown, mayThrow: boolean): void {
    const reason = describeRedisFailure(error);
    if (this.#config.onRedisError === 'fail') {
      if (mayThrow) throw new RedisPoolStateError(operation, reason, { cause: error });
      return;
    }
    if (this.#mode === 'fallback') return;
    this.#mode = 'fallback';
    this.#fallbackSince = Date.now();
    this.#book.markAllUnshared();
    publishFallback({ namespace: this.#config.namespace, state: 'entered', reason });
    this.#warn(
      `RedisPoolState "${this.#config.namespace}": Redis cannot be used (${operation}: ${reason}); leasing from this process's memory until it answers again. Meanwhile capacity holds per process only: N processes falling back may use up to N × an account's limit.`,
    );
    this.#scheduleProbe();
  }

  /** The fall-back warning: once per instance, whichever way it goes. */
  #warn(message: string): void {
    const logger = this.#logger;
    // A flapping Redis must not flood the logs: later fall-backs go to debug.
    if (this.#emittedWarning) {
      logger?.debug(message);
      return;
    }
    this.#emittedWarning = true;
    if (logger) {
      if (typeof logger.warn === 'function') logger.warn(message);
      else logger.debug(message);
      return;
    }
    process.emitWarning(message, { code: 'CREDCHAIN_REDIS_FALLBACK' });
  }

  #scheduleProbe(): void {
    if (this.#closed || this.#probeTimer !== undefined) return;
    this.#probeTimer = setTimeout(() => {
      this.#probeTimer = undefined;
      void this.#probe();
    }, this.#config.probeIntervalMs);
    // A waiting probe alone must not keep the process alive.
    this.#probeTimer.unref();
  }

  /** While falling back: is Redis usable again? Then write back what happened meanwhile. */
  async #probe(): Promise<void> {
    if (this.#closed || this.#probing || this.#mode !== 'fallback') return;
    this.#probing = true;
    try {
      await this.#command('ping', () => this.#redis.ping());
      await this.#flushRemovals();
      for (const [cell, coolDown] of this.#book.unsharedCoolDowns()) {
        await this.#command('coolDown', () =>
          this.#redis.credchainCoolDown(
            1,
            this.#keys.accounts,
            cell,
            coolDown.until,
            'extend',
            coolDown.reason ?? '',
          ),
        );
        this.#book.coolDownShared(cell, coolDown);
      }
      for (const [cell, episode] of this.#book.unsharedEpisodes()) {
        await this.#command('mergeEpisode', () =>
          this.#redis.credchainMergeEpisode(
            1,
            this.#keys.accounts,
            cell,
            episode.episodeStart,
            episode.streak,
            episode.resetAt,
          ),
        );
        this.#book.episodeShared(cell, episode);
      }
      await this.#shareLocalLeases();
      await this.#flushRemovals();
      this.#mode = 'redis';
      // Leases granted from memory while this probe ran: count them too.
      void this.#shareLocalLeases().catch(() => undefined);
      this.#logger?.debug(
        `RedisPoolState "${this.#config.namespace}": Redis answers again; leases and cool-downs are shared again`,
      );
      publishFallback({
        namespace: this.#config.namespace,
        state: 'left',
        durationMs: Date.now() - this.#fallbackSince,
      });
      this.#notify();
    } catch {
      this.#scheduleProbe();
    } finally {
      this.#probing = false;
    }
  }

  /**
   * Calls running since before or during the fall-back: count them fleet-wide
   * (write their leases to Redis, whatever Redis lost meanwhile).
   */
  async #shareLocalLeases(): Promise<void> {
    for (const [id, held] of this.#book.unshared()) await this.#adopt(id, held);
  }

  /** Writes one held lease back to Redis; taken out again if released meanwhile. */
  async #adopt(id: string, held: HeldLease): Promise<void> {
    await this.#command('adopt', () =>
      this.#redis.credchainAdopt(
        1,
        this.#keys.leases(held.cell),
        id,
        this.#config.leaseTtlMs,
        held.weight,
      ),
    );
    if (this.#book.holds(id)) {
      held.inRedis = true;
    } else {
      this.#pendingRemovals.push({ id, weight: held.weight, cells: [held.cell] });
      void this.#flushRemovals().catch(() => undefined);
    }
  }

  /** Removes lease ids Redis may still hold although this process let them go (one flush at a time). */
  #flushRemovals(): Promise<void> {
    this.#flushing ??= this.#flushRemovalsNow().finally(() => {
      this.#flushing = undefined;
    });
    return this.#flushing;
  }

  async #flushRemovalsNow(): Promise<void> {
    while (this.#pendingRemovals.length > 0) {
      const next = this.#pendingRemovals[0] as PendingRemoval;
      const cells = next.cells.length > 0 ? next.cells : [...this.#knownCells];
      const members = [next.id];
      for (let unit = 2; unit <= next.weight; unit++) members.push(`${next.id}#${unit}`);
      await this.#command('release', async () => {
        const batch = this.#redis.multi();
        for (const cell of cells) batch.zrem(this.#keys.leases(cell), ...members);
        batch.publish(this.#keys.releaseChannel, 'removed');
        return batch.exec();
      });
      this.#pendingRemovals.shift();
    }
  }

  #subscribe(): void {
    if (this.#subscriber || this.#closed) return;
    // Subscribing takes a connection of its own; it inherits the caller's options.
    const subscriber = this.#redis.duplicate();
    this.#subscriber = subscriber;
    // Without a listener ioredis would print every reconnection error; the
    // main connection's failures are what decide the fall-back.
    subscriber.on('error', () => undefined);
    subscriber.on('message', () => this.#notify());
    subscriber.subscribe(this.#keys.releaseChannel).catch(() => undefined);
  }

  #notify(): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener();
      } catch {
        // A listener only re-tries acquisition; its failure is not ours to report.
      }
    }
  }
}

/** `credchain:redis.fallback`, when someone listens. */
function publishFallback(message: RedisFallbackMessage): void {
  const channel = diagnosticChannels.redisFallback;
  if (channel.hasSubscribers) channel.publish(message);
}
