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
  /**
   * `Date.now()` when the whole resolution asked its first role session. A
   * role chain takes each hop's lock inside the previous hop's `assume()`;
   * every lock wait ends `waitMs` after this, so the waits of a chain do not
   * add up. @default the time of this request
   */
  readonly startedAt?: number;
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
  /**
   * For an `'assumed'` session with a key: whether its entry was written.
   * `false` when it could not be (`notWrittenReason`: an error code such as
   * `EACCES`, or `no expiration`); the entry then does not exist.
   */
  readonly written?: boolean;
  /** Why the entry was not written: an error code or a short phrase, never a secret. */
  readonly notWrittenReason?: string;
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
