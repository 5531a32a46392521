import type { InjectionToken } from 'tsyringe';
import type { ContainerMetadataProviderOptions } from '../providers/container-metadata-provider-options';
import type { EnvProviderOptions } from '../providers/env-provider-options';
import type { InstanceMetadataProviderOptions } from '../providers/instance-metadata-provider-options';
import type { ProfileProviderOptions } from '../providers/profile-provider-options';
import type { WebIdentityProviderOptions } from '../providers/web-identity-provider-options';

/** tsyringe tokens for the options of each AWS provider. */
export const AwsTokens = Object.freeze({
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
