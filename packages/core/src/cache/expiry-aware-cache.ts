import type { Clock } from '../clock/clock';
import { SystemClock } from '../clock/system-clock';
import type { CacheOutcome } from '../diagnostics/messages';
import { messageOf } from '../errors/message-of';
import type { Logger } from '../logger/logger';
import { SilentLogger } from '../logger/silent-logger';
import {
  DEFAULT_ADVISORY_REFRESH_MS,
  DEFAULT_JITTER_RATIO,
  DEFAULT_MANDATORY_REFRESH_MS,
  DEFAULT_RETRY_AFTER_FAILURE_MS,
  type ExpiryAwareCacheOptions,
} from './expiry-aware-cache-options';
import { KeyedCache, type ResettableEntry } from './keyed-cache';
import { SingleFlight } from './single-flight';

/** Credentials that may carry an expiration. */
export interface MaybeExpiring {
  readonly expiration?: Date;
}

/** The pure form of {@link ExpiryAwareCacheOptions}, defaults applied. */
interface ExpiryAwareCacheConfig {
  readonly advisoryRefreshMs: number | undefined;
  readonly mandatoryRefreshMs: number | undefined;
  readonly jitterRatio: number;
  readonly retryAfterFailureMs: number;
  readonly clock: Clock;
  readonly random: () => number;
  readonly logger: Logger;
}

/**
 * Refreshes credentials before they expire, without making callers wait.
 *
 * - Credentials without `expiration` are kept until `invalidate()`.
 * - Inside the advisory window callers get the current credentials at once
 *   while exactly one background refresh runs.
 * - A failed background refresh keeps the current credentials in service
 *   until the mandatory window; there callers wait for a refresh and get its
 *   error if it fails.
 * - Expired credentials are never returned.
 *
 * @example
 * ```ts
 * const chain = new ProviderChain(providers, { cache: new ExpiryAwareCache() });
 * ```
 */
export class ExpiryAwareCache<T extends MaybeExpiring> extends KeyedCache<T> {
  private readonly config: ExpiryAwareCacheConfig;

  constructor(options: ExpiryAwareCacheOptions = {}) {
    super(options.maxEntries);
    this.config = {
      advisoryRefreshMs: options.advisoryRefreshMs,
      mandatoryRefreshMs: options.mandatoryRefreshMs,
      jitterRatio: options.jitterRatio ?? DEFAULT_JITTER_RATIO,
      retryAfterFailureMs: options.retryAfterFailureMs ?? DEFAULT_RETRY_AFTER_FAILURE_MS,
      clock: options.clock ?? new SystemClock(),
      random: options.random ?? Math.random,
      logger: options.logger ?? new SilentLogger(),
    };
  }

  protected createEntry(load: () => Promise<T>): ResettableEntry<T> {
    return new ExpiringEntry(load, this.config);
  }
}

class ExpiringEntry<T extends MaybeExpiring> implements ResettableEntry<T> {
  private current: Promise<T> | undefined;
  private advisoryAt = Number.POSITIVE_INFINITY;
  private mandatoryAt = Number.POSITIVE_INFINITY;
  private expiresAt = Number.POSITIVE_INFINITY;
  private retryAt = 0;
  private epoch = 0;
  private readonly flight = new SingleFlight(() => this.loadAndStore());

  constructor(
    private readonly load: () => Promise<T>,
    private readonly config: ExpiryAwareCacheConfig,
  ) {}

  get(): Promise<T> {
    const current = this.current;
    if (current !== undefined) {
      // Warm path: no clock read for credentials that never expire.
      if (this.advisoryAt === Number.POSITIVE_INFINITY) return current;
      const now = this.config.clock.now();
      if (now < this.advisoryAt) return current;
      if (now < this.mandatoryAt) {
        this.refreshInBackground(now);
        return current;
      }
      if (now >= this.expiresAt) this.current = undefined;
    }
    return this.flight.run();
  }

  outcome(): CacheOutcome {
    if (this.current === undefined) return 'miss';
    if (this.advisoryAt === Number.POSITIVE_INFINITY) return 'hit';
    const now = this.config.clock.now();
    if (now < this.advisoryAt) return 'hit';
    if (now >= this.expiresAt) return 'miss';
    // In the advisory window after a failed refresh, the current credentials
    // are served as they are until the retry time.
    if (now < this.mandatoryAt && now < this.retryAt && !this.flight.running) return 'stale';
    return 'refresh';
  }

  reset(): void {
    this.epoch++;
    this.current = undefined;
    this.flight.reset();
  }

  private refreshInBackground(now: number): void {
    if (this.flight.running || now < this.retryAt) return;
    this.flight.run().catch((error: unknown) => {
      const reason = messageOf(error);
      this.config.logger.debug(`background credential refresh failed; serving current: ${reason}`);
    });
  }

  private async loadAndStore(): Promise<T> {
    const epoch = this.epoch;
    try {
      const value = await this.load();
      const now = this.config.clock.now();
      const expiresAt = value.expiration?.getTime() ?? Number.POSITIVE_INFINITY;
      if (expiresAt <= now) {
        throw new Error(
          `the provider returned credentials that expired at ${value.expiration?.toISOString()}`,
        );
      }
      if (epoch === this.epoch) this.store(value, now, expiresAt);
      return value;
    } catch (error) {
      // Recorded before the flight settles, so no second background refresh
      // can start in between.
      this.retryAt = this.config.clock.now() + this.config.retryAfterFailureMs;
      throw error;
    }
  }

  private store(value: T, now: number, expiresAt: number): void {
    this.current = Promise.resolve(value);
    this.expiresAt = expiresAt;
    if (expiresAt === Number.POSITIVE_INFINITY) {
      this.advisoryAt = this.mandatoryAt = expiresAt;
      return;
    }
    const { advisoryRefreshMs, mandatoryRefreshMs, jitterRatio, random } = this.config;
    // Scale the default windows to short-lived credentials: a lifetime under
    // twice the advisory window shrinks both windows in proportion.
    const scale = Math.min(1, (expiresAt - now) / (2 * DEFAULT_ADVISORY_REFRESH_MS));
    const advisory = advisoryRefreshMs ?? DEFAULT_ADVISORY_REFRESH_MS * scale;
    const mandatory = mandatoryRefreshMs ?? DEFAULT_MANDATORY_REFRESH_MS * scale;
    this.mandatoryAt = expiresAt - mandatory;
    const jitter = advisory * jitterRatio * random();
    this.advisoryAt = Math.min(expiresAt - advisory - jitter, this.mandatoryAt);
  }
}
