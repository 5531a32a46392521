import {
  type Credentials,
  type EnvironmentOverlay,
  EnvironmentScope,
  type EnvironmentSource,
  fingerprint,
  type ProviderChain,
  ScopedEnvironment,
  toEnvironmentSource,
  toSdkCredentialProvider,
} from '@credchain/core';
import { createCredentialChain } from '../chain/create-credential-chain';
import { type AwsVariables, awsVariables, DEFAULT_PREFIX } from '../environment/aws-variables';
import { isFlagSet } from '../environment/read-variable';
import { createRegionChain } from '../region/create-region-chain';
import { type AwsClientCacheOptions, DEFAULT_CLIENT_CACHE_SIZE } from './aws-client-cache-options';
import type { ClientKeyStrategy } from './client-key-strategy';
import { ConfigurationMemo } from './configuration-memo';
import { CredentialKeyStrategy } from './credential-key-strategy';
import { DisabledKeyStrategy } from './disabled-key-strategy';
import { ProcessLifetimeKeyStrategy } from './process-lifetime-key-strategy';

/** A chain's configuration: its fingerprint and the variables it was computed from. */
interface ConfigurationSnapshot {
  readonly fingerprint: string;
  readonly environment: EnvironmentOverlay;
}

/** What the environment decides for a `get()`: the key strategy, and the source to key on. */
interface SourceState {
  readonly strategy: ClientKeyStrategy;
  /** Absent for process-lifetime clients, which follow the machine's credentials. */
  readonly source: ConfigurationSnapshot | undefined;
}

/** The part of an AWS SDK v3 client the cache relies on. */
interface DestroyableClient {
  destroy(): void;
}

/** An AWS SDK v3 client class: `new S3Client(config)`. */
// biome-ignore lint/suspicious/noExplicitAny: each SDK client declares its own config type
export type AwsClientClass = new (...args: any[]) => DestroyableClient;

/**
 * The config `get()` takes: the client class's own; `region` a string, or
 * left out for the region chain's.
 */
export type CachedClientConfig<K extends AwsClientClass> = NonNullable<
  ConstructorParameters<K>[0]
> & {
  readonly region?: string;
};

/** A region as keys need it: not empty, no whitespace (the SDK wants a host label anyway). */
const REGION = /^\S+$/;

/**
 * AWS SDK v3 clients cached by credential source, region, service and config,
 * so that a process builds each client once ("to save memory and speed up
 * initialization", as Remotion's documentation says) and a rotated account, a
 * new session token or another region gets its own client.
 *
 * Every `get()` reads the environment, as Remotion's client does once per
 * operation: `${prefix}_DISABLE_AWS_CLIENT_CACHE` turns caching off,
 * `${prefix}_SKIP_AWS_CREDENTIALS_CHECK` keys on region, service and config
 * only. Keys hold SHA-256 fingerprints, never a key id, secret or token.
 * The cache is bounded (LRU); evicted clients are `destroy()`ed, because
 * they hold sockets.
 *
 * Without a `region` in the config, the client's region comes from the
 * region chain (`createRegionChain({ prefix, env })`: `${prefix}_AWS_REGION`,
 * `AWS_REGION`, …), keyed by that chain's configuration — so inside
 * `AccountPool.run` on a pool with regions, each cell gets its region's client.
 *
 * @example
 * ```ts
 * const clients = new AwsClientCache();
 * const s3 = clients.get(S3Client, { region: 'eu-west-1' });
 * const lambda = clients.get(LambdaClient); // the region chain's region
 * ```
 */
