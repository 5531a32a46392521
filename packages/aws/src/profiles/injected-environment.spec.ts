/**
 * The injected environment is the only environment (finding 2 of issue 12):
 * with `credential_source = Environment`, keys A in the injected `env` and
 * decoy keys B in `process.env`, STS must be signed with A — the loopback STS
 * knows only A's secret and verifies the SigV4 signature. An SSO profile
 * reads its config file and its token cache (`HOME`) from the injected
 * environment while `process.env` points at decoys.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCredentialChain } from '@credchain/aws';
import { AWS_ISOLATION, setEnv } from '../../../../test/support/env';
import {
  type SsoPortalServer,
  startSsoPortalServer,
} from '../../../../test/support/sso-portal-server';
import { type StsServer, startStsServer } from '../../../../test/support/sts-server';
import { type AwsFiles, writeAwsFiles } from '../../../../test/support/temp-aws-files';

const INJECTED = {
  accessKeyId: 'AKIAFAKEINJECTEDKEYA',
  secretAccessKey: 'fake-injected-secret-A-not-a-real-secret',
};
const DECOY = {
  accessKeyId: 'AKIAFAKEDECOYKEYBBBB',
  secretAccessKey: 'fake-decoy-secret-B-not-a-real-secret-00',
};
const ROLE_ARN = 'arn:aws:iam::123456789012:role/credchain-from-env';
const START_URL = 'https://fake-portal.example.com/start';
const INJECTED_TOKEN = 'fake-sso-access-token-in-injected-home';
const DECOY_TOKEN = 'fake-sso-access-token-in-process-env-home';

async function writeSsoToken(home: string, accessToken: string): Promise<void> {
  const cache = join(home, '.aws', 'sso', 'cache');
  await mkdir(cache, { recursive: true });
  const name = createHash('sha1').update(START_URL).digest('hex');
  await writeFile(
    join(cache, `${name}.json`),
    JSON.stringify({ accessToken, expiresAt: new Date(Date.now() + 3_600_000).toISOString() }),
  );
}

describe('an injected environment is the only environment', () => {
  let sts: StsServer;
  let portal: SsoPortalServer;
  let files: AwsFiles;
  let decoyHome: string;
  let decoyFiles: AwsFiles;
  let restoreEnv: () => void;

  beforeAll(async () => {
    sts = await startStsServer({ keys: { [INJECTED.accessKeyId]: INJECTED.secretAccessKey } });
    portal = await startSsoPortalServer({ validTokens: [INJECTED_TOKEN, DECOY_TOKEN] });
    files = await writeAwsFiles({
      config: `
        [profile from-env]
        role_arn = ${ROLE_ARN}
        credential_source = Environment

        [profile legacy]
        sso_start_url = ${START_URL}
        sso_region = us-east-1
        sso_account_id = 111122223333
        sso_role_name = Render
      `,
    });
    await writeSsoToken(files.dir, INJECTED_TOKEN);
    // process.env: another HOME with its own token, files without the profiles, other keys.
    decoyHome = await mkdtemp(join(tmpdir(), 'credchain-decoy-home-'));
    await writeSsoToken(decoyHome, DECOY_TOKEN);
    decoyFiles = await writeAwsFiles({ config: '[profile unrelated]\nregion = us-east-1\n' });
    restoreEnv = setEnv({
      ...AWS_ISOLATION,
      HOME: decoyHome,
      ...decoyFiles.env,
      AWS_ACCESS_KEY_ID: DECOY.accessKeyId,
      AWS_SECRET_ACCESS_KEY: DECOY.secretAccessKey,
      AWS_ENDPOINT_URL_STS: sts.url,
      AWS_ENDPOINT_URL_SSO: portal.url,
      AWS_REGION: 'us-east-1',
    });
  });

  afterAll(async () => {
    restoreEnv();
    await sts.stop();
    await portal.stop();
    await files.cleanup();
    await decoyFiles.cleanup();
    await rm(decoyHome, { recursive: true, force: true });
  });

  it('credential_source = Environment signs STS with the injected keys, not process.env', async () => {
    const chain = createCredentialChain({
      env: {
        HOME: files.dir,
        ...files.env,
        AWS_ENDPOINT_URL_STS: sts.url,
        REMOTION_AWS_PROFILE: 'from-env',
        AWS_ACCESS_KEY_ID: INJECTED.accessKeyId,
        AWS_SECRET_ACCESS_KEY: INJECTED.secretAccessKey,
      },
    });

    const credentials = await chain.resolve();

    const calls = sts.callsOf('AssumeRole');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      roleArn: ROLE_ARN,
      callerAccessKeyId: INJECTED.accessKeyId,
      signatureValid: true,
      status: 200,
    });
    expect(credentials.accessKeyId).toBe(calls[0]?.issued?.accessKeyId);
  });

  it('credential_source = Environment with no keys in the injected env fails, although process.env has some', async () => {
    sts.calls.length = 0;
    const chain = createCredentialChain({
      env: {
        HOME: files.dir,
        ...files.env,
        AWS_ENDPOINT_URL_STS: sts.url,
        AWS_PROFILE: 'from-env',
      },
    });

    await expect(chain.resolve()).rejects.toThrow(
      /profile "from-env" \(from AWS_PROFILE\) has credential_source = Environment, which gave no credentials: nothing there \(AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set\)/,
    );
    expect(sts.calls).toHaveLength(0);
  });

  describe('SDK client settings (FIPS, dual-stack, attempts, retry mode) come from the injected env', () => {
    const roleEnv = (extra: Record<string, string> = {}) => ({
      HOME: files.dir,
      ...files.env,
      AWS_ENDPOINT_URL_STS: sts.url,
      AWS_PROFILE: 'from-env',
      AWS_ACCESS_KEY_ID: INJECTED.accessKeyId,
      AWS_SECRET_ACCESS_KEY: INJECTED.secretAccessKey,
      ...extra,
    });
    let restore: (() => void) | undefined;

    beforeEach(() => {
      sts.calls.length = 0;
    });

    afterEach(() => {
      restore?.();
      restore = undefined;
      sts.setFault('none');
    });

    it('FIPS and dual-stack set in process.env only do not reach the STS client', async () => {
      // The SDK refuses FIPS or dual-stack with a custom endpoint: had the
      // client read process.env, the role assumption would fail.
      restore = setEnv({ AWS_USE_FIPS_ENDPOINT: 'true', AWS_USE_DUALSTACK_ENDPOINT: 'true' });

      const credentials = await createCredentialChain({ env: roleEnv() }).resolve();

      expect(sts.callsOf('AssumeRole')).toHaveLength(1);
      expect(credentials.accessKeyId).toBe(sts.calls[0]?.issued?.accessKeyId);
    });

    it('AWS_MAX_ATTEMPTS in the injected env: one attempt, whatever process.env says', async () => {
      restore = setEnv({ AWS_MAX_ATTEMPTS: '3' });
      sts.setFault('500');

      await expect(
        createCredentialChain({ env: roleEnv({ AWS_MAX_ATTEMPTS: '1' }) }).resolve(),
      ).rejects.toThrow(/from-env/);

      expect(sts.callsOf('AssumeRole')).toHaveLength(1);
    });

    it("AWS_MAX_ATTEMPTS only in process.env: the SDK's default of 3 attempts", async () => {
      restore = setEnv({ AWS_MAX_ATTEMPTS: '1', AWS_RETRY_MODE: 'no-such-mode' });
      sts.setFault('500');

      await expect(createCredentialChain({ env: roleEnv() }).resolve()).rejects.toThrow(/from-env/);

      expect(sts.callsOf('AssumeRole')).toHaveLength(3);
    });

    it('an AWS_USE_FIPS_ENDPOINT the SDK cannot read is an error naming it', async () => {
      await expect(
        createCredentialChain({ env: roleEnv({ AWS_USE_FIPS_ENDPOINT: 'yes' }) }).resolve(),
      ).rejects.toThrow(/AWS_USE_FIPS_ENDPOINT must be true or false/);
      expect(sts.calls).toHaveLength(0);
    });
  });

  it('an SSO profile reads the injected config file and the token under the injected HOME', async () => {
    const chain = createCredentialChain({
      env: {
        HOME: files.dir,
        ...files.env,
        AWS_ENDPOINT_URL_SSO: portal.url,
        AWS_PROFILE: 'legacy',
      },
    });

    const credentials = await chain.resolve();

    expect(portal.calls).toHaveLength(1);
    expect(portal.calls[0]).toMatchObject({
      accountId: '111122223333',
      roleName: 'Render',
      status: 200,
    });
    expect(portal.calls[0]?.accessToken).toBe(INJECTED_TOKEN);
    expect(credentials.accessKeyId).toBe(portal.calls[0]?.issued?.accessKeyId);
  });
});
