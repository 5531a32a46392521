import type { CacheEntry, CredentialCache } from '../cache/credential-cache';
import { ExpiryAwareCache } from '../cache/expiry-aware-cache';
import type { Clock } from '../clock/clock';
import { SystemClock } from '../clock/system-clock';
import { channels, isTraced, traced } from '../diagnostics/diagnostics';
import { completeResolveMessage, resolveMessage } from '../diagnostics/resolve-message';
import type { AccountLease } from '../environment/account-lease';
import { type EnvironmentOverlay, EnvironmentScope } from '../environment/environment-scope';
import type { EnvironmentSource } from '../environment/environment-source';
import { toEnvironmentSource } from '../environment/to-environment-source';
import { AccountScopeError } from '../errors/account-scope-error';
import { ChainExhaustedError } from '../errors/chain-exhausted-error';
import type { Logger } from '../logger/logger';
import { SilentLogger } from '../logger/silent-logger';
import type { CredentialProvider } from '../provider/credential-provider';
import { fingerprint } from '../redaction/fingerprint';
import type { ChainReport } from './chain-report';
import { checkTimeoutMs } from './check-timeout';
import { DEFAULT_LINK_TIMEOUT_MS, type ProviderChainOptions } from './provider-chain-options';
import { type ChainRun, runLinks } from './run-links';
import { type SdkCredentialProvider, toSdkCredentialProvider } from './sdk-provider';
import { shadowedLinkWarnings } from './shadowed-link-warnings';

const NO_REVISION = Symbol('no revision');

