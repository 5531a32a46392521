/**
 * The role cache wired into the profile links (Node API, opt-in through
 * `roleCache`): real INI files, a SigV4-checking loopback STS and a loopback
 * SSO portal, the cache in a temporary HOME. Each `createCredentialChain` is
 * a new chain with its own in-process cache, as a new process would be.
 */
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AwsCliRoleSessionCache,
  assumeRoleCacheKey,
  createCredentialChain,
  ssoRoleCacheKey,
} from '@credchain/aws';
import type { Logger } from '@credchain/core';
import {
  type SsoPortalServer,
  startSsoPortalServer,
} from '../../../../test/support/sso-portal-server';
import { stsProfilesFixture } from '../../../../test/support/sts-profiles-fixture';

const BASE = {
  accessKeyId: 'AKIAFAKECACHEBASE001',
  secretAccessKey: 'fake-cache-base-secret-key-not-a-real-one',
};
const ROLE_ARN = 'arn:aws:iam::123456789012:role/credchain-cached';
const MFA_ROLE_ARN = 'arn:aws:iam::123456789012:role/credchain-cached-mfa';
const SERIAL = 'arn:aws:iam::123456789012:mfa/cache-user';
const START_URL = 'https://d-fake.awsapps.com/start';
const SSO_TOKEN = 'fake-sso-access-token-role-cache';

