import type {
  Clock,
  CredentialCache,
  Credentials,
  EnvironmentInput,
  Logger,
  ProviderRegistration,
} from '@credchain/core';
import type { DependencyContainer } from 'tsyringe';
import type { ProfileSettings } from '../profiles/profile-settings';

/**
 * Options of {@link createCredentialChain}. The {@link ProfileSettings}
 * (`mfaCodeProvider`, `roleAssumer`, `roleCache`,
 * `credentialProcessTimeoutMs`, `roleDeadlineMs`) reach both profile links,
 * prefixed and plain.
 */
export interface CredentialChainOptions extends ProfileSettings {
  /** The variable prefix: `REMOTION` reads `REMOTION_AWS_PROFILE`, … @default 'REMOTION' */
  readonly prefix?: string;
  /** The environment to read. A plain object works. @default `process.env` */
  readonly env?: EnvironmentInput;
  /** The credential cache strategy. @default a new `ExpiryAwareCache` */
  readonly cache?: CredentialCache<Credentials>;
  /**
   * The container to build in: a child of it is used, so nothing is
   * registered in it. Register your own providers, logger or options there.
   * @default a new child of tsyringe's root container
   */
  readonly container?: DependencyContainer;
  /** @default silent */
  readonly logger?: Logger;
  /** @default the system clock */
  readonly clock?: Clock;
  /** Your own links, tried before the default ones (injectable classes or instances). */
  readonly before?: readonly ProviderRegistration<Credentials>[];
  /** Your own links, tried after the default ones. */
  readonly after?: readonly ProviderRegistration<Credentials>[];
}
