/**
 * Named profiles through the default chain (`createCredentialChain`), read by
 * the AWS SDK's own INI loader from real files in a temporary folder: a
 * `source_profile` role chain whose AssumeRole call goes to the loopback STS
 * server (which verifies the SigV4 signature with the base profile's key), a
 * config-file-only profile, a named profile that does not exist, and STS
 * refusing the role.
 *
 * The chain reads a plain environment object (profile variable, file
 * locations, STS endpoint and region): it is the only environment. The
 * `process.env` file locations point at files that do not exist, so only the
 * plain environment's files can make a test pass.
 */
import { join } from 'node:path';
import { CredentialsConfigurationError, createCredentialChain } from '@credchain/aws';
import { type Credentials, type ProviderChain, ProviderFailedError } from '@credchain/core';
import { AWS_ISOLATION, setEnv } from '../../../../test/support/env';
import { type StsServer, startStsServer } from '../../../../test/support/sts-server';
import { type AwsFiles, writeAwsFiles } from '../../../../test/support/temp-aws-files';

type Env = Record<string, string | undefined>;

const BASE = {
  accessKeyId: 'AKIAFAKEROLEBASE0001',
  secretAccessKey: 'fake-role-base-secret-key-not-a-real-secret',
};
const ONLY_CONFIG = {
  accessKeyId: 'AKIAFAKEONLYCONFIG01',
  secretAccessKey: 'fake-only-config-secret-key-not-a-real-one',
};
const PLAIN = {
  accessKeyId: 'AKIAFAKEPLAINENV0001',
  secretAccessKey: 'fake-plain-env-secret-key-not-a-real-secret',
};
const ROLE_ARN = 'arn:aws:iam::123456789012:role/credchain-render';
const ISSUED = /^ASIAFAKESTS\d{9}$/;

const CREDENTIALS_FILE = `
  [base]
  aws_access_key_id = ${BASE.accessKeyId}
  aws_secret_access_key = ${BASE.secretAccessKey}
`;
const CONFIG_FILE = `
  [profile chained]
  role_arn = ${ROLE_ARN}
  source_profile = base
  role_session_name = credchain-role-chain-test

  [profile onlyconfig]
  aws_access_key_id = ${ONLY_CONFIG.accessKeyId}
  aws_secret_access_key = ${ONLY_CONFIG.secretAccessKey}
`;

