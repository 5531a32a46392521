import { diagnosticChannels, type RedisFallbackMessage } from '@credchain/core';
import type { RedisFailurePolicy } from './redis-pool-state-options';

/** Where the outage is told: the pool's or the state's logger (`warn` when it has one). */
export interface OutageLogger {
  debug(message: string): void;
  warn?(message: string): void;
}

/** What {@link RedisOutage} needs from its state. */
export interface OutageParts {
  readonly namespace: string;
  readonly policy: RedisFailurePolicy;
  readonly probeIntervalMs: number;
  /** The clock of `since` and the outage's duration (epoch ms): `Date.now` but in tests. */
  readonly now: () => number;
  /** The logger in force now (it may be given later: `useLogger`). */
  readonly logger: () => OutageLogger | undefined;
  /**
   * Checks this process in again (heartbeat, write-backs); resolves with the
   * running leases re-adopted, rejects while Redis still cannot be used.
   */
  readonly recover: () => Promise<number>;
  /** Redis is used again: waiting runs may try it. */
  readonly recovered: () => void;
}

/**
 * A `RedisPoolState`'s fall-back and recovery: whether Redis can be used
 * now, since when and why not; the warning when an outage begins and the
 * line when it ends (both at warn for an instance's first outage, at debug
 * afterwards, so a flapping Redis cannot flood the logs), the
 * `credchain:redis.fallback` messages, and the probe that checks this
 * process in again once Redis answers.
 */
export class RedisOutage {
  #degraded = false;
  #since = 0;
  #reason: string | undefined;
  /** Whether an outage of this instance was already warned about. */
  #warned = false;
  /** Whether the current outage is logged at warn. */
  #loud = false;
  #timer: NodeJS.Timeout | undefined;
  #probing: Promise<boolean> | undefined;
  #closed = false;

  constructor(private readonly parts: OutageParts) {}

  /** Redis cannot be used now (nothing new is shared until this process has checked in). */
  get degraded(): boolean {
    return this.#degraded;
  }

  /** When the current outage began (epoch ms); 0 when Redis is used. */
  get since(): number {
    return this.#degraded ? this.#since : 0;
  }

  /** Why Redis could not be used (the operation and the failure); undefined when it is used. */
  get reason(): string | undefined {
    return this.#degraded ? this.#reason : undefined;
  }

  /** A command failed: the outage begins (once), is told, and probing starts. */
  enter(operation: string, reason: string): void {
    if (this.#degraded || this.#closed) return;
    this.#degraded = true;
    this.#since = this.parts.now();
    this.#reason = `${operation}: ${reason}`;
    this.#loud = !this.#warned;
    this.#warned = true;
    publish({ namespace: this.parts.namespace, state: 'entered', reason: this.#reason });
    const meanwhile =
      this.parts.policy === 'fail'
        ? 'acquire, usage and coolDown reject until it answers again and the leases this process holds are written back'
        : "until it answers again this process keeps running its calls and starts new ones only in the places of its own calls that end, while Redis still counts those places for it (leaseTtlMs): the fleet stays within each account's capacity, and a process that held nothing waits";
    this.#log(
      `RedisPoolState "${this.parts.namespace}": Redis cannot be used (${this.#reason}); ${meanwhile}.`,
    );
    this.#schedule();
  }

  /**
   * Tries to check in now (one attempt at a time; concurrent callers share
   * it). Resolves true when Redis is used again (or never stopped being).
   */
  probe(): Promise<boolean> {
    this.#probing ??= this.#probeOnce().finally(() => {
      this.#probing = undefined;
    });
    return this.#probing;
  }

  /** Stops probing; nothing is told afterwards. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async #probeOnce(): Promise<boolean> {
    if (!this.#degraded) return true;
    if (this.#closed) return false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const started = Date.now();
    let readopted: number;
    try {
      readopted = await this.parts.recover();
    } catch {
      // A probe that waited (a hanging or failing-over Redis) is followed at once.
      this.#schedule(Math.max(0, this.parts.probeIntervalMs - (Date.now() - started)));
      return false;
    }
    if (this.#closed) return false;
    const durationMs = this.parts.now() - this.#since;
    this.#degraded = false;
    this.#reason = undefined;
    this.#log(
      `RedisPoolState "${this.parts.namespace}": Redis answers again after ${seconds(durationMs)}; ${readopted} running lease${readopted === 1 ? '' : 's'} re-adopted, leases and cool-downs are shared again.`,
    );
    publish({ namespace: this.parts.namespace, state: 'left', durationMs, readopted });
    this.parts.recovered();
    return true;
  }

  #schedule(delayMs = this.parts.probeIntervalMs): void {
    if (this.#closed || this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.probe();
    }, delayMs);
    // A waiting probe alone must not keep the process alive.
    this.#timer.unref();
  }

  /** The first outage's lines at warn (stderr without a logger); later ones at debug. */
  #log(message: string): void {
    const logger = this.parts.logger();
    if (!this.#loud) {
      logger?.debug(message);
      return;
    }
    if (!logger) {
      process.emitWarning(message, { code: 'CREDCHAIN_REDIS_FALLBACK' });
      return;
    }
    if (typeof logger.warn === 'function') logger.warn(message);
    else logger.debug(message);
  }
}

/** `credchain:redis.fallback` (nothing happens when nobody listens). */
function publish(message: RedisFallbackMessage): void {
  diagnosticChannels.redisFallback.publish(message);
}

/** `2.5 s` under 9.95 s (what would round to `10.0 s`), `12 s` from there on. */
function seconds(ms: number): string {
  return ms < 9_950 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}
