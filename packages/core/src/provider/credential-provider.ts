/**
 * One source of credentials: a link of a {@link ProviderChain}.
 *
 * A provider whose source is not configured throws a
 * {@link CredentialsUnavailableError}; the chain then tries the next link. Any
 * other error is a real failure and stops the chain, so that a misconfigured
 * source never silently falls through to another account.
 *
 * @example
 * ```ts
 * class StaticProvider implements CredentialProvider<{ token: string }> {
 *   readonly name = 'static';
 *   async provide() { return { token: 'fake-token' }; }
 * }
 * ```
 */
export interface CredentialProvider<T> {
  /** Stable, human-readable link name (`prefixed-env`, `profile`, …). */
  readonly name: string;
  /** Resolves the credentials, or throws `CredentialsUnavailableError` when not configured. */
  provide(): Promise<T>;
  /**
   * A cheap description of the configuration the provider would read now (the
   * variable values it depends on). The chain hashes it to key its cache, so
   * a changed configuration gets fresh credentials. Secrets may appear here:
   * the chain only ever keeps a SHA-256 digest of it.
   */
  configuration?(): string;
}
