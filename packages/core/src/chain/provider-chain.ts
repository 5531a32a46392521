import type { CacheEntry, CredentialCache } from '../cache/credential-cache';
import { ExpiryAwareCache } from '../cache/expiry-aware-cache';
import type { Clock } from '../clock/clock';
import { SystemClock } from '../clock/system-clock';
import { type EnvironmentOverlay, EnvironmentScope } from '../environment/environment-scope';
import type { EnvironmentSource } from '../environment/environment-source';
import { toEnvironmentSource } from '../environment/to-environment-source';
import { ChainExhaustedError } from '../errors/chain-exhausted-error';
import { CredentialsUnavailableError } from '../errors/credentials-unavailable-error';
import { messageOf } from '../errors/message-of';
import { ProviderFailedError } from '../errors/provider-failed-error';
import type { Logger } from '../logger/logger';
import { SilentLogger } from '../logger/silent-logger';
import type { CredentialProvider } from '../provider/credential-provider';
import { fingerprint } from '../redaction/fingerprint';
import type { Attempt, ChainReport } from './chain-report';
import type { ProviderChainOptions } from './provider-chain-options';

/** The outcome of running every link once, without the cache. */
interface ChainRun<T> extends ChainReport {
  readonly value?: T;
  /** The failure that stopped the chain. */
  readonly error?: ProviderFailedError;
  /** The last "not configured" error, kept as the exhausted error's cause. */
  readonly lastUnavailable?: unknown;
}

const NO_REVISION = Symbol('no revision');

/**
 * An ordered list of {@link CredentialProvider}s and a cache strategy.
 *
 * `resolve()` tries the links in order: a {@link CredentialsUnavailableError}
 * moves on to the next link, any other error stops the chain (rethrown as a
 * {@link ProviderFailedError} naming the link), and when no link is
 * configured it throws a {@link ChainExhaustedError} that lists them all.
 *
 * Freshness: the cache is kept per configuration fingerprint. A warm
 * `resolve()` reads no variable at all, only the environment's cheap
 * `revision()`; the configuration is re-read when that moves, on a cold
 * cache, or after {@link ProviderChain.invalidate}.
 *
 * @example
 * ```ts
 * const chain = new ProviderChain([new EnvProvider(...)], { cache: new ExpiryAwareCache() });
 * const s3 = new S3Client({ region: 'eu-west-1', credentials: chain.asProvider() });
 * ```
 */
export class ProviderChain<T> {
  readonly providers: readonly CredentialProvider<T>[];
  private readonly cache: CredentialCache<T>;
  private readonly env: EnvironmentSource;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly exhaustedHint: ProviderChainOptions<T>['exhaustedHint'];
  private readonly warningsOf: NonNullable<ProviderChainOptions<T>['warnings']>;
  private readonly load = () => this.runChain();
  // `#`: util.inspect never shows these; a revision can be a scope overlay
  // holding the very variables (secrets included) it stands for.
  #revision: unknown = NO_REVISION;
  #generation = -1;
  #entry: CacheEntry<T> | undefined;
  #lastConfiguration: string | undefined;
  #lastFingerprint = '';

  constructor(providers: readonly CredentialProvider<T>[], options: ProviderChainOptions<T> = {}) {
    if (providers.length === 0) throw new TypeError('a ProviderChain needs at least one provider');
    this.providers = [...providers];
    this.cache = options.cache ?? (new ExpiryAwareCache() as unknown as CredentialCache<T>);
    this.env = toEnvironmentSource(options.env);
    this.clock = options.clock ?? new SystemClock();
    this.logger = options.logger ?? new SilentLogger();
    this.exhaustedHint = options.exhaustedHint;
    this.warningsOf = options.warnings ?? (() => []);
  }

  /** The credentials of the first configured link, through the cache. */
  resolve(): Promise<T> {
    // Deliberately not `async`: the warm path returns the cached promise.
    const revision = this.env.revision();
    if (
      revision === this.#revision &&
      this.#generation === EnvironmentScope.generation() &&
      this.#entry !== undefined
    ) {
      return this.#entry.get();
    }
    try {
      return this.select(revision).get();
    } catch (error) {
      // A provider's configuration() threw: still a rejection, never a throw.
      return Promise.reject(error);
    }
  }

  /**
   * Runs every link without the cache and reports each one. Never throws
   * because nothing is configured; a failing link is reported as `failed`,
   * and `error` is what `resolve()` would reject with.
   */
  async explain(): Promise<
    ChainReport & {
      readonly warnings: readonly string[];
      readonly credentials?: T;
      readonly error?: Error;
    }
  > {
    const run = await this.run();
    const { resolvedBy, attempts } = run;
    const warnings = [...(await this.warningsOf({ resolvedBy, attempts }))];
    return run.value === undefined
      ? { resolvedBy, attempts, warnings, error: this.errorOf(run) }
      : { resolvedBy, attempts, warnings, credentials: run.value };
  }

