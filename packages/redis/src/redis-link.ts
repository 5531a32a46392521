import type { PoolStateHealth } from '@credchain/aws';
import { describeRedisFailure } from './describe-redis-failure';
import { LeaseHeartbeat } from './lease-heartbeat';
import type { LocalLeaseBook } from './local-lease-book';
import type { PoolScripts } from './pool-scripts';
import { type OutageLogger, RedisOutage } from './redis-outage';
import { RedisPoolStateError } from './redis-pool-state-error';
import type { RedisPoolStateConfig } from './redis-pool-state-options';

/** What {@link RedisLink} needs from its state. */
export interface RedisLinkParts {
  readonly config: RedisPoolStateConfig;
  readonly scripts: PoolScripts;
  readonly book: LocalLeaseBook;
  /** This process's id in the namespace (its heartbeat's). */
  readonly instanceId: string;
  /** The state's own logger, if it was given one (else the pool's, once `useLogger` gives it). */
  readonly logger: OutageLogger | undefined;
  /** Redis cannot be used: the fleet's line cannot keep this process's waiters. */
  readonly evacuate: () => void;
  /** Redis is used again: the waiters evacuated meanwhile leave the fleet's line. */
  readonly rejoined: () => void;
  /** Redis is used again (and this process's leases written): waiting runs may try it. */
  readonly wake: () => void;
}

/**
 * A `RedisPoolState`'s hold on Redis, from its first use until close(): the
 * heartbeat that renews its leases and keeps the process known alive, the
 * outage when a command fails (the fall-back, or a rejection with
 * `onRedisError: 'fail'`), and the check-in that shares again once Redis
 * answers.
 */
export class RedisLink {
  readonly #heartbeat: LeaseHeartbeat;
  readonly #outage: RedisOutage;
  #logger: OutageLogger | undefined;
  readonly #ownLogger: boolean;
  #closed = false;
  #beating: Promise<void> | undefined;

