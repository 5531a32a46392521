import { toEnvironmentSource } from '@credchain/core';
import { CredentialsConfigurationError } from '../errors/credentials-configuration-error';
import { instanceMetadataEndpoint } from './instance-metadata-endpoint';

const endpointOf = (env: Record<string, string>) =>
  instanceMetadataEndpoint(toEnvironmentSource(env)).origin;

describe(instanceMetadataEndpoint.name, () => {
  it.each<[Record<string, string>, string]>([
    [{}, 'http://169.254.169.254'],
    [{ AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE: 'IPv4' }, 'http://169.254.169.254'],
    [{ AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE: 'IPv6' }, 'http://[fd00:ec2::254]'],
    [{ AWS_EC2_METADATA_SERVICE_ENDPOINT: 'http://127.0.0.1:8123' }, 'http://127.0.0.1:8123'],
    [
      {
        AWS_EC2_METADATA_SERVICE_ENDPOINT: 'http://127.0.0.1:8123',
        AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE: 'IPv6',
      },
      'http://127.0.0.1:8123',
    ],
  ])('%j -> %s', (env, expected) => {
    expect(endpointOf(env)).toBe(expected);
  });

  it.each<[Record<string, string>, RegExp]>([
    [
      { AWS_EC2_METADATA_SERVICE_ENDPOINT: 'not a url' },
      /AWS_EC2_METADATA_SERVICE_ENDPOINT is not a valid URL/,
    ],
    [
      { AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE: 'IPv5' },
      /AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE must be IPv4 or IPv6/,
    ],
  ])('%j is a configuration error naming the variable', (env, message) => {
    expect(() => endpointOf(env)).toThrow(CredentialsConfigurationError);
    expect(() => endpointOf(env)).toThrow(message);
  });
});
