import type { InjectionToken } from 'tsyringe';
import type { ContainerMetadataProviderOptions } from '../providers/container-metadata-provider-options';
import type { EnvProviderOptions } from '../providers/env-provider-options';
import type { InstanceMetadataProviderOptions } from '../providers/instance-metadata-provider-options';
import type { ProfileProviderOptions } from '../providers/profile-provider-options';
import type { WebIdentityProviderOptions } from '../providers/web-identity-provider-options';
import type { AccountPickStrategy } from '../rotation/account-pick-strategy';

/** tsyringe tokens of @credchain/aws: provider options and pluggable strategies. */
export const AwsTokens = Object.freeze({
  /** A custom account pick strategy for `AccountPool.pick()`. */
  AccountPickStrategy: Symbol(
    'credchain.aws.AccountPickStrategy',
  ) as InjectionToken<AccountPickStrategy>,
  ProfileProviderOptions: Symbol(
    'credchain.aws.ProfileProviderOptions',
  ) as InjectionToken<ProfileProviderOptions>,
  EnvProviderOptions: Symbol(
    'credchain.aws.EnvProviderOptions',
  ) as InjectionToken<EnvProviderOptions>,
  WebIdentityProviderOptions: Symbol(
    'credchain.aws.WebIdentityProviderOptions',
  ) as InjectionToken<WebIdentityProviderOptions>,
  ContainerMetadataProviderOptions: Symbol(
    'credchain.aws.ContainerMetadataProviderOptions',
  ) as InjectionToken<ContainerMetadataProviderOptions>,
  InstanceMetadataProviderOptions: Symbol(
    'credchain.aws.InstanceMetadataProviderOptions',
  ) as InjectionToken<InstanceMetadataProviderOptions>,
});