  constructor(private readonly parts: RedisLinkParts) {
    const { config } = parts;
    this.#logger = parts.logger;
    this.#ownLogger = parts.logger !== undefined;
    this.#heartbeat = new LeaseHeartbeat(
      parts.scripts,
      parts.book,
      parts.instanceId,
      config.leaseTtlMs,
      Date.now,
    );
    this.#outage = new RedisOutage({
      namespace: config.namespace,
      policy: config.onRedisError,
      probeIntervalMs: config.probeIntervalMs,
      now: Date.now,
      logger: () => this.#logger,
      recover: () => this.#checkIn(),
      recovered: () => this.#recovered(),
    });
  }

  /** The pool's logger, used unless the state was given its own. */
  useLogger(logger: OutageLogger): void {
    if (!this.#ownLogger) this.#logger = logger;
  }

  /** Redis cannot be used now (see {@link RedisOutage.degraded}). */
  get degraded(): boolean {
    return this.#outage.degraded;
  }

  /** Whether close() ran: nothing that fails afterwards is an outage. */
  get closed(): boolean {
    return this.#closed;
  }

  /** `'shared'` or `'degraded'` (since when and why), and the processes the latest heartbeat saw alive. */
  health(): PoolStateHealth {
    if (!this.#outage.degraded) {
      return { state: 'shared', processes: this.#heartbeat.live };
    }
    return {
      state: 'degraded',
      since: this.#outage.since,
      reason: this.#outage.reason ?? '',
      processes: this.#heartbeat.live,
    };
  }

  /** A closed state grants nothing: using it is a mistake, not a Redis outage. */
  assertOpen(operation: string): void {
    if (this.#closed) {
      throw new RedisPoolStateError(operation, 'this RedisPoolState was closed (close())');
    }
  }

  /**
   * Whether `operation` may use Redis now. While Redis cannot be used:
   * false with `'fallback'` (this process's memory answers); with `'fail'`
   * a check-in is tried at once, and the operation rejects if it fails.
   */
  async usable(operation: string): Promise<boolean> {
    if (!this.#outage.degraded) return true;
    if (this.parts.config.onRedisError === 'fallback') return false;
    if (await this.#outage.probe()) return true;
    throw new RedisPoolStateError(operation, this.#outage.reason ?? 'Redis cannot be used');
  }

  /** Redis could not be used: the outage begins; with `'fail'`, acquire & co. throw. */
  failed(operation: string, error: unknown, mayThrow: boolean): void {
    const reason = describeRedisFailure(error);
    this.#outage.enter(operation, reason);
    // Waiting in the fleet's line needs Redis: the waiters wait in this process.
    this.parts.evacuate();
    if (this.parts.config.onRedisError === 'fail' && mayThrow) {
      throw new RedisPoolStateError(operation, reason, { cause: error });
    }
  }

  /** {@link RedisLink.failed}, never throwing, and nothing after close() (the caller may have closed its client). */
  failedUnlessClosed(operation: string, error: unknown): void {
    if (!this.#closed) this.failed(operation, error, false);
  }

  /**
   * The heartbeat runs from the first use of the state until close(); the
   * first one at once, so the process is known alive before its leases are.
   */
  startHeartbeat(): void {
    if (this.#heartbeat.running || this.#closed) return;
    this.#heartbeat.start(this.parts.config.heartbeatMs, () => {
      // While Redis cannot be used, the probe checks in instead.
      if (!this.#outage.degraded) void this.beatSoon();
    });
    void this.beatSoon();
  }

  /** One heartbeat now (or the one under way). */
  beatSoon(): Promise<void> {
    this.#beating ??= this.#beat().finally(() => {
      this.#beating = undefined;
    });
    return this.#beating;
  }

  /**
   * Stops the heartbeat and the probe, and tells Redis (bounded) that this
   * process leaves, with the leases it let go. Call once.
   */
  async close(): Promise<void> {
    this.#heartbeat.stop();
    this.#outage.close();
    if (!this.#outage.degraded && this.#heartbeat.live > 0) {
      await this.#heartbeat.beat(true).catch(() => undefined);
    }
    this.#closed = true;
  }

  async #beat(): Promise<void> {
    try {
      this.#reportLost((await this.#heartbeat.beat()).lost);
    } catch (error) {
      this.failedUnlessClosed('heartbeat', error);
    }
  }

  /**
   * The probe's check-in: the heartbeat (running leases renewed or written
   * anew, ended ones removed), then the cool-downs and streak changes of the
   * outage. Rejects when Redis still cannot be used.
   */
  async #checkIn(): Promise<number> {
    const { config, scripts, book } = this.parts;
    // A probe waits less than a command: a failover's new master is tried soon after it is up.
    const beat = await this.#heartbeat.beat(false, Math.min(config.commandTimeoutMs, 500));
    this.#reportLost(beat.lost);
    const { numbers } = book;
    for (const [cell, coolDown] of numbers.unsharedCoolDowns()) {
      await scripts.extendCoolDown(cell, coolDown);
      numbers.coolDownShared(cell, coolDown);
    }
    for (const [cell, episode] of numbers.unsharedEpisodes()) {
      await scripts.mergeEpisode(cell, episode);
      numbers.episodeShared(cell, episode);
    }
    return beat.counted;
  }

  /** Shared again: leases granted or let go while checking in are written at once. */
  #recovered(): void {
    const { book } = this.parts;
    this.parts.rejoined();
    if (book.pendingRemovals > 0 || book.all().some(([, l]) => !l.inRedis)) {
      void this.beatSoon();
    }
    this.parts.wake();
  }

  /** Running calls whose leases Redis no longer counts: said at warn, each heartbeat it happens. */
  #reportLost(lost: number): void {
    if (lost === 0) return;
    const message = `RedisPoolState "${this.parts.config.namespace}": ${lost} running call${lost === 1 ? '' : 's'} lost ${lost === 1 ? 'its lease' : 'their leases'} (Redis no longer had ${lost === 1 ? 'it' : 'them'} and the place was taken): ${lost === 1 ? 'it runs' : 'they run'} uncounted until ${lost === 1 ? 'it ends' : 'they end'}.`;
    const logger = this.#logger;
    if (!logger) process.emitWarning(message, { code: 'CREDCHAIN_REDIS_LEASE_LOST' });
    else if (typeof logger.warn === 'function') logger.warn(message);
    else logger.debug(message);
  }
}