describe('profiles and role chains through the default chain', () => {
  let sts: StsServer;
  let files: AwsFiles;
  let restoreEnv: (() => void) | undefined;

  /** The plain environment the chain reads: the two files, the STS endpoint, plus `extra`. */
  function profileEnv(extra: Env): Env {
    return {
      HOME: files.dir,
      ...files.env,
      AWS_ENDPOINT_URL_STS: sts.url,
      AWS_REGION: 'us-east-1',
      ...extra,
    };
  }

  beforeAll(async () => {
    sts = await startStsServer({ keys: { [BASE.accessKeyId]: BASE.secretAccessKey } });
    files = await writeAwsFiles({ credentials: CREDENTIALS_FILE, config: CONFIG_FILE });
  });

  afterAll(async () => {
    await sts.stop();
    await files.cleanup();
  });

  beforeEach(() => {
    sts.calls.length = 0;
    sts.setFault('none');
    restoreEnv = setEnv({
      ...AWS_ISOLATION,
      AWS_CONFIG_FILE: join(files.dir, 'process-env-config-not-there'),
      AWS_SHARED_CREDENTIALS_FILE: join(files.dir, 'process-env-credentials-not-there'),
    });
  });

  afterEach(() => {
    restoreEnv?.();
    restoreEnv = undefined;
  });

  function expectIssuedByAssumeRole(credentials: Credentials): void {
    const calls = sts.callsOf('AssumeRole');
    expect(calls).toHaveLength(1);
    expect(sts.calls).toHaveLength(1);
    const call = calls[0];
    expect(call).toMatchObject({
      status: 200,
      roleArn: ROLE_ARN,
      roleSessionName: 'credchain-role-chain-test',
      // Signed by the base profile's key, and the server verified the signature with it.
      callerAccessKeyId: BASE.accessKeyId,
      signingRegion: 'us-east-1',
      signatureValid: true,
    });
    const issued = call?.issued;
    expect(issued?.accessKeyId).toMatch(ISSUED);
    expect(credentials.accessKeyId).toBe(issued?.accessKeyId);
    expect(credentials.secretAccessKey).toBe(issued?.secretAccessKey);
    expect(credentials.sessionToken).toBe(issued?.sessionToken);
    expect(credentials.expiration?.getTime()).toBe(issued?.expiration.getTime());
  }

  it.each([
    ['REMOTION_AWS_PROFILE', 'prefixed-profile'],
    ['AWS_PROFILE', 'profile'],
  ])(
    '%s=chained: resolves the STS-issued role credentials, signed by the base profile (link %s)',
    async (variable, link) => {
      const chain = createCredentialChain({ env: profileEnv({ [variable]: 'chained' }) });

      const credentials = await chain.resolve();

      expectIssuedByAssumeRole(credentials);
      expect(credentials.accessKeyId).not.toBe(BASE.accessKeyId);

      const report = await chain.explain();
      expect(report.resolvedBy).toBe(link);
    },
  );

  it('a [profile x] that exists only in the config file resolves its static keys without STS', async () => {
    const chain = createCredentialChain({
      env: profileEnv({ REMOTION_AWS_PROFILE: 'onlyconfig' }),
    });

    const credentials = await chain.resolve();

    expect(credentials.accessKeyId).toBe(ONLY_CONFIG.accessKeyId);
    expect(credentials.secretAccessKey).toBe(ONLY_CONFIG.secretAccessKey);
    expect(credentials.sessionToken).toBeUndefined();
    expect(sts.calls).toHaveLength(0);
    expect((await chain.explain()).resolvedBy).toBe('prefixed-profile');
  });

  it('a named profile that does not exist is a failure naming the profile, the variable and both files', async () => {
    const chain = createCredentialChain({
      // Plain keys are configured too: a missing profile must not fall through to them.
      env: profileEnv({
        REMOTION_AWS_PROFILE: 'nosuchprofile',
        AWS_ACCESS_KEY_ID: PLAIN.accessKeyId,
        AWS_SECRET_ACCESS_KEY: PLAIN.secretAccessKey,
      }),
    });

    const error = await chain.resolve().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ProviderFailedError);
    expect((error as ProviderFailedError).provider).toBe('prefixed-profile');
    expect((error as Error).cause).toBeInstanceOf(CredentialsConfigurationError);
    const message = (error as Error).message;
    expect(message).toContain('"nosuchprofile"');
    expect(message).toContain('REMOTION_AWS_PROFILE');
    expect(message).toContain(files.credentialsFile);
    expect(message).toContain(files.configFile);
    expect(message).not.toContain(BASE.secretAccessKey);
    expect(message).not.toContain(PLAIN.secretAccessKey);
    expect(sts.calls).toHaveLength(0);

    const report = await chain.explain();
    expect(report.resolvedBy).toBeNull();
    expect(report.attempts.map((a) => [a.provider, a.outcome])).toEqual([
      ['prefixed-profile', 'failed'],
      ['prefixed-env', 'not-reached'],
      ['profile', 'not-reached'],
      ['env', 'not-reached'],
      ['web-identity', 'not-reached'],
      ['container-metadata', 'not-reached'],
      ['instance-metadata', 'not-reached'],
    ]);
  });

  it('STS AccessDenied on the role is a failure naming the profile', async () => {
    sts.setFault('access-denied');
    const chain = createCredentialChain({ env: profileEnv({ AWS_PROFILE: 'chained' }) });

    const error = await chain.resolve().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ProviderFailedError);
    expect((error as ProviderFailedError).provider).toBe('profile');
    const message = (error as Error).message;
    expect(message).toContain('"chained"');
    expect(message).toContain('AWS_PROFILE');
    expect(message).toMatch(/not authorized/);
    expect(message).not.toContain(BASE.secretAccessKey);

    // STS was really asked (and refused): one AssumeRole signed by the base key.
    const calls = sts.callsOf('AssumeRole');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      status: 403,
      errorCode: 'AccessDenied',
      callerAccessKeyId: BASE.accessKeyId,
      signatureValid: true,
    });
  });

  describe('ExpiryAwareCache (the default cache)', () => {
    let chain: ProviderChain<Credentials>;

    beforeEach(() => {
      chain = createCredentialChain({ env: profileEnv({ REMOTION_AWS_PROFILE: 'chained' }) });
    });

    it('a second resolve() reuses the role credentials without calling STS again', async () => {
      const first = await chain.resolve();
      const second = await chain.resolve();

      expect(sts.callsOf('AssumeRole')).toHaveLength(1);
      expect(second).toBe(first);
      expectIssuedByAssumeRole(second);
    });

    it('concurrent cold resolve() calls share one STS call', async () => {
      const results = await Promise.all([chain.resolve(), chain.resolve(), chain.resolve()]);

      expect(sts.callsOf('AssumeRole')).toHaveLength(1);
      expect(new Set(results.map((c) => c.accessKeyId)).size).toBe(1);
      expectIssuedByAssumeRole(results[0] as Credentials);
    });

    it('invalidate() forgets the credentials: the next resolve() assumes the role again', async () => {
      const first = await chain.resolve();
      chain.invalidate();
      const second = await chain.resolve();

      expect(sts.callsOf('AssumeRole')).toHaveLength(2);
      expect(second.accessKeyId).toMatch(ISSUED);
      expect(second.accessKeyId).not.toBe(first.accessKeyId);
    });
  });
});