export class AwsClientCache {
  private readonly clients = new Map<string, DestroyableClient>();
  private readonly identities = new WeakMap<object, number>();
  private readonly vars: AwsVariables;
  private readonly env: EnvironmentSource;
  /** The chain that gives this cache's clients their credentials. */
  readonly chain: ProviderChain<Credentials>;
  private readonly maxSize: number;
  private readonly fixedStrategy: ClientKeyStrategy | undefined;
  private readonly strategies = {
    credential: new CredentialKeyStrategy(),
    processLifetime: new ProcessLifetimeKeyStrategy(),
    disabled: new DisabledKeyStrategy(),
  };
  private nextIdentity = 1;
  /** The state for our own chain, re-validated by re-reading its variables. */
  private readonly memo: ConfigurationMemo<SourceState> | undefined;
  /** The key of the last `get()`: see there. */
  private lastKey: string | undefined;
  /** The last non-empty config text and its fingerprint: see `configFingerprint()`. */
  private lastConfig: { readonly text: string; readonly fingerprint: string } | undefined;
  /** Built on the first `get()` without a region. */
  private regionChain: ProviderChain<string> | undefined;
  /** The region chain's key part, re-validated like {@link memo}; when this.env reports its reads. */
  private regionMemo: ConfigurationMemo<ChainedRegion> | undefined;
  private readonly prefix: string | undefined;

  constructor(options: AwsClientCacheOptions = {}) {
    this.vars = awsVariables(options.prefix ?? DEFAULT_PREFIX);
    this.prefix = options.prefix;
    this.env = toEnvironmentSource(options.env);
    if (options.chain !== undefined && options.chainOptions !== undefined) {
      throw new TypeError('AwsClientCache: give either chain or chainOptions, not both');
    }
    this.chain =
      options.chain ??
      createCredentialChain({ ...options.chainOptions, prefix: options.prefix, env: this.env });
    this.maxSize = options.maxSize ?? DEFAULT_CLIENT_CACHE_SIZE;
    if (!Number.isInteger(this.maxSize) || this.maxSize < 1) {
      throw new RangeError(`maxSize must be a positive integer, got ${options.maxSize}`);
    }
    this.fixedStrategy = options.strategy;
    // Only for a chain built here: its links read this.env, so re-reading
    // this.env tells whether their configuration changed. A chain given in
    // the options may read another source; it is asked every time. And only
    // when this.env is this copy's own scoped source with its own `get`: the
    // memo learns which variables matter from the reads that source reports
    // to EnvironmentScope; a custom source (or one from another copy of
    // @credchain/core) reports none, and the first client would be kept for
    // every account.
    this.memo =
      options.chain === undefined && reportsReads(this.env)
        ? new ConfigurationMemo(
            this.env,
            () => this.readState(),
            // The source snapshot holds the chain's variables (the secrets
            // among them) for the clients: the memo compares with it rather
            // than keep copies of its own.
            (state) => state.source?.environment,
          )
        : undefined;
  }

  /** How many clients the cache holds. */
  get size(): number {
    return this.clients.size;
  }

  /** The key strategy in force now (read from the environment). */
  currentStrategy(): ClientKeyStrategy {
    if (this.fixedStrategy) return this.fixedStrategy;
    if (isFlagSet(this.env, this.vars.disableClientCache)) return this.strategies.disabled;
    if (isFlagSet(this.env, this.vars.skipCredentialsCheck)) return this.strategies.processLifetime;
    return this.strategies.credential;
  }

