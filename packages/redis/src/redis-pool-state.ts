import { randomBytes } from 'node:crypto';
import {
  type AccountUsage,
  type AcquireRequest,
  type AcquireResult,
  cellKey,
  type LeaseOutcome,
  type PoolLease,
  type PoolState,
  type PoolStateHealth,
  type ReleaseResult,
  type WaitOptions,
} from '@credchain/aws';
import { CellLayouts } from './cell-layouts';
import { adaptRedisClient, type RedisPoolStateClient } from './client/adapt-redis-client';
import { FleetLine } from './fleet-line';
import { LeaseAcquisition } from './lease-acquisition';
import { LeaseRelease } from './lease-release';
import { LocalLeaseBook } from './local-lease-book';
import { loadLuaScripts } from './lua-scripts';
import { PoolScripts } from './pool-scripts';
import { RedisKeys } from './redis-keys';
import { RedisLink } from './redis-link';
import {
  type RedisPoolStateConfig,
  type RedisPoolStateOptions,
  resolveRedisPoolStateConfig,
} from './redis-pool-state-options';
import { ReleaseWakeUps } from './release-wake-ups';
import { SharedCellNumbers } from './shared-cell-numbers';

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
  readonly #config: RedisPoolStateConfig;
  readonly #book = new LocalLeaseBook();
  readonly #wakeUps = new ReleaseWakeUps();
  readonly #link: RedisLink;
  readonly #line: FleetLine;
  readonly #acquisition: LeaseAcquisition;
  readonly #release: LeaseRelease;
  readonly #cells: SharedCellNumbers;

  /**
   * @param redis an ioredis client or a connected node-redis client the
   *   caller owns (it is not closed here).
   * @throws TypeError for another kind of client (naming the supported
   *   ones), or a namespace Redis keys should not hold; RangeError for
   *   timings that could let a running lease expire.
   */
  constructor(redis: RedisPoolStateClient, options: RedisPoolStateOptions) {
    const config = resolveRedisPoolStateConfig(options);
    const client = adaptRedisClient(redis);
    const instanceId = randomBytes(6).toString('hex');
    const book = this.#book;
    const wakeUps = this.#wakeUps;
    this.#config = config;
    this.renewIntervalMs = config.heartbeatMs;
    const keys = new RedisKeys(config.namespace);
    const scripts = new PoolScripts(client, loadLuaScripts(), keys, config);
    const layouts = new CellLayouts(scripts);
    const link = new RedisLink({
      config,
      scripts,
      book,
      instanceId,
      logger: options.logger,
      evacuate: () => this.#line.evacuate(),
      rejoined: () => this.#line.rejoined(),
      wake: () => wakeUps.notify(),
    });
    const line = new FleetLine({
      scripts,
      subscriber: config.wakeUp === 'pubsub' ? client.subscriber() : undefined,
      channel: keys.wakeChannel(instanceId),
      adopt: (id, set, number, request, grantedAt) =>
        this.#acquisition.adopt(id, set, number, request, grantedAt),
      failed: (operation, error) => link.failedUnlessClosed(operation, error),
    });
    this.#link = link;
    this.#line = line;
    const parts = { config, scripts, layouts, book, link, line, instanceId, wakeUps };
    this.#acquisition = new LeaseAcquisition(parts);
    this.#release = new LeaseRelease(parts);
    this.#cells = new SharedCellNumbers(parts);
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

  release(lease: PoolLease, outcome: LeaseOutcome): Promise<ReleaseResult> {
    return this.#release.release(lease, outcome);
  }

  coolDown(index: number, until: number, region?: string): Promise<void> {
    return this.#cells.coolDown(index, until, region);
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

  usage(count: number, _now: number, regions?: readonly string[]): Promise<AccountUsage[]> {
    return this.#cells.usage(count, regions);
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
}
