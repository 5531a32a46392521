/**
 * `credential_source = Ec2InstanceMetadata | EcsContainer` in a profile the
 * user named (finding 3 of issue 12): explicit configuration, so it runs
 * without the skip flag — through credchain's fail-fast metadata links: a
 * silent IMDS is a clear error within 1.5 s, `AWS_EC2_METADATA_DISABLED=true`
 * an immediate one. Loopback IMDS (IMDSv2) and a SigV4-checking STS.
 *
 * `AWS_EC2_METADATA_SERVICE_ENDPOINT` is set in `process.env` too (and
 * restored), except where a test shows that only the injected one counts.
 */
import { createCredentialChain } from '@credchain/aws';
import { AWS_ISOLATION, setEnv } from '../../../../test/support/env';
import {
  FAKE_IMDS_CREDENTIALS,
  type ImdsServer,
  startImdsServer,
} from '../../../../test/support/imds-server';
import { type StsServer, startStsServer } from '../../../../test/support/sts-server';
import { type AwsFiles, writeAwsFiles } from '../../../../test/support/temp-aws-files';

/** The error a promise rejects with (it must reject). */
const rejection = (promise: Promise<unknown>): Promise<Error> =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as Error,
  );

const ROLE_ARN = 'arn:aws:iam::123456789012:role/credchain-on-ec2';

describe('credential_source = Ec2InstanceMetadata / EcsContainer in a named profile', () => {
  let imds: ImdsServer;
  let sts: StsServer;
  let files: AwsFiles;
  let restoreEnv: () => void;

  beforeAll(async () => {
    imds = await startImdsServer();
    sts = await startStsServer({
      keys: { [FAKE_IMDS_CREDENTIALS.accessKeyId]: FAKE_IMDS_CREDENTIALS.secretAccessKey },
    });
    files = await writeAwsFiles({
      config: `
        [profile on-ec2]
        role_arn = ${ROLE_ARN}
        credential_source = Ec2InstanceMetadata

        [profile on-ecs]
        role_arn = ${ROLE_ARN}
        credential_source = EcsContainer
      `,
    });
    restoreEnv = setEnv({ ...AWS_ISOLATION, AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.endpoint });
  });

  afterAll(async () => {
    restoreEnv();
    await imds.stop();
    await sts.stop();
    await files.cleanup();
  });

  beforeEach(async () => {
    sts.calls.length = 0;
    imds.reset();
    await imds.setFault('none');
  });

  /** No skip flag anywhere. */
  const env = (extra: Record<string, string> = {}) => ({
    HOME: files.dir,
    ...files.env,
    AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.endpoint,
    AWS_ENDPOINT_URL_STS: sts.url,
    AWS_PROFILE: 'on-ec2',
    ...extra,
  });

  it('resolves without the skip flag: the role is assumed with the instance credentials', async () => {
    const chain = createCredentialChain({ env: env() });

    const credentials = await chain.resolve();

    const calls = sts.callsOf('AssumeRole');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      roleArn: ROLE_ARN,
      callerAccessKeyId: FAKE_IMDS_CREDENTIALS.accessKeyId,
      signatureValid: true,
    });
    expect(credentials.accessKeyId).toBe(calls[0]?.issued?.accessKeyId);
    expect(imds.count('/latest/api/token', 'PUT')).toBeGreaterThan(0);
  });

  it('a silent IMDS: a clear error within 1.5 s naming the profile and its credential_source', async () => {
    await imds.setFault('hang');
    const chain = createCredentialChain({ env: env() });

    const started = performance.now();
    const error = await rejection(chain.resolve());
    const ms = performance.now() - started;

    expect(ms).toBeLessThan(1_500);
    expect(error.message).toMatch(
      /profile "on-ec2" \(from AWS_PROFILE\) has credential_source = Ec2InstanceMetadata, which gave no credentials: .*instance metadata/,
    );
    expect(sts.calls).toHaveLength(0);
  });

  it('AWS_EC2_METADATA_DISABLED=true: an immediate clear error, IMDS not contacted', async () => {
    const chain = createCredentialChain({ env: env({ AWS_EC2_METADATA_DISABLED: 'true' }) });

    const started = performance.now();
    const error = await rejection(chain.resolve());
    const ms = performance.now() - started;

    expect(ms).toBeLessThan(300);
    expect(error.message).toMatch(
      /credential_source = Ec2InstanceMetadata, which gave no credentials: nothing there \(AWS_EC2_METADATA_DISABLED is set\)/,
    );
    expect(imds.requests).toHaveLength(0);
    expect(sts.calls).toHaveLength(0);
  });

  it('EcsContainer without container variables: an immediate clear error', async () => {
    const chain = createCredentialChain({ env: env({ AWS_PROFILE: 'on-ecs' }) });

    const error = await rejection(chain.resolve());

    expect(error.message).toMatch(
      /profile "on-ecs" \(from AWS_PROFILE\) has credential_source = EcsContainer, which gave no credentials: nothing there \(AWS_CONTAINER_CREDENTIALS/,
    );
    expect(sts.calls).toHaveLength(0);
  });
  describe('the injected AWS_EC2_METADATA_SERVICE_ENDPOINT is the one contacted', () => {
    let decoy: ImdsServer;
    let restoreDecoy: (() => void) | undefined;

    beforeAll(async () => {
      decoy = await startImdsServer();
    });

    afterAll(async () => {
      await decoy.stop();
    });

    afterEach(() => {
      restoreDecoy?.();
      restoreDecoy = undefined;
      decoy.reset();
    });

    it.each([
      ['another IMDS', () => decoy.endpoint],
      ['no endpoint', () => undefined],
    ])(
      'process.env naming %s: credential_source = Ec2InstanceMetadata asks the injected one',
      async (_label, processEndpoint) => {
        restoreDecoy = setEnv({ AWS_EC2_METADATA_SERVICE_ENDPOINT: processEndpoint() });
        const chain = createCredentialChain({ env: env() });

        await chain.resolve();

        expect(imds.count('/latest/api/token', 'PUT')).toBe(1);
        expect(decoy.requests).toHaveLength(0);
        expect(sts.callsOf('AssumeRole')[0]).toMatchObject({
          callerAccessKeyId: FAKE_IMDS_CREDENTIALS.accessKeyId,
          signatureValid: true,
        });
      },
    );

    it('the instance-metadata link (check skipped) asks the injected one too', async () => {
      restoreDecoy = setEnv({ AWS_EC2_METADATA_SERVICE_ENDPOINT: decoy.endpoint });
      const chain = createCredentialChain({
        env: {
          HOME: files.dir,
          AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.endpoint,
          REMOTION_SKIP_AWS_CREDENTIALS_CHECK: '1',
        },
      });

      const credentials = await chain.resolve();

      expect(credentials.accessKeyId).toBe(FAKE_IMDS_CREDENTIALS.accessKeyId);
      expect(imds.count('/latest/api/token', 'PUT')).toBe(1);
      expect(decoy.requests).toHaveLength(0);
    });
  });
});
