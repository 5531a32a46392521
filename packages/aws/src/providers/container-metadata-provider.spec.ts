import { CredentialsUnavailableError, SilentLogger, toEnvironmentSource } from '@credchain/core';
import { CredentialsConfigurationError } from '../errors/credentials-configuration-error';
import { ContainerMetadataProvider } from './container-metadata-provider';

type Env = Record<string, string | undefined>;

const make = (env: Env) =>
  new ContainerMetadataProvider(toEnvironmentSource(env), new SilentLogger(), {});

describe(ContainerMetadataProvider.name, () => {
  it('is named container-metadata by default, or as configured', () => {
    expect(make({}).name).toBe('container-metadata');
    expect(
      new ContainerMetadataProvider(toEnvironmentSource({}), new SilentLogger(), { name: 'ecs' })
        .name,
    ).toBe('ecs');
  });

  it.each<[string, Env]>([
    ['nothing is set', {}],
    ['only an authorization token is set', { AWS_CONTAINER_AUTHORIZATION_TOKEN: 'fake-token' }],
    ['only a token file is set', { AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: '/token' }],
  ])('is unavailable when %s', async (_label, env) => {
    const error = await make(env)
      .provide()
      .catch((e: unknown) => e);
    expect(CredentialsUnavailableError.is(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set/,
    );
  });

  it.each<[string, Env, RegExp]>([
    [
      'an empty relative URI',
      { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '' },
      /AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is set but empty/,
    ],
    [
      'a padded full URI',
      { AWS_CONTAINER_CREDENTIALS_FULL_URI: ' http://127.0.0.1:1/creds' },
      /AWS_CONTAINER_CREDENTIALS_FULL_URI has leading or trailing whitespace/,
    ],
    [
      'a full URI that is no URL',
      { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://[::1/creds' },
      /^AWS_CONTAINER_CREDENTIALS_FULL_URI is not a valid URL$/,
    ],
    [
      'a token file that cannot be read',
      {
        AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:1/creds',
        AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: '/nonexistent/credchain/container-token',
      },
      /^AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE names a file that cannot be read: \/nonexistent\/credchain\/container-token$/,
    ],
  ])('is a configuration error with %s', async (_label, env, message) => {
    const error = await make(env)
      .provide()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialsConfigurationError);
    expect((error as Error).message).toMatch(message);
  });

  it('stops the chain (never falls through) for a plain-HTTP full URI to another host, without a request', async () => {
    // Plain HTTP is allowed only to loopback and the ECS/EKS hosts, as in the AWS SDKs.
    const error = await make({ AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://example.invalid/creds' })
      .provide()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(CredentialsUnavailableError.is(error)).toBe(false);
    expect((error as Error).message).toBe(
      'AWS_CONTAINER_CREDENTIALS_FULL_URI must be HTTPS, or HTTP to loopback or the ECS/EKS container host (got http://example.invalid)',
    );
  });

  it('configuration() changes with each of its variables', () => {
    const env: Env = {};
    const provider = make(env);
    const seen = new Set([provider.configuration()]);
    env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI = '/v2/credentials/a';
    seen.add(provider.configuration());
    env.AWS_CONTAINER_CREDENTIALS_FULL_URI = 'http://127.0.0.1:9/creds';
    seen.add(provider.configuration());
    env.AWS_CONTAINER_AUTHORIZATION_TOKEN = 'fake-token';
    seen.add(provider.configuration());
    env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE = '/token';
    seen.add(provider.configuration());
    env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI = '/v2/credentials/b';
    seen.add(provider.configuration());
    expect(seen.size).toBe(6);
  });
});
