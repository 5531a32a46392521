import {
  type Clock,
  type CredentialProvider,
  type Credentials,
  type EnvironmentSource,
  type Logger,
  Tokens,
} from '@credchain/core';
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

/** What the default links are built from: the chain's services and the caller's link options. */
export interface LinkServices {
  readonly env: EnvironmentSource;
  readonly logger: Logger;
  readonly clock: Clock;
  /** A machine link's options the caller registered (`AwsTokens.…Options` in a container), if any. */
  options<O>(token: InjectionToken<O>): O | undefined;
}

/** One link of the default chain: its name, and how to build it or register it in a container. */
export interface DefaultLink {
  readonly name: DefaultLinkName;
  /** The link itself, built from `services` (no container needed). */
  create(services: LinkServices): CredentialProvider<Credentials>;
  /** The link as a registration on `Tokens.CredentialProvider`, built from the container's services. */
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
  const link = (
    name: DefaultLinkName,
    create: (services: LinkServices) => CredentialProvider<Credentials>,
  ): DefaultLink => ({
    name,
    create,
    register: (container) =>
      container.register(Tokens.CredentialProvider, {
        useFactory: (c) => create(servicesOf(c)),
      }),
  });
  const profile = (name: DefaultLinkName, profileVariable: string) =>
    link(
      name,
      ({ env, logger, clock }) =>
        new ProfileProvider(env, logger, { ...profileSettings, name, profileVariable }, clock),
    );
  const machine = (
    name: DefaultLinkName,
    create: (services: LinkServices) => CredentialProvider<Credentials>,
  ) =>
    link(
      name,
      (services) => new SkipCheckGate(create(services), services.env, vars.skipCredentialsCheck),
    );
  return [
    profile('prefixed-profile', vars.profile),
    link(
      'prefixed-env',
      ({ env }) =>
        new EnvProvider(env, {
          name: 'prefixed-env',
          accessKeyIdVariable: vars.accessKeyId,
          secretAccessKeyVariable: vars.secretAccessKey,
          sessionTokenVariable: vars.sessionToken,
        }),
    ),
    profile('profile', PLAIN_AWS_VARIABLES.profile),
    link('env', ({ env }) => new EnvProvider(env, { name: 'env' })),
    machine(
      'web-identity',
      (s) =>
        new WebIdentityProvider(s.env, s.logger, s.options(AwsTokens.WebIdentityProviderOptions)),
    ),
    machine(
      'container-metadata',
      (s) =>
        new ContainerMetadataProvider(
          s.env,
          s.logger,
          s.options(AwsTokens.ContainerMetadataProviderOptions),
        ),
    ),
    machine(
      'instance-metadata',
      (s) =>
        new InstanceMetadataProvider(
          s.env,
          s.logger,
          s.options(AwsTokens.InstanceMetadataProviderOptions),
        ),
    ),
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

/** A container's services for the default links (its environment, logger, clock, link options). */
export function servicesOf(container: DependencyContainer): LinkServices {
  return {
    env: container.resolve<EnvironmentSource>(Tokens.EnvironmentSource),
    logger: container.resolve<Logger>(Tokens.Logger),
    clock: container.resolve<Clock>(Tokens.Clock),
    options: (token) =>
      container.isRegistered(token, true) ? container.resolve(token) : undefined,
  };
}
