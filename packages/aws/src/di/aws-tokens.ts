import type { InjectionToken } from 'tsyringe';
import type { ContainerMetadataProviderOptions } from '../providers/container-metadata-provider-options';
import type { EnvProviderOptions } from '../providers/env-provider-options';
import type { InstanceMetadataProviderOptions } from '../providers/instance-metadata-provider-options';
import type { ProfileProviderOptions } from '../providers/profile-provider-options';
import type { WebIdentityProviderOptions } from '../providers/web-identity-provider-options';
import type { AccountPickStrategy } from '../rotation/account-pick-strategy';

/**
 * tsyringe tokens of @credchain/aws: provider options and pluggable strategies.
 * Registered symbols (`Symbol.for`), like core's `Tokens`: two copies of this
 * package in one app (version drift) still agree on every token.
 */
export const AwsTokens = Object.freeze({
  /** A custom account pick strategy for `AccountPool.pick()`. */
  AccountPickStrategy: Symbol.for(
    'credchain.AccountPickStrategy',
  ) as InjectionToken<AccountPickStrategy>,
  ProfileProviderOptions: Symbol.for(
    'credchain.ProfileProviderOptions',
  ) as InjectionToken<ProfileProviderOptions>,
  EnvProviderOptions: Symbol.for(
    'credchain.EnvProviderOptions',
  ) as InjectionToken<EnvProviderOptions>,
  WebIdentityProviderOptions: Symbol.for(
    'credchain.WebIdentityProviderOptions',
  ) as InjectionToken<WebIdentityProviderOptions>,
  ContainerMetadataProviderOptions: Symbol.for(
    'credchain.ContainerMetadataProviderOptions',
  ) as InjectionToken<ContainerMetadataProviderOptions>,
  InstanceMetadataProviderOptions: Symbol.for(
    'credchain.InstanceMetadataProviderOptions',
  ) as InjectionToken<InstanceMetadataProviderOptions>,
});
