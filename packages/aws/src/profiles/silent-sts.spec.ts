/**
 * STS that accepts connections and never answers: a web identity link and a
 * role profile both fail within their timeouts and leave no socket behind.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsTokens, createCredentialChain, ProfileProvider } from '@credchain/aws';
import { createChainContainer } from '@credchain/core';
import { AWS_ISOLATION, setEnv } from '../../../../test/support/env';
import { type StsServer, startStsServer } from '../../../../test/support/sts-server';
import { writeAwsFiles } from '../../../../test/support/temp-aws-files';

/** The error a promise rejects with (it must reject). */
const rejection = (promise: Promise<unknown>): Promise<Error> =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as Error,
  );

describe('a silent STS endpoint', () => {
  let sts: StsServer;
  let restoreEnv: () => void;
  let dir: string;

  beforeAll(async () => {
    sts = await startStsServer({ fault: 'hang' });
    dir = await mkdtemp(join(tmpdir(), 'credchain-silent-sts-'));
    restoreEnv = setEnv({
      ...AWS_ISOLATION,
      AWS_ENDPOINT_URL_STS: sts.url,
      AWS_REGION: 'us-east-1',
    });
  });

  afterAll(async () => {
    restoreEnv();
    await sts.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('fails the web identity link within 1.5 s', async () => {
    const tokenFile = join(dir, 'token');
    await writeFile(tokenFile, 'fake-web-identity-token');
    const chain = createCredentialChain({
      env: {
        HOME: dir,
        REMOTION_SKIP_AWS_CREDENTIALS_CHECK: '1',
        AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
        AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/fake',
      },
    });
    const before = sts.callsOf('AssumeRoleWithWebIdentity').length;
    const started = performance.now();
    await expect(chain.resolve()).rejects.toThrow(/web identity .* failed/);
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(sts.callsOf('AssumeRoleWithWebIdentity').length).toBe(before + 1);
  });

  it('fails a role profile within its STS timeout instead of hanging', async () => {
    const files = await writeAwsFiles({
      credentials: `
        [base]
        aws_access_key_id = AKIAFAKESILENTSTS001
        aws_secret_access_key = fake-silent-sts-secret
      `,
      config: `
        [profile chained]
        role_arn = arn:aws:iam::123456789012:role/fake
        source_profile = base
      `,
    });
    try {
      const container = createChainContainer({
        env: { HOME: dir, ...files.env, AWS_PROFILE: 'chained', AWS_ENDPOINT_URL_STS: sts.url },
      });
      container.register(AwsTokens.ProfileProviderOptions, { useValue: { stsTimeoutMs: 300 } });
      const provider = container.resolve(ProfileProvider);
      const before = sts.callsOf('AssumeRole').length;
      const started = performance.now();
      await expect(provider.provide()).rejects.toThrow(
        /STS .*AssumeRole for role arn:aws:iam::123456789012:role\/fake of profile "chained" \(from AWS_PROFILE\)/,
      );
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(sts.callsOf('AssumeRole').length).toBeGreaterThan(before);
    } finally {
      await files.cleanup();
    }
  });

  it('one role assumption has a total deadline of 5 s by default, retries included, and its error names STS and the role', async () => {
    const files = await writeAwsFiles({
      credentials: `
        [base]
        aws_access_key_id = AKIAFAKESILENTSTS002
        aws_secret_access_key = fake-silent-sts-secret-2
      `,
      config: `
        [profile chained]
        role_arn = arn:aws:iam::123456789012:role/silent
        source_profile = base
      `,
    });
    try {
      const chain = createCredentialChain({
        env: { HOME: dir, ...files.env, AWS_PROFILE: 'chained', AWS_ENDPOINT_URL_STS: sts.url },
      });
      const started = performance.now();
      const error = await rejection(chain.resolve());
      const ms = performance.now() - started;
      // The SDK alone: 3 attempts x 3 s (our per-request timeout) = 9+ s.
      expect(ms).toBeGreaterThanOrEqual(4_900);
      expect(ms).toBeLessThan(5_800);
      expect(error.message).toMatch(
        /STS did not answer AssumeRole for role arn:aws:iam::123456789012:role\/silent of profile "chained" \(from AWS_PROFILE\) within 5000 ms \(retries included\)/,
      );
      expect(error.message).not.toContain('fake-silent-sts-secret-2');
    } finally {
      await files.cleanup();
    }
  }, 15_000);
});