  /**
   * The client of `ClientClass` for `config` and the current credential
   * source: a cached one when there is one, otherwise a new one with
   * `credentials` from the chain (unless `config` has its own). A config
   * without `region` (or no config) takes the region chain's — inside
   * `pool.run` on a pool with regions, the cell's. An explicit `region` is
   * used as given, even inside a cell: the cell's capacity does not cover
   * calls to another Region (an S3 bucket elsewhere is fine; a Lambda
   * invoke there is not counted).
   */
  get<K extends AwsClientClass>(
    ClientClass: K,
    config: CachedClientConfig<K> = {} as CachedClientConfig<K>,
  ): InstanceType<K> {
    const fromChain = config === null || typeof config !== 'object' || !('region' in config);
    const region: unknown = fromChain ? undefined : config.region;
    if (!fromChain && (typeof region !== 'string' || !REGION.test(region))) {
      throw new TypeError(
        `AwsClientCache.get(${ClientClass.name}) needs a region such as "eu-west-1" (got ${
          typeof region === 'string' ? visible(region) : typeof region
        })`,
      );
    }
    const { region: _, ...rest } = (fromChain ? {} : config) as Record<string, unknown>;
    const chained = fromChain ? this.chainedRegion() : undefined;
    const settings = chained === undefined ? config : { ...config, region: chained.provider };
    const { strategy, source } = this.memo ? this.memo.current() : this.readState();
    let key = strategy.key({
      service: `${ClientClass.name}#${this.identityOf(ClientClass)}`,
      region: chained?.key ?? (region as string),
      config: this.configFingerprint(fromChain ? (config as Record<string, unknown>) : rest),
      credentialFingerprint: () => (source ?? this.chain.configurationSnapshot()).fingerprint,
    });
    // Every client but a process-lifetime one is bound to the source it was
    // created (and keyed) for.
    const environment = source?.environment;
    if (key === undefined) return this.create(ClientClass, settings, environment);
    // The same key as last time (the usual hot loop): look it up with the
    // string the map already hashed, not the equal one just built.
    if (key === this.lastKey) key = this.lastKey;
    else this.lastKey = key;
    const cached = this.clients.get(key);
    if (cached !== undefined) {
      // Map order is the LRU order: move the hit to the end.
      this.clients.delete(key);
      this.clients.set(key, cached);
      return cached as InstanceType<K>;
    }
    const client = this.create(ClientClass, settings, environment);
    this.clients.set(key, client);
    this.evictOverflow();
    return client;
  }

  /**
   * The region chain's configuration as a key part (`region-chain#<digest>`),
   * and a region provider bound to it: the client resolves the region that
   * configuration gives, whatever the shared variables say by then.
   */
  private chainedRegion(): ChainedRegion {
    if (this.regionChain === undefined) {
      const chain = createRegionChain({ prefix: this.prefix, env: this.env });
      this.regionChain = chain;
      // Its configuration is a function of the variables it reads from
      // this.env, as the credential chain's (see the constructor).
      if (reportsReads(this.env)) {
        this.regionMemo = new ConfigurationMemo(
          this.env,
          () => chainedRegionOf(chain),
          (region) => region.environment,
        );
      }
    }
    return this.regionMemo?.current() ?? chainedRegionOf(this.regionChain);
  }

  /** The strategy in force and, unless it is process-lifetime, the chain's configuration. */
  private readState(): SourceState {
    const strategy = this.currentStrategy();
    const source =
      strategy instanceof ProcessLifetimeKeyStrategy
        ? undefined
        : this.chain.configurationSnapshot();
    return { strategy, source };
  }

  /** Destroys and forgets every cached client. */
  clear(): void {
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
  }

  /**
   * A new client whose credentials resolve inside `environment` (the
   * variables its key was computed from), so it keeps signing for that source
   * whatever the shared variables say when the SDK first asks.
   */
  private create<K extends AwsClientClass>(
    ClientClass: K,
    config: object,
    environment: EnvironmentOverlay | undefined,
  ): InstanceType<K> {
    const chain = this.chain;
    // Asked by the SDK on every request, in that request's async context
    // (toSdkCredentialProvider), so the chain's check of a pooled scope's
    // account sees every request, whenever the client was made.
    const credentials =
      environment === undefined
        ? chain.asProvider()
        : toSdkCredentialProvider(() => EnvironmentScope.run(environment, () => chain.resolve()));
    return new ClientClass({ credentials, ...config }) as InstanceType<K>;
  }

  private evictOverflow(): void {
    while (this.clients.size > this.maxSize) {
      const [oldestKey, oldest] = this.clients.entries().next().value as [
        string,
        DestroyableClient,
      ];
      this.clients.delete(oldestKey);
      oldest.destroy();
    }
  }