  /** A function to hand to any AWS SDK v3 client as `credentials`. */
  asProvider(): () => Promise<T> {
    return () => this.resolve();
  }

  /**
   * Re-reads the configuration on the next `resolve()`, keeping the cached
   * credentials of every configuration (cheaper than {@link invalidate}).
   */
  refreshConfiguration(): void {
    this.#revision = NO_REVISION;
  }

  /** Forgets cached credentials and re-reads the configuration next time. */
  invalidate(): void {
    this.#revision = NO_REVISION;
    this.#entry = undefined;
    this.cache.invalidate();
  }

  /** A fingerprint of the links' current configuration (a SHA-256 digest). */
  configurationFingerprint(): string {
    return this.configurationSnapshot().fingerprint;
  }

  /**
   * The links' current configuration: its fingerprint, and the variables
   * read to compute it. `EnvironmentScope.run(environment, …)` replays them,
   * so work started later still sees this configuration (the client cache
   * binds each client's credentials this way).
   */
  configurationSnapshot(): {
    readonly fingerprint: string;
    readonly environment: EnvironmentOverlay;
  } {
    const { result: text, snapshot } = EnvironmentScope.capture(() =>
      JSON.stringify(this.providers.map((p) => [p.name, p.configuration?.() ?? null])),
    );
    // Hashing is the costly part; the text is compared first.
    if (text !== this.#lastConfiguration) {
      this.#lastConfiguration = text;
      this.#lastFingerprint = fingerprint(text);
    }
    return { fingerprint: this.#lastFingerprint, environment: snapshot };
  }

  private select(revision: unknown): CacheEntry<T> {
    const { fingerprint: key, environment } = this.configurationSnapshot();
    // The providers run later, after awaits: replay the variables the key was
    // computed from, so an entry never stores another configuration's result.
    const entry = this.cache.entry(key, () =>
      EnvironmentScope.run(environment, this.load).catch((error: unknown) => {
        // Nothing was cached: the next resolve() must look at the variables
        // again instead of replaying this configuration on the warm path.
        if (this.#entry === entry) this.#revision = NO_REVISION;
        throw error;
      }),
    );
    this.#revision = revision;
    this.#generation = EnvironmentScope.generation();
    this.#entry = entry;
    return entry;
  }

  private async runChain(): Promise<T> {
    const run = await this.run();
    if (run.value !== undefined) return run.value;
    throw this.errorOf(run);
  }

  /** The error of a run that resolved nothing. */
  private errorOf(run: ChainRun<T>): Error {
    if (run.error !== undefined) return run.error;
    const hint =
      typeof this.exhaustedHint === 'function'
        ? this.exhaustedHint(run.attempts)
        : this.exhaustedHint;
    return new ChainExhaustedError(run.attempts, { hint, cause: run.lastUnavailable });
  }

  private async run(): Promise<ChainRun<T>> {
    const attempts: Attempt[] = [];
    let lastUnavailable: unknown;
    const notReached = (from: number) =>
      this.providers
        .slice(from)
        .map((p): Attempt => ({ provider: p.name, outcome: 'not-reached', durationMs: 0 }));
    for (const [index, provider] of this.providers.entries()) {
      const started = this.clock.now();
      try {
        const value = await provider.provide();
        attempts.push({
          provider: provider.name,
          outcome: 'resolved',
          durationMs: this.clock.now() - started,
        });
        this.logger.debug(`credchain: resolved by ${provider.name}`);
        return {
          resolvedBy: provider.name,
          attempts: [...attempts, ...notReached(index + 1)],
          value,
        };
      } catch (error) {
        const durationMs = this.clock.now() - started;
        const reason = messageOf(error);
        if (CredentialsUnavailableError.is(error)) {
          attempts.push({ provider: provider.name, outcome: 'unavailable', reason, durationMs });
          lastUnavailable = error;
          this.logger.debug(`credchain: ${provider.name} unavailable: ${reason}`);
          continue;
        }
        attempts.push({ provider: provider.name, outcome: 'failed', reason, durationMs });
        this.logger.debug(`credchain: ${provider.name} failed: ${reason}`);
        return {
          resolvedBy: null,
          attempts: [...attempts, ...notReached(index + 1)],
          error: new ProviderFailedError(provider.name, error),
        };
      }
    }
    return { resolvedBy: null, attempts, lastUnavailable };
  }
}
