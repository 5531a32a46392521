import type { Clock } from '@credchain/core';
import type { RoleCacheLockOptions } from './role-cache-lock';

/** botocore's `CachedCredentialFetcher.DEFAULT_EXPIRY_WINDOW_SECONDS`: 15 minutes. */
export const DEFAULT_ROLE_CACHE_REFRESH_WINDOW_MS = 15 * 60 * 1000;

/** Options of {@link AwsCliRoleSessionCache}. */
export interface AwsCliRoleSessionCacheOptions extends RoleCacheLockOptions {
  /**
   * The cache directory. @default `$HOME/.aws/cli/cache`, `HOME` read from
   * the requesting chain's environment (the AWS CLI's own cache).
   */
  readonly directory?: string;
  /**
   * Where "now" comes from when judging an entry's expiry.
   * @default the requesting chain's clock, else the system clock
   */
  readonly clock?: Clock;
  /**
   * An entry expiring within this window is treated as absent and
   * refreshed, as the AWS CLI does. @default 900000 (15 minutes)
   */
  readonly refreshWindowMs?: number;
}
