/**
 * The built-in links built by dependency injection, as a team composing its
 * own chain builds them: each reads the container's environment, logs to
 * its logger and takes its options token.
 */
import {
  AwsTokens,
  ContainerMetadataProvider,
  EnvProvider,
  InstanceMetadataProvider,
  ProfileProvider,
  WebIdentityProvider,
} from '@credchain/aws';
import { createChainContainer } from '@credchain/core';
import { FAKE_IMDS_CREDENTIALS, startImdsServer } from '../../../../test/support/imds-server';

const KEYS = {
  AWS_ACCESS_KEY_ID: 'AKIAFAKEINJECTED0001',
  AWS_SECRET_ACCESS_KEY: 'fake-injected-secret-not-a-real-one',
};
const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => new Error('expected a rejection'),
    (error: unknown) => error as Error,
  );

describe('the built-in links, built by injection', () => {
  it('EnvProvider: the container’s environment and its options', async () => {
    const container = createChainContainer({ env: KEYS });
    container.register(AwsTokens.EnvProviderOptions, { useValue: { name: 'plain-env' } });
    const link = container.resolve(EnvProvider);
    expect(link.name).toBe('plain-env');
    await expect(link.provide()).resolves.toMatchObject({ accessKeyId: KEYS.AWS_ACCESS_KEY_ID });
  });

  it('InstanceMetadataProvider: the container’s environment, logger and options', async () => {
    const imds = await startImdsServer();
    try {
      const lines: string[] = [];
      const container = createChainContainer({
        env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url },
        logger: { debug: (line) => lines.push(line) },
      });
      container.register(AwsTokens.InstanceMetadataProviderOptions, { useValue: { name: 'ec2' } });
      const link = container.resolve(InstanceMetadataProvider);
      expect(link.name).toBe('ec2');
      await expect(link.provide()).resolves.toMatchObject({
        accessKeyId: FAKE_IMDS_CREDENTIALS.accessKeyId,
      });
      expect(lines).toContain(`instance metadata: asking ${imds.url}`);
    } finally {
      await imds.stop();
    }
  });

  it('ContainerMetadataProvider: the container’s environment and options', async () => {
    const container = createChainContainer({
      env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://example.invalid/creds' },
    });
    container.register(AwsTokens.ContainerMetadataProviderOptions, { useValue: { name: 'ecs' } });
    const link = container.resolve(ContainerMetadataProvider);
    expect(link.name).toBe('ecs');
    expect((await rejection(link.provide())).message).toContain(
      'AWS_CONTAINER_CREDENTIALS_FULL_URI must be HTTPS',
    );
  });

  it('ProfileProvider: the container’s environment and options', async () => {
    const container = createChainContainer({
      env: {
        AWS_PROFILE: 'nowhere',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credchain-di/credentials',
        AWS_CONFIG_FILE: '/nonexistent/credchain-di/config',
      },
    });
    container.register(AwsTokens.ProfileProviderOptions, { useValue: { name: 'named-profile' } });
    const link = container.resolve(ProfileProvider);
    expect(link.name).toBe('named-profile');
    expect((await rejection(link.provide())).message).toMatch(
      /^profile "nowhere" \(from AWS_PROFILE\) was not found/,
    );
  });

  it('WebIdentityProvider: the container’s environment and options', async () => {
    const container = createChainContainer({ env: {} });
    container.register(AwsTokens.WebIdentityProviderOptions, { useValue: { name: 'irsa' } });
    const link = container.resolve(WebIdentityProvider);
    expect(link.name).toBe('irsa');
    expect((await rejection(link.provide())).message).toContain('AWS_WEB_IDENTITY_TOKEN_FILE');
  });
});
