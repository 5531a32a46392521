import { type CredentialProvider, type EnvironmentSource, Tokens } from '@credchain/core';
import type { DependencyContainer, InjectionToken } from 'tsyringe';
import { AwsTokens } from '../di/aws-tokens';
import { type AwsVariables, PLAIN_AWS_VARIABLES } from '../environment/aws-variables';
import type { ProfileSettings } from '../profiles/profile-settings';
import { ContainerMetadataProvider } from '../providers/container-metadata-provider';
import { EnvProvider } from '../providers/env-provider';
import { InstanceMetadataProvider } from '../providers/instance-metadata-provider';
import { ProfileProvider } from '../providers/profile-provider';
import { WebIdentityProvider } from '../providers/web-identity-provider';
import { SkipCheckGate } from './skip-check-gate';

/** The link names of the default chain, in order. */
export const DEFAULT_CHAIN_LINKS = Object.freeze([
  'prefixed-profile',
  'prefixed-env',
  'profile',
  'env',
  'web-identity',
  'container-metadata',
  'instance-metadata',
] as const);

/** The name of a link of the default chain. */
export type DefaultLinkName = (typeof DEFAULT_CHAIN_LINKS)[number];

/** One link of the default chain: its name, and how to register it in a container. */
export interface DefaultLink {
  readonly name: DefaultLinkName;
  register(container: DependencyContainer): void;
}

/**
 * The default chain's links, in Remotion's order (prefixed always beats
 * plain); the machine links run only when the credentials check is skipped.
 * The one place the order lives.
 */
export function defaultLinks(
  vars: AwsVariables,
  profileSettings: ProfileSettings = {},
): DefaultLink[] {
  const link =
    <O>(
      type: InjectionToken<CredentialProvider<unknown>>,
      optionsToken: InjectionToken<O>,
      options: O,
    ) =>
    (container: DependencyContainer) =>
      container.register(Tokens.CredentialProvider, {
        useFactory: (c) => {
          const scope = c.createChildContainer();
          scope.register(optionsToken, { useValue: options });
          return scope.resolve(type);
        },
      });
  const machine =
    (type: InjectionToken<CredentialProvider<unknown>>) => (container: DependencyContainer) => {
      registerMachineOptions(container);
      container.register(Tokens.CredentialProvider, {
        useFactory: (c) =>
          new SkipCheckGate(
            c.resolve(type),
            c.resolve<EnvironmentSource>(Tokens.EnvironmentSource),
            vars.skipCredentialsCheck,
          ),
      });
    };
  return [
    {
      name: 'prefixed-profile',
      register: link(ProfileProvider, AwsTokens.ProfileProviderOptions, {
        ...profileSettings,
        name: 'prefixed-profile',
        profileVariable: vars.profile,
      }),
    },
    {
      name: 'prefixed-env',
      register: link(EnvProvider, AwsTokens.EnvProviderOptions, {
        name: 'prefixed-env',
        accessKeyIdVariable: vars.accessKeyId,
        secretAccessKeyVariable: vars.secretAccessKey,
        sessionTokenVariable: vars.sessionToken,
      }),
    },
    {
      name: 'profile',
      register: link(ProfileProvider, AwsTokens.ProfileProviderOptions, {
        ...profileSettings,
        name: 'profile',
        profileVariable: PLAIN_AWS_VARIABLES.profile,
      }),
    },
    { name: 'env', register: link(EnvProvider, AwsTokens.EnvProviderOptions, { name: 'env' }) },
    { name: 'web-identity', register: machine(WebIdentityProvider) },
    { name: 'container-metadata', register: machine(ContainerMetadataProvider) },
    { name: 'instance-metadata', register: machine(InstanceMetadataProvider) },
  ];
}

/** Registers the default chain's links in `container`, in order (see {@link defaultLinks}). */
export function registerDefaultProviders(
  container: DependencyContainer,
  vars: AwsVariables,
  profileSettings: ProfileSettings = {},
): void {
  for (const link of defaultLinks(vars, profileSettings)) link.register(container);
}

/** Default (empty) options for the machine links, unless the caller set them. */
function registerMachineOptions(container: DependencyContainer): void {
  for (const token of [
    AwsTokens.WebIdentityProviderOptions,
    AwsTokens.ContainerMetadataProviderOptions,
    AwsTokens.InstanceMetadataProviderOptions,
  ]) {
    if (!container.isRegistered(token, true)) container.register(token, { useValue: {} });
  }
}
