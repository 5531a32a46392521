import type { Clock, Credentials, EnvironmentSource, Logger } from '@credchain/core';

/** One role session wanted: its cache key and how to get it when the cache has none. */
export interface RoleSessionRequest {
  /**
   * The AWS CLI cache key ({@link assumeRoleCacheKey} or
   * {@link ssoRoleCacheKey}), computed from the profile as configured.
   */
  readonly key: string;
  /** `'sso'` for SSO role credentials (botocore writes `"ProviderType": "sso"`). */
  readonly providerType?: 'sso';
  /** The chain's environment: the cache directory is under its `HOME`. */
  readonly env: EnvironmentSource;
  /** The chain's logger: every ignored entry and failed write is a debug line. */
  readonly logger: Logger;
  /** The chain's clock, which judges an entry's expiry unless the cache was given its own. */
  readonly clock?: Clock;
  /** Calls STS (or the SSO portal). Called at most once per request. */
  readonly assume: () => Promise<Credentials>;
}

/** A role session and where it came from. */
export interface RoleSessionResult {
  readonly credentials: Credentials;
  /** `'cache'`: read from a cache entry; `'assumed'`: `assume()` was called. */
  readonly source: 'cache' | 'assumed';
  /** The cache key (a file name, not a secret), or `undefined` when no cache is used. */
  readonly key: string | undefined;
}

/**
 * Where role sessions are kept between processes. {@link NoRoleSessionCache}
 * keeps none (the Node API's default: a library does not write secrets to
 * disk unasked); {@link AwsCliRoleSessionCache} shares the AWS CLI's
 * `~/.aws/cli/cache`.
 */
export interface RoleSessionCache {
  /** The session for `request.key`: a fresh cached one, or one from `request.assume()`. */
  session(request: RoleSessionRequest): Promise<RoleSessionResult>;
}
