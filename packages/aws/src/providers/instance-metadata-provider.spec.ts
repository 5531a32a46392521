import { CredentialsUnavailableError, SilentLogger, toEnvironmentSource } from '@credchain/core';
import { FAKE_IMDS_CREDENTIALS, startImdsServer } from '../../../../test/support/imds-server';
import { InstanceMetadataProvider } from './instance-metadata-provider';

type Env = Record<string, string | undefined>;

const make = (env: Env) =>
  new InstanceMetadataProvider(toEnvironmentSource(env), new SilentLogger(), {});

describe(InstanceMetadataProvider.name, () => {
  it('is named instance-metadata by default, or as configured', () => {
    expect(make({}).name).toBe('instance-metadata');
    expect(
      new InstanceMetadataProvider(toEnvironmentSource({}), new SilentLogger(), { name: 'ec2' })
        .name,
    ).toBe('ec2');
  });

  it.each(['true', '1', 'TRUE', ' yes '])(
    'is unavailable, without any request, when AWS_EC2_METADATA_DISABLED=%j',
    async (value) => {
      const started = Date.now();
      const error = await make({ AWS_EC2_METADATA_DISABLED: value })
        .provide()
        .catch((e: unknown) => e);
      expect(CredentialsUnavailableError.is(error)).toBe(true);
      expect((error as Error).message).toBe('AWS_EC2_METADATA_DISABLED is set');
      // A request would cost at least a connection attempt or the 400 ms timeout.
      expect(Date.now() - started).toBeLessThan(200);
    },
  );

  it('configuration() changes with each of its variables', () => {
    const env: Env = {};
    const provider = make(env);
    const seen = new Set([provider.configuration()]);
    env.AWS_EC2_METADATA_DISABLED = 'true';
    seen.add(provider.configuration());
    env.AWS_EC2_METADATA_V1_DISABLED = 'true';
    seen.add(provider.configuration());
    env.AWS_EC2_METADATA_SERVICE_ENDPOINT = 'http://127.0.0.1:1';
    seen.add(provider.configuration());
    env.AWS_EC2_METADATA_SERVICE_ENDPOINT = 'http://127.0.0.1:2';
    seen.add(provider.configuration());
    expect(seen.size).toBe(5);
  });

  describe('the credentials document IMDS serves', () => {
    /** What the provider gives (or the error it throws) for a document with `document`'s fields. */
    async function provideWith(document: Record<string, unknown>) {
      const imds = await startImdsServer({ document });
      try {
        return await new InstanceMetadataProvider(
          toEnvironmentSource({ AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url }),
          new SilentLogger(),
          {},
        )
          .provide()
          .catch((e: unknown) => e as Error);
      } finally {
        await imds.stop();
      }
    }

    it.each(['AccessKeyId', 'SecretAccessKey', 'Expiration'])(
      'without %s: an error, never credentials',
      async (field) => {
        const result = await provideWith({ [field]: undefined });
        expect(result).toBeInstanceOf(Error);
        expect((result as Error).message).toContain(
          'Invalid response received from instance metadata service.',
        );
      },
    );

    it('an AccountId is kept; an empty one is none', async () => {
      expect(await provideWith({ AccountId: '111122223333' })).toMatchObject({
        accessKeyId: FAKE_IMDS_CREDENTIALS.accessKeyId,
        accountId: '111122223333',
      });
      const without = await provideWith({ AccountId: '' });
      expect(without).toMatchObject({ accessKeyId: FAKE_IMDS_CREDENTIALS.accessKeyId });
      expect((without as { accountId?: string }).accountId).toBeUndefined();
    });
  });
});
