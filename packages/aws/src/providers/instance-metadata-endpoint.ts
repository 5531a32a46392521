import type { EnvironmentSource } from '@credchain/core';
import { CredentialsConfigurationError } from '../errors/credentials-configuration-error';

const ENDPOINT = 'AWS_EC2_METADATA_SERVICE_ENDPOINT';
const ENDPOINT_MODE = 'AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE';
/** The instance metadata service's addresses, by endpoint mode. */
const BY_MODE: Readonly<Record<string, string>> = {
  ipv4: 'http://169.254.169.254',
  ipv6: 'http://[fd00:ec2::254]',
};

/**
 * Where instance metadata is asked, from `env` only (the SDK's client reads
 * `process.env` and the process's config file): `AWS_EC2_METADATA_SERVICE_ENDPOINT`,
 * else the address of `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE` (`IPv4`,
 * the default, or `IPv6`). The config file's `ec2_metadata_service_endpoint`
 * is not read. A value that is not a URL or a mode is an error naming the variable.
 */
export function instanceMetadataEndpoint(env: EnvironmentSource): URL {
  const endpoint = env.get(ENDPOINT)?.trim();
  if (endpoint) {
    try {
      return new URL(endpoint);
    } catch {
      throw new CredentialsConfigurationError(`${ENDPOINT} is not a valid URL`);
    }
  }
  const mode = env.get(ENDPOINT_MODE)?.trim() || 'IPv4';
  const address = BY_MODE[mode.toLowerCase()];
  if (address === undefined) {
    throw new CredentialsConfigurationError(`${ENDPOINT_MODE} must be IPv4 or IPv6`);
  }
  return new URL(address);
}
