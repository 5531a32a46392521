import { randomBytes } from 'node:crypto';
import {
  type AccountUsage,
  type AcquireRequest,
  type AcquireResult,
  type CellRef,
  cellKey,
  type LeaseOutcome,
  type PoolLease,
  type PoolState,
  type PoolStateHealth,
  type ReleaseResult,
  type ThrottleReason,
  type WaitOptions,
} from '@credchain/aws';
import { CellLayouts } from './cell-layouts';
import { adaptRedisClient, type RedisPoolStateClient } from './client/adapt-redis-client';
import type { RedisScriptClient } from './client/redis-script-client';
import { FleetLine } from './fleet-line';
import { LeaseAcquisition } from './lease-acquisition';
import { LocalLeaseBook } from './local-lease-book';
import { loadLuaScripts } from './lua-scripts';
import { parseCellUsage } from './parse-cell-usage';
import { PoolScripts } from './pool-scripts';
import { RedisKeys } from './redis-keys';
import { RedisLink } from './redis-link';
import { RedisNotSentError } from './redis-not-sent-error';
import {
  type RedisPoolStateConfig,
  type RedisPoolStateOptions,
  resolveRedisPoolStateConfig,
} from './redis-pool-state-options';
import { ReleaseWakeUps } from './release-wake-ups';

/** Where leases come from right now. */
type Mode = 'redis' | 'fallback';