describe('role cache in the profile links', () => {
  const fixture = stsProfilesFixture({
    base: BASE,
    config: `
      [profile role]
      role_arn = ${ROLE_ARN}
      source_profile = base
      duration_seconds = 3600

      [profile mfa]
      role_arn = ${MFA_ROLE_ARN}
      source_profile = base
      mfa_serial = ${SERIAL}

      [profile sso]
      sso_start_url = ${START_URL}
      sso_region = us-east-1
      sso_account_id = 111122223333
      sso_role_name = Render

      [profile sso-session]
      sso_session = corp
      sso_account_id = 111122223333
      sso_role_name = Render

      [sso-session corp]
      sso_start_url = ${START_URL}
      sso_region = us-east-1
    `,
  });
  let portal: SsoPortalServer;
  let cacheDir: string;

  beforeAll(async () => {
    portal = await startSsoPortalServer({ validTokens: [SSO_TOKEN] });
    cacheDir = join(fixture.files.dir, '.aws', 'cli', 'cache');
  });

  afterAll(async () => {
    await portal.stop();
  });

  beforeEach(async () => {
    portal.calls.length = 0;
    await rm(join(fixture.files.dir, '.aws'), { recursive: true, force: true });
  });

  const env = (profile: string) =>
    fixture.chainEnv({
      AWS_ENDPOINT_URL_SSO: portal.url,
      AWS_REGION: 'us-east-1',
      AWS_PROFILE: profile,
    });

  it('a second chain (another process) gets the role from the cache: one AssumeRole', async () => {
    const first = await createCredentialChain({
      env: env('role'),
      roleCache: new AwsCliRoleSessionCache(),
    }).resolve();
    const second = await createCredentialChain({
      env: env('role'),
      roleCache: new AwsCliRoleSessionCache(),
    }).resolve();
    expect(fixture.sts.callsOf('AssumeRole')).toHaveLength(1);
    expect(second.accessKeyId).toBe(first.accessKeyId);
    expect(second.sessionToken).toBe(first.sessionToken);
    // The key is the profile's as configured: RoleArn + DurationSeconds, no session name.
    const key = assumeRoleCacheKey({ roleArn: ROLE_ARN, durationSeconds: 3600 });
    expect(await readdir(cacheDir)).toEqual([`${key}.json`]);
    expect((await stat(join(cacheDir, `${key}.json`))).mode & 0o777).toBe(0o600);
    expect(fixture.sts.callsOf('AssumeRole')[0]?.roleSessionName).toMatch(/^aws-sdk-js-\d+$/);
  });

  it('a session the AWS CLI cached for an MFA profile is used: no STS call, no MFA code asked', async () => {
    await mkdir(cacheDir, { recursive: true, mode: 0o755 });
    const key = assumeRoleCacheKey({ roleArn: MFA_ROLE_ARN, mfaSerial: SERIAL });
    const expiration = new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'UTC');
    await writeFile(
      join(cacheDir, `${key}.json`),
      JSON.stringify({
        Credentials: {
          AccessKeyId: 'ASIAFAKEFROMAWSCLI01',
          SecretAccessKey: 'fake-aws-cli-secret-not-a-real-one',
          SessionToken: 'fake-aws-cli-session-token',
          Expiration: expiration,
        },
        AssumedRoleUser: { Arn: `arn:aws:sts::123456789012:assumed-role/credchain-cached-mfa/x` },
      }),
      { mode: 0o600 },
    );
    const chain = createCredentialChain({
      env: env('mfa'),
      roleCache: new AwsCliRoleSessionCache(),
      mfaCodeProvider: async () => {
        throw new Error('no MFA code should be asked');
      },
    });
    const credentials = await chain.resolve();
    expect(credentials.accessKeyId).toBe('ASIAFAKEFROMAWSCLI01');
    expect(fixture.sts.calls).toHaveLength(0);
  });

  it('without roleCache (the Node API default) nothing is read or written on disk', async () => {
    await createCredentialChain({ env: env('role') }).resolve();
    await createCredentialChain({ env: env('role') }).resolve();
    expect(fixture.sts.callsOf('AssumeRole')).toHaveLength(2);
    await expect(stat(join(fixture.files.dir, '.aws'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('SSO role credentials are cached too, under botocore key, with ProviderType sso', async () => {
    const tokenDir = join(fixture.files.dir, '.aws', 'sso', 'cache');
    await mkdir(tokenDir, { recursive: true });
    const { createHash } = await import('node:crypto');
    await writeFile(
      join(tokenDir, `${createHash('sha1').update(START_URL).digest('hex')}.json`),
      JSON.stringify({
        startUrl: START_URL,
        region: 'us-east-1',
        accessToken: SSO_TOKEN,
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      }),
    );
    const first = await createCredentialChain({
      env: env('sso'),
      roleCache: new AwsCliRoleSessionCache(),
    }).resolve();
    const second = await createCredentialChain({
      env: env('sso'),
      roleCache: new AwsCliRoleSessionCache(),
    }).resolve();
    expect(portal.calls).toHaveLength(1);
    expect(second.accessKeyId).toBe(first.accessKeyId);
    const key = ssoRoleCacheKey({
      accountId: '111122223333',
      roleName: 'Render',
      startUrl: START_URL,
    });
    const entry = JSON.parse(await readFile(join(cacheDir, `${key}.json`), 'utf8'));
    expect(entry).toMatchObject({ ProviderType: 'sso', WrittenBy: 'credchain' });
    expect(entry.Credentials.AccessKeyId).toBe(first.accessKeyId);
  });

  it('an sso-session profile is keyed by the session name, as botocore does', async () => {
    const tokenDir = join(fixture.files.dir, '.aws', 'sso', 'cache');
    await mkdir(tokenDir, { recursive: true });
    const { createHash } = await import('node:crypto');
    await writeFile(
      join(tokenDir, `${createHash('sha1').update('corp').digest('hex')}.json`),
      JSON.stringify({
        startUrl: START_URL,
        region: 'us-east-1',
        accessToken: SSO_TOKEN,
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      }),
    );
    const cache = () => new AwsCliRoleSessionCache();
    const first = await createCredentialChain({
      env: env('sso-session'),
      roleCache: cache(),
    }).resolve();
    const second = await createCredentialChain({
      env: env('sso-session'),
      roleCache: cache(),
    }).resolve();
    expect(portal.calls).toHaveLength(1);
    expect(second.accessKeyId).toBe(first.accessKeyId);
    const key = ssoRoleCacheKey({
      accountId: '111122223333',
      roleName: 'Render',
      ssoSessionName: 'corp',
    });
    expect(await readdir(cacheDir)).toEqual([`${key}.json`]);
  });

  it('a corrupted entry: a fresh AssumeRole, a debug line through the chain logger, no secret', async () => {
    const key = assumeRoleCacheKey({ roleArn: ROLE_ARN, durationSeconds: 3600 });
    await mkdir(cacheDir, { recursive: true });
    await writeFile(join(cacheDir, `${key}.json`), '{"Credentials": ');
    const lines: string[] = [];
    const logger: Logger = { debug: (line) => lines.push(line) };
    const credentials = await createCredentialChain({
      env: env('role'),
      roleCache: new AwsCliRoleSessionCache(),
      logger,
    }).resolve();
    expect(fixture.sts.callsOf('AssumeRole')).toHaveLength(1);
    expect(lines).toContain(`role cache: ${key}.json ignored: not JSON`);
    const text = lines.join('\n');
    expect(text).not.toContain(credentials.secretAccessKey);
    expect(text).not.toContain(credentials.sessionToken as string);
  });

  it('the cache wraps the roleAssumer seam: on a hit it does not run', async () => {
    const seen: string[] = [];
    const chain = () =>
      createCredentialChain({
        env: env('role'),
        roleCache: new AwsCliRoleSessionCache(),
        roleAssumer: (assumption) => {
          seen.push(assumption.configured.RoleArn);
          return assumption.assume();
        },
      });
    await chain().resolve();
    await chain().resolve();
    expect(seen).toEqual([ROLE_ARN]);
  });

  it('a cached SSO session is used even when the SSO login has expired', async () => {
    const tokenDir = join(fixture.files.dir, '.aws', 'sso', 'cache');
    await mkdir(tokenDir, { recursive: true });
    const { createHash } = await import('node:crypto');
    const tokenFile = join(tokenDir, `${createHash('sha1').update(START_URL).digest('hex')}.json`);
    const token = (expiresAt: number) =>
      JSON.stringify({ accessToken: SSO_TOKEN, expiresAt: new Date(expiresAt).toISOString() });
    await writeFile(tokenFile, token(Date.now() + 3_600_000));
    const chain = () =>
      createCredentialChain({ env: env('sso'), roleCache: new AwsCliRoleSessionCache() });
    const first = await chain().resolve();
    await writeFile(tokenFile, token(Date.now() - 60_000));
    expect((await chain().resolve()).accessKeyId).toBe(first.accessKeyId);
    expect(portal.calls).toHaveLength(1);
    // Without the cache the same expired login is an error naming the command to run.
    await expect(createCredentialChain({ env: env('sso') }).resolve()).rejects.toThrow(
      /aws sso login --profile sso/,
    );
  });

  it('explain() skips the in-process cache, not the role cache', async () => {
    const chain = createCredentialChain({
      env: env('role'),
      roleCache: new AwsCliRoleSessionCache(),
    });
    await chain.resolve();
    const report = await chain.explain();
    expect(report.resolvedBy).toBe('profile');
    expect(fixture.sts.callsOf('AssumeRole')).toHaveLength(1);
  });
});
