import type { EnvironmentSource } from '../environment/environment-source';

/** What the chain hands a link when it asks it for credentials. */
export interface ProvideContext {
  /**
   * The chain's environment (an injected one, or `process.env`, through the
   * current scope's overlay): read variables here rather than from
   * `process.env`, so tests and pooled scopes reach the link too.
   */
  readonly env: EnvironmentSource;
  /**
   * Aborted when the link's deadline passes (its `linkTimeoutMs`, else the
   * chain's `linkTimeoutMs`): stop the work (e.g. pass it to `fetch`). The
   * chain has then already failed the link and drops a late answer.
   */
  readonly signal: AbortSignal;
}

/**
 * One source of credentials: a link of a {@link ProviderChain}. A plain
 * object with `name` and `provide()` is a provider; no class or decorator is
 * needed.
 *
 * A provider whose source is not configured throws a
 * {@link CredentialsUnavailableError}; the chain then tries the next link. Any
 * other error is a real failure and stops the chain, so that a misconfigured
 * source never silently falls through to another account.
 *
 * @example
 * ```ts
 * const vault: CredentialProvider<Credentials> = {
 *   name: 'vault',
 *   async provide({ env, signal }) {
 *     const url = env.get('ACME_VAULT_URL');
 *     if (!url) throw new CredentialsUnavailableError('ACME_VAULT_URL is not set');
 *     return new Credentials(await (await fetch(url, { signal })).json());
 *   },
 * };
 * ```
 */
export interface CredentialProvider<T> {
  /** Stable, human-readable link name (`prefixed-env`, `profile`, …); unique in a chain. */
  readonly name: string;
  /**
   * Resolves the credentials, or throws `CredentialsUnavailableError` when
   * not configured. `context` is given by the chain (older callers may omit it).
   */
  provide(context?: ProvideContext): Promise<T>;
  /**
   * This link's deadline in milliseconds, overriding the chain's
   * `linkTimeoutMs` (`Infinity`: the link bounds itself, as the built-in
   * profile links do with their own timeouts).
   */
  readonly linkTimeoutMs?: number;
  /**
   * Optional, cheap, without contacting anything: whether this link's source
   * is configured now. When a link before it wins, `explain()` then warns
   * that this one is configured but ignored.
   */
  isConfigured?(env: EnvironmentSource): boolean;
  /**
   * A cheap description of the configuration the provider would read now (the
   * variable values it depends on). The chain hashes it to key its cache, so
   * a changed configuration gets fresh credentials. Secrets may appear here:
   * the chain only ever keeps a SHA-256 digest of it. `env` is the chain's
   * environment (links built by DI read their own injected one).
   */
  configuration?(env: EnvironmentSource): string;
}
