import type { DependencyContainer, InjectionToken } from 'tsyringe';
import type { CredentialCache } from '../cache/credential-cache';
import type { Clock } from '../clock/clock';
import type { EnvironmentInput } from '../environment/environment-source';
import type { Logger } from '../logger/logger';
import type { CredentialProvider } from '../provider/credential-provider';

/** A link to register: an injectable class, or a ready instance. */
export type ProviderRegistration<T> = InjectionToken<CredentialProvider<T>> | CredentialProvider<T>;

/** Options of {@link createChainContainer}. */
export interface ChainContainerOptions<T> {
  /**
   * The container to build in. A child container of it is used, so nothing
   * is registered in it. @default a new child of tsyringe's root container
   */
  readonly parent?: DependencyContainer | undefined;
  /** The links, in chain order. */
  readonly providers?: readonly ProviderRegistration<T>[] | undefined;
  readonly env?: EnvironmentInput | undefined;
  readonly cache?: CredentialCache<T> | undefined;
  readonly clock?: Clock | undefined;
  readonly logger?: Logger | undefined;
}