  /**
   * `{}` for an empty config, else a SHA-256 fingerprint of its deterministic
   * text (functions and class instances by identity): a config may hold a
   * secret credchain cannot recognise (a bearer token), and keys hold none.
   */
  private configFingerprint(value: Record<string, unknown>): string {
    // The common case, `get(Client, { region })`: nothing else to describe.
    if (!hasOwnKeys(value)) return '{}';
    const text = this.stableText(value);
    // The same config as last time (the usual hot loop): no hash.
    if (text !== this.lastConfig?.text) this.lastConfig = { text, fingerprint: fingerprint(text) };
    return this.lastConfig.fingerprint;
  }

  /** Deterministic text of a config; functions and class instances by identity. */
  private stableText(value: Record<string, unknown>): string {
    const identityOf = (v: object) => this.identityOf(v);
    // A `function`, not an arrow: `this` is the holder, and `holder[key]` the
    // value before JSON.stringify applied its toJSON(). Credentials.toJSON()
    // redacts (`AKIA…1111`, `[redacted]`), so fingerprinting its output
    // would give credentials that differ only in their secret one client.
    return JSON.stringify(value, function (this: Record<string, unknown>, key, v: unknown) {
      const raw = this[key];
      // Explicit credentials in a config: a digest, so no strategy sees the secret.
      const credentials = credentialsFingerprint(raw);
      if (credentials !== undefined) return `[credentials ${credentials}]`;
      if (typeof v === 'function') return `[function#${identityOf(v)}]`;
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null)
        return `[${v.constructor?.name}#${identityOf(v)}]`;
      // No prototype: an own `__proto__` key (JSON.parse makes them) stays a key.
      const sorted: Record<string, unknown> = Object.create(null);
      for (const name of Object.keys(v).sort()) sorted[name] = (v as Record<string, unknown>)[name];
      return sorted;
    });
  }

  private identityOf(value: object): number {
    let id = this.identities.get(value);
    if (id === undefined) {
      id = this.nextIdentity++;
      this.identities.set(value, id);
    }
    return id;
  }
}

/**
 * Whether `env` reports its reads to this copy's {@link EnvironmentScope}
 * (what {@link ConfigurationMemo} relies on): one of our scoped sources whose
 * `get` is still ours.
 */
function reportsReads(env: EnvironmentSource): boolean {
  return env instanceof ScopedEnvironment && env.get === ScopedEnvironment.prototype.get;
}

/** The digest of `value` when it holds credentials (a secret key), else `undefined`. */
function credentialsFingerprint(value: unknown): string | undefined {
  // Only objects: a function is a provider, keyed by identity whatever it carries.
  if (typeof value !== 'object' || value === null) return undefined;
  const keys = value as {
    accessKeyId?: unknown;
    secretAccessKey?: unknown;
    sessionToken?: unknown;
  };
  if (typeof keys.secretAccessKey !== 'string') return undefined;
  return fingerprint(String(keys.accessKeyId), keys.secretAccessKey, String(keys.sessionToken));
}

/** A region as JSON, with every character outside printable ASCII escaped (a BOM, a no-break space). */
function visible(region: string): string {
  return JSON.stringify(region).replace(
    /[^\x20-\x7e]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Whether `value` has an own enumerable key (without building a key array). */
function hasOwnKeys(value: object): boolean {
  for (const key in value) if (Object.hasOwn(value, key)) return true;
  return false;
}

/** The region chain as a client's key part and region provider. */
interface ChainedRegion {
  /** `region-chain#<digest of its configuration>`. */
  readonly key: string;
  /** Resolves the region inside {@link environment}, whatever the shared variables say by then. */
  readonly provider: () => Promise<string>;
  /** The variables its configuration was read from. */
  readonly environment: EnvironmentOverlay;
}

function chainedRegionOf(chain: ProviderChain<string>): ChainedRegion {
  const { fingerprint: digest, environment } = chain.configurationSnapshot();
  return {
    key: `region-chain#${digest}`,
    provider: () => EnvironmentScope.run(environment, () => chain.resolve()),
    environment,
  };
}
