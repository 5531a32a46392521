import type { Clock, CredentialCache, EnvironmentInput, Logger } from '@credchain/core';

/** The region of the region chain's last link unless `defaultRegion` says otherwise. */
export const DEFAULT_REGION = 'us-east-1';

/** Options of {@link createRegionChain}. */
export interface RegionChainOptions {
  /**
   * The variable prefix: `REMOTION` reads `REMOTION_AWS_REGION` (and, for
   * the profile link, `REMOTION_AWS_PROFILE`). @default 'REMOTION'
   */
  readonly prefix?: string;
  /** The environment to read; the only one. @default `process.env` */
  readonly env?: EnvironmentInput;
  /** The last link's region. A Region name. @default 'us-east-1' */
  readonly defaultRegion?: string;
  /**
   * The regions allowed: any other one, wherever it comes from, is an
   * error naming its variable (or profile). @default any Region name
   */
  readonly regions?: readonly string[];
  /** @default a `ProcessLifetimeCache` (per configuration) */
  readonly cache?: CredentialCache<string>;
  /** @default the system clock */
  readonly clock?: Clock;
  /** @default silent */
  readonly logger?: Logger;
}