/**
 * An ordered list of {@link CredentialProvider}s and a cache strategy.
 *
 * `resolve()` tries the links in order: a {@link CredentialsUnavailableError}
 * moves on to the next link, any other error stops the chain (rethrown as a
 * {@link ProviderFailedError} naming the link), and when no link is
 * configured it throws a {@link ChainExhaustedError} that lists them all.
 * Every link runs under a deadline (`linkTimeoutMs`), and what it returns is
 * checked (not expired, a key pair has both halves) before it is used.
 *
 * Inside a pooled scope (`AccountPool.run` / `withAccount`) the chain signs
 * with the leased account or not at all: credentials of another key are
 * refused with an {@link AccountScopeError} before anything is signed.
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
  private readonly linkTimeoutMs: number;
  private readonly accept: ProviderChainOptions<T>['accept'];
  /** The variable prefix this chain reads, when it has one (for errors and diagnostics). */
  readonly prefix: string | undefined;
  /** What it resolves, for diagnostics (`credentials` unless told). */
  readonly subject: string;
  private readonly load = () => this.runChain();
  /** The link that produced each value: an {@link AccountScopeError} names it. */
  readonly #winners = new WeakMap<object, string>();
  // `#`: util.inspect never shows these; a revision can be a scope overlay
  // holding the very variables (secrets included) it stands for.
  #revision: unknown = NO_REVISION;
  #generation = -1;
  #entry: CacheEntry<T> | undefined;
  #lastConfiguration: string | undefined;
  #lastFingerprint = '';

  constructor(providers: readonly CredentialProvider<T>[], options: ProviderChainOptions<T> = {}) {
    if (providers.length === 0) throw new TypeError('a ProviderChain needs at least one provider');
    assertUniqueNames(providers);
    this.providers = [...providers];
    this.cache = options.cache ?? (new ExpiryAwareCache() as unknown as CredentialCache<T>);
    this.env = toEnvironmentSource(options.env);
    this.clock = options.clock ?? new SystemClock();
    this.logger = options.logger ?? new SilentLogger();
    this.exhaustedHint = options.exhaustedHint;
    this.warningsOf = options.warnings ?? (() => []);
    this.prefix = options.prefix;
    this.subject = options.subject ?? 'credentials';
    this.accept = options.accept;
    this.linkTimeoutMs = checkTimeoutMs(
      options.linkTimeoutMs ?? DEFAULT_LINK_TIMEOUT_MS,
      'linkTimeoutMs',
    );
  }

  /**
   * The credentials of the first configured link, through the cache. Inside
   * a pooled scope, only the leased account's (else an
   * {@link AccountScopeError}).
   */
  resolve(): Promise<T> {
    // Deliberately not `async`: the warm path returns the cached promise.
    const lease = EnvironmentScope.lease();
    if (isTraced(channels.chainResolve)) return this.tracedResolve(lease);
    const credentials = this.cached();
    return lease === undefined ? credentials : credentials.then((v) => this.checkLease(v, lease));
  }

  /**
   * Runs the links in order, without the cache, until one resolves or fails,
   * and reports each one (the links after it as `not-reached`). Never throws
   * because nothing is configured; a failing link is reported as `failed`,
   * and `error` is what `resolve()` would reject with — the same checks
   * (deadlines, expired credentials, the pooled scope's account) included.
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
    const warnings = [
      ...(await this.warningsOf({ resolvedBy, attempts })),
      ...shadowedLinkWarnings(this.providers, resolvedBy, this.env),
    ];
    if (run.value === undefined)
      return { resolvedBy, attempts, warnings, error: this.errorOf(run) };
    const lease = EnvironmentScope.lease();
    try {
      const credentials = lease === undefined ? run.value : this.checkLease(run.value, lease);
      return { resolvedBy, attempts, warnings, credentials };
    } catch (error) {
      return { resolvedBy, attempts, warnings, error: error as AccountScopeError };
    }
  }

  /**
   * A function to hand to any AWS SDK v3 client as `credentials`. The SDK
   * asks it on every request, in the request's own async context (see
   * {@link toSdkCredentialProvider}: flagged `memoized` for SDKs from
   * `@aws-sdk/core` 3.775, a short expiration for older ones), so a client
   * built once signs each call inside `AccountPool.run` with that call's
   * leased account.
   */
  asProvider(): SdkCredentialProvider<T> {
    return toSdkCredentialProvider(() => this.resolve(), { followsScope: true });
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
      JSON.stringify(this.providers.map((p) => [p.name, p.configuration?.(this.env) ?? null])),
    );
    // Hashing is the costly part; the text is compared first.
    if (text !== this.#lastConfiguration) {
      this.#lastConfiguration = text;
      this.#lastFingerprint = fingerprint(text);
    }
    return { fingerprint: this.#lastFingerprint, environment: snapshot };
  }

  /** The cached credentials of the current configuration (the warm path first). */
  private cached(): Promise<T> {
    try {
      return this.currentEntry().get();
    } catch (error) {
      // A provider's configuration() threw: still a rejection, never a throw.
      return Promise.reject(error);
    }
  }

  /** The cache entry of the current configuration: the last one while nothing moved. */
  private currentEntry(): CacheEntry<T> {
    const revision = this.env.revision();
    if (
      revision === this.#revision &&
      this.#generation === EnvironmentScope.generation() &&
      this.#entry !== undefined
    ) {
      return this.#entry;
    }
    return this.select(revision);
  }

  /** `resolve()` while someone listens on `credchain:chain.resolve`. */
  private tracedResolve(lease: AccountLease | undefined): Promise<T> {
    let entry: CacheEntry<T>;
    try {
      entry = this.currentEntry();
    } catch (error) {
      return Promise.reject(error);
    }
    const message = resolveMessage(this.prefix, this.subject, entry, lease);
    return traced(
      channels.chainResolve,
      message,
      () => entry.get(),
      (value) => {
        const checked = lease === undefined ? value : this.checkLease(value, lease);
        completeResolveMessage(message, checked, this.#winners);
        return checked;
      },
    );
  }

  /** `value` when it is the leased account's (or no key pair at all), else an error. */
  private checkLease(value: T, lease: AccountLease): T {
    const accessKeyId = (value as { accessKeyId?: unknown } | null)?.accessKeyId;
    if (typeof accessKeyId !== 'string' || lease.signsWith(accessKeyId)) return value;
    throw new AccountScopeError({
      lease,
      chainPrefix: this.prefix,
      link: this.#winners.get(value as object),
      accessKeyId,
    });
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
    const run = await runLinks(this.providers, {
      chain: this.prefix ?? null,
      subject: this.subject,
      clock: this.clock,
      logger: this.logger,
      env: this.env,
      linkTimeoutMs: this.linkTimeoutMs,
      accept: this.accept,
    });
    if (typeof run.value === 'object' && run.value !== null && run.resolvedBy !== null) {
      this.#winners.set(run.value, run.resolvedBy);
    }
    return run;
  }
}

/**
 * Two links under one name would make every report ambiguous, and a link's
 * own deadline must be usable: both refused at construction.
 */
function assertUniqueNames(providers: readonly CredentialProvider<unknown>[]): void {
  const seen = new Set<string>();
  for (const provider of providers) {
    if (provider.linkTimeoutMs !== undefined) {
      checkTimeoutMs(provider.linkTimeoutMs, `the linkTimeoutMs of link "${provider.name}"`);
    }
    if (seen.has(provider.name)) {
      throw new TypeError(
        `two links of the chain are named "${provider.name}": each link needs its own name (the same provider registered twice?)`,
      );
    }
    seen.add(provider.name);
  }
}
