import {
  type CredentialProvider,
  type Credentials,
  CredentialsUnavailableError,
  messageOf,
} from '@credchain/core';
import { CredentialsConfigurationError } from '../errors/credentials-configuration-error';
import { ContainerMetadataProvider } from '../providers/container-metadata-provider';
import { EnvProvider } from '../providers/env-provider';
import { InstanceMetadataProvider } from '../providers/instance-metadata-provider';
import type { ProfileContext } from './profile-context';

/** The `credential_source` values the AWS CLI and SDKs know. */
export const CREDENTIAL_SOURCES = ['Environment', 'Ec2InstanceMetadata', 'EcsContainer'] as const;

/**
 * A profile's `credential_source`, resolved through credchain's own links on
 * the injected environment — never the SDK's, which read `process.env`:
 * `Environment` is the plain `AWS_ACCESS_KEY_ID` pair, `Ec2InstanceMetadata`
 * and `EcsContainer` the fail-fast metadata links. A profile the user named
 * is explicit configuration, so the metadata links run here without the
 * skip flag; what they cannot give is an error naming the profile, never a
 * fall-through to another source.
 */
export async function resolveCredentialSource(
  profile: string,
  source: string,
  context: ProfileContext,
): Promise<Credentials> {
  const link = sourceLink(profile, source, context);
  try {
    return await link.provide();
  } catch (error) {
    const reason = CredentialsUnavailableError.is(error)
      ? `nothing there (${messageOf(error)})`
      : messageOf(error);
    throw new CredentialsConfigurationError(
      `profile "${profile}" has credential_source = ${source}, which gave no credentials: ${reason}`,
      // Our own links' errors hold no secret; keep them for the details.
      { cause: error },
    );
  }
}

function sourceLink(
  profile: string,
  source: string,
  context: ProfileContext,
): CredentialProvider<Credentials> {
  switch (source) {
    case 'Environment':
      return new EnvProvider(context.env);
    case 'Ec2InstanceMetadata':
      return new InstanceMetadataProvider(context.env, context.logger, {});
    case 'EcsContainer':
      return new ContainerMetadataProvider(context.env, context.logger, {});
    default:
      throw new CredentialsConfigurationError(
        `profile "${profile}" has credential_source = ${source}; expected one of ${CREDENTIAL_SOURCES.join(', ')}`,
      );
  }
}