/**
 * A {@link PoolState} shared by every process that uses the same Redis and
 * `namespace`: account capacity and cool-downs hold fleet-wide.
 *
 * - Acquiring (first cell of the strategy's order that is neither cooling
 *   down nor full) is one Lua script, so two processes never both take the
 *   last place; releasing is one more. Each process renews every lease it
 *   holds in one script per renewal period (its heartbeat, which also
 *   registers it as alive). Scripts are files in `lua/`, sent by EVALSHA
 *   (and again when Redis answers NOSCRIPT), every key under one hash tag.
 * - Leases expire `leaseTtlMs` after their last renewal (Redis's clock): a
 *   process killed mid-call frees its places within `leaseTtlMs`.
 * - Every command has its own timeout (`commandTimeoutMs`), whatever the
 *   client's options. When Redis cannot be used (unreachable, hanging,
 *   READONLY, CLUSTERDOWN, a failover under way), the state warns and —
 *   with `onRedisError: 'fallback'` — keeps running its calls and starts
 *   new ones only in the places of its own calls that end, while Redis still
 *   counts those places for it: the fleet never exceeds a cell's capacity.
 *   With `'fail'`, `acquire`, `usage` and `coolDown` reject meanwhile. When
 *   Redis answers again the process checks in (its running leases renewed
 *   or written anew, the ended ones removed, cool-downs and streaks merged)
 *   before it shares again, and says so at warn.
 * - After a failover (or any time no process could reach Redis for half a
 *   TTL), the leases of processes that have not checked in yet stay counted
 *   even when expired, for one TTL: a call still running is never given to
 *   another process, however long the outage was.
 * - Redis holds account numbers, counters, times and random ids only:
 *   never a key id, secret or token.
 *
 * The caller owns `redis` — an ioredis `Redis` (Sentinels included) or
 * `Cluster`, or a connected node-redis v4/v5 client, cluster or sentinel —
 * and closes it; call {@link RedisPoolState.close} first.
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
  /** How often `AccountPool.run` asks whether a running lease still counts (the heartbeat's period). */
  readonly renewIntervalMs: number;
  readonly #client: RedisScriptClient;
  readonly #config: RedisPoolStateConfig;
  readonly #scripts: PoolScripts;
  readonly #instanceId = randomBytes(6).toString('hex');
  readonly #book = new LocalLeaseBook();
  readonly #link: RedisLink;
  readonly #wakeUps = new ReleaseWakeUps();
  readonly #line: FleetLine;
  readonly #layouts: CellLayouts;
  readonly #acquisition: LeaseAcquisition;

  /**
   * @param redis an ioredis client or a connected node-redis client the
   *   caller owns (it is not closed here).
   * @throws TypeError for another kind of client (naming the supported
   *   ones), or a namespace Redis keys should not hold; RangeError for
   *   timings that could let a running lease expire.
   */
  constructor(redis: RedisPoolStateClient, options: RedisPoolStateOptions) {
    this.#config = resolveRedisPoolStateConfig(options);
    this.#client = adaptRedisClient(redis);
    this.renewIntervalMs = this.#config.heartbeatMs;
    const keys = new RedisKeys(this.#config.namespace);
    this.#scripts = new PoolScripts(this.#client, loadLuaScripts(), keys, this.#config);
    this.#layouts = new CellLayouts(this.#scripts);
    this.#link = new RedisLink({
      config: this.#config,
      scripts: this.#scripts,
      book: this.#book,
      instanceId: this.#instanceId,
      logger: options.logger,
      evacuate: () => this.#line.evacuate(),
      rejoined: () => this.#line.rejoined(),
      wake: () => this.#wakeUps.notify(),
    });
    this.#line = new FleetLine({
      scripts: this.#scripts,
      subscriber: this.#config.wakeUp === 'pubsub' ? this.#client.subscriber() : undefined,
      channel: keys.wakeChannel(this.#instanceId),
      adopt: (id, set, number, request, grantedAt) =>
        this.#acquisition.adopt(id, set, number, request, grantedAt),
      failed: (operation, error) => this.#link.failedUnlessClosed(operation, error),
    });
    this.#acquisition = new LeaseAcquisition({
      config: this.#config,
      scripts: this.#scripts,
      layouts: this.#layouts,
      book: this.#book,
      link: this.#link,
      line: this.#line,
      instanceId: this.#instanceId,
    });
  }

  /**
   * Called by `AccountPool` with the logger its caller gave it: the
   * fall-back warning and the recovery line go there unless this state was
   * given its own.
   */
  useLogger(logger: { debug(message: string): void; warn?(message: string): void }): void {
    this.#link.useLogger(logger);
  }

  /** `'redis'`, or `'fallback'` while Redis cannot be used (whatever `onRedisError`). */
  get mode(): Mode {
    return this.#link.degraded ? 'fallback' : 'redis';
  }

  /** The options in force, defaults applied. */
  get config(): RedisPoolStateConfig {
    return this.#config;
  }

  /**
   * Whether the numbers are the fleet's (`'shared'`) or only what this
   * process knows while Redis cannot be used (`'degraded'`, since when and
   * why), and how many processes the latest heartbeat saw alive.
   */
  health(): PoolStateHealth {
    return this.#link.health();
  }

  /** Leases this process holds right now, per account (index → count). */
  heldLeases(): ReadonlyMap<number, number> {
    return this.#book.heldPerAccount();
  }

  /**
   * One script (`acquire.lua`) whose size and cost do not grow with the
   * pool: a preferred cell that fits, else the roomiest other one, or why
   * not. Nobody may take a place while the fleet's line is not empty.
   */
  async acquire(request: AcquireRequest): Promise<AcquireResult> {
    const answer = await this.#acquisition.acquire(request, undefined);
    return typeof answer === 'string' ? { acquired: false, refusal: 'full', retryAt: 0 } : answer;
  }

  /**
   * {@link RedisPoolState.acquire}, and when waiting helps, a place in the
   * fleet's line in the same script: a release in any process hands the
   * next waiter its place and wakes only that waiter's process (one
   * message). Aborting leaves the line at once. While Redis cannot be used,
   * answers at once (`'full'`: the pool waits in its own process).
   */
  async wait(request: AcquireRequest, options: WaitOptions): Promise<AcquireResult> {
    for (;;) {
      const answer = await this.#acquisition.acquire(request, options);
      if (typeof answer !== 'string') return answer;
    }
  }

  async release(lease: PoolLease, outcome: LeaseOutcome): Promise<ReleaseResult> {
    const cell = cellKey(lease.index, lease.region);
    const weight = lease.weight ?? 1;
    const held = this.#book.unhold(lease.id, cell);
    let result: ReleaseResult | undefined;
    if (!this.#link.degraded) {
      try {
        const reply = await this.#scripts.release(cell, lease, outcome, Date.now());
        const [released, streak, throttledUntil, episodeStart] = reply.slice(0, 4).map(Number) as [
          number,
          number,
          number,
          number,
        ];
        const reason = (reply[4] || undefined) as ThrottleReason | undefined;
        this.#book.numbers.rememberRelease(cell, outcome, {
          streak,
          throttledUntil,
          episodeStart,
          reason,
        });
        // Redis had let the lease expire: it was not released here, unless
        // Redis never had it (granted from memory, not yet written back).
        result = { released: released === 1 || held?.inRedis === false, streak, throttledUntil };
      } catch (error) {
        this.#book.addRemoval(lease.id, weight, [cell]);
        // Never sent: Redis still counts the place for this process. Sent,
        // its effect is unknown: the place is not reused.
        if (error instanceof RedisNotSentError && held !== undefined) this.#book.keepPlace(held);
        // After close() the caller may have closed its client: not an outage.
        this.#link.failedUnlessClosed('release', error);
      }
    } else if (held !== undefined) {
      // Redis cannot be told: it still counts the place for this process,
      // which may start another call there meanwhile; removed at check-in.
      this.#book.addRemoval(lease.id, weight, [cell]);
      this.#book.keepPlace(held);
    }
    result ??= {
      released: held !== undefined,
      ...this.#book.numbers.applyOutcome(lease, outcome),
    };
    this.#line.forget(lease.id);
    if (result.released) this.#wakeUps.notify();
    return result;
  }

  async coolDown(index: number, until: number, region?: string): Promise<void> {
    this.#link.assertOpen('coolDown');
    this.#link.startHeartbeat();
    const cell = cellKey(index, region);
    if (!(await this.#link.usable('coolDown'))) {
      this.#book.numbers.coolDown(cell, until, true);
      return;
    }
    try {
      await this.#scripts.coolDown(cell, until, 'set');
      this.#book.numbers.coolDown(cell, until, false);
    } catch (error) {
      this.#book.numbers.coolDown(cell, until, true);
      this.#link.failed('coolDown', error, true);
    }
  }

  /**
   * Whether a lease still counts: this process holds it and Redis did not
   * say, at the latest heartbeat, that it lost it (the heartbeat renews
   * every lease held, in one command per period). A lease lost is not
   * revived here: its place may be another process's.
   */
  async renew(lease: PoolLease, _now: number): Promise<boolean> {
    const held = this.#book.held(lease.id, cellKey(lease.index, lease.region));
    return held !== undefined && !held.lost;
  }

  async usage(count: number, _now: number, regions?: readonly string[]): Promise<AccountUsage[]> {
    this.#link.assertOpen('usage');
    this.#link.startHeartbeat();
    const set = this.#layouts.of(count * (regions?.length ?? 1), regions);
    if (await this.#link.usable('usage')) {
      try {
        return this.#parseUsage(await this.#scripts.usage(set, Date.now()), set.cells);
      } catch (error) {
        this.#link.failed('usage', error, true);
      }
    }
    return this.#book.usage(set.cells);
  }

  onRelease(listener: () => void): () => void {
    this.#link.startHeartbeat();
    return this.#wakeUps.add(listener);
  }

  /**
   * Stops the heartbeat and the probe, closes the pub/sub connection this
   * state opened, and tells Redis (bounded) that this process leaves, with
   * the leases it let go. Leases still held are left to expire. Does not
   * close the caller's client. Afterwards `acquire`, `usage` and `coolDown`
   * reject; `release` and `renew` still end: they reach Redis (bounded by
   * `commandTimeoutMs`) while the client is open, and otherwise answer from
   * this process's memory, without falling back or warning.
   */
  async close(): Promise<void> {
    if (this.#link.closed) return;
    await this.#link.close();
    this.#line.close();
    this.#wakeUps.close();
  }

  /** Redis's numbers → usage, remembered (with episode starts) so a fall-back starts from them. */
  #parseUsage(reply: readonly (number | string)[], cells: readonly CellRef[]): AccountUsage[] {
    const { usage, episodeStarts } = parseCellUsage(reply, cells);
    this.#book.numbers.rememberUsage(usage, episodeStarts);
    return usage;
  }
}
