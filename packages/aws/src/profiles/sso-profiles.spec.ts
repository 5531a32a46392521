/**
 * SSO profiles (finding 5 of issue 12): an expired, missing or rejected
 * token is an error with the exact command to run (`aws sso login --profile
 * <name>`, or `--sso-session <name>`); an `sso-session` token about to expire
 * is refreshed through SSO OIDC and written back. Loopback SSO portal and
 * OIDC servers, real INI files, the token cache under the injected HOME.
 */
import { createHash } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { inspect } from 'node:util';
import { createCredentialChain } from '@credchain/aws';
import { AWS_ISOLATION, setEnv } from '../../../../test/support/env';
import { type SsoOidcServer, startSsoOidcServer } from '../../../../test/support/sso-oidc-server';
import {
  type SsoPortalServer,
  startSsoPortalServer,
} from '../../../../test/support/sso-portal-server';
import { type AwsFiles, writeAwsFiles } from '../../../../test/support/temp-aws-files';

const START_URL = 'https://fake-portal.example.com/start';
const VALID = 'fake-sso-access-token-valid-SENTINEL';
const REVOKED = 'fake-sso-access-token-revoked-SENTINEL';
const REGISTRATION = {
  clientId: 'fake-oidc-client-id',
  clientSecret: 'fake-oidc-client-secret-SENTINEL',
  refreshToken: 'fake-oidc-refresh-token-SENTINEL',
};
const REVOKED_REFRESH = 'fake-oidc-refresh-token-revoked-SENTINEL';
const SENTINELS = [
  VALID,
  REVOKED,
  REGISTRATION.clientSecret,
  REGISTRATION.refreshToken,
  REVOKED_REFRESH,
];

describe('SSO profiles', () => {
  let portal: SsoPortalServer;
  let oidc: SsoOidcServer;
  let files: AwsFiles;
  let restoreEnv: () => void;

  const tokenFile = (id: string) =>
    join(files.dir, '.aws', 'sso', 'cache', `${createHash('sha1').update(id).digest('hex')}.json`);

  async function writeToken(id: string, token: Record<string, unknown>): Promise<void> {
    await mkdir(join(files.dir, '.aws', 'sso', 'cache'), { recursive: true });
    await writeFile(tokenFile(id), JSON.stringify(token));
  }

  const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

  beforeAll(async () => {
    portal = await startSsoPortalServer({ validTokens: [VALID] });
    oidc = await startSsoOidcServer({
      registration: REGISTRATION,
      onIssue: (token) => portal.validTokens.add(token),
    });
    files = await writeAwsFiles({
      config: `
        [profile legacy]
        sso_start_url = ${START_URL}
        sso_region = us-east-1
        sso_account_id = 111122223333
        sso_role_name = Render

        [profile modern]
        sso_session = corp
        sso_account_id = 111122223333
        sso_role_name = Render

        [sso-session corp]
        sso_start_url = ${START_URL}
        sso_region = us-east-1

        [profile orphan]
        sso_session = nowhere
        sso_account_id = 111122223333
        sso_role_name = Render
      `,
    });
    restoreEnv = setEnv(AWS_ISOLATION);
  });

  afterAll(async () => {
    restoreEnv();
    await portal.stop();
    await oidc.stop();
    await files.cleanup();
  });

  beforeEach(() => {
    portal.calls.length = 0;
    oidc.calls.length = 0;
    portal.setFault('none');
  });

  const chainFor = (profile: string, options: { roleDeadlineMs?: number; lines?: string[] } = {}) =>
    createCredentialChain({
      env: {
        HOME: files.dir,
        ...files.env,
        AWS_ENDPOINT_URL_SSO: portal.url,
        AWS_ENDPOINT_URL_SSO_OIDC: oidc.url,
        AWS_PROFILE: profile,
      },
      ...(options.roleDeadlineMs !== undefined && { roleDeadlineMs: options.roleDeadlineMs }),
      ...(options.lines && { logger: { debug: (line: string) => options.lines?.push(line) } }),
    });

  async function failure(
    profile: string,
    options?: Parameters<typeof chainFor>[1],
  ): Promise<Error> {
    const error = await chainFor(profile, options)
      .resolve()
      .catch((e: unknown) => e as Error);
    if (!(error instanceof Error)) throw new Error('expected resolve() to reject');
    for (const text of [error.message, inspect(error, { depth: Number.POSITIVE_INFINITY })]) {
      for (const sentinel of SENTINELS) expect(text).not.toContain(sentinel);
    }
    return error;
  }

  it('a valid legacy token: role credentials from the portal, with their expiry and account', async () => {
    await writeToken(START_URL, { accessToken: VALID, expiresAt: inMinutes(60) });
    const credentials = await chainFor('legacy').resolve();
    expect(portal.calls).toHaveLength(1);
    expect(portal.calls[0]).toMatchObject({ accountId: '111122223333', roleName: 'Render' });
    expect(credentials).toMatchObject({
      accessKeyId: portal.calls[0]?.issued?.accessKeyId,
      sessionToken: portal.calls[0]?.issued?.sessionToken,
      accountId: '111122223333',
    });
    const expiresIn = (credentials.expiration?.getTime() ?? 0) - Date.now();
    expect(expiresIn).toBeGreaterThan(59 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(60 * 60_000);
  });

  it('sso_session naming a section that does not exist: the profile, the name and the file', async () => {
    const error = await failure('orphan');
    expect(error.message).toContain(
      `profile "orphan" (from AWS_PROFILE) names sso_session = nowhere, but ${files.configFile} has no [sso-session nowhere] section`,
    );
    expect(portal.calls).toHaveLength(0);
  });

  it('the portal answers without a session token: an error that says so', async () => {
    await writeToken(START_URL, { accessToken: VALID, expiresAt: inMinutes(60) });
    portal.setFault('no-credentials');
    const error = await failure('legacy');
    expect(error.message).toContain(
      'the SSO portal answered GetRoleCredentials for role Render in account 111122223333 of profile "legacy" (from AWS_PROFILE) without credentials',
    );
  });

  it('the portal refuses (403): its error named, no login advice', async () => {
    await writeToken(START_URL, { accessToken: VALID, expiresAt: inMinutes(60) });
    portal.setFault('forbidden');
    const error = await failure('legacy');
    expect(error.message).toContain(
      'the SSO portal refused GetRoleCredentials for role Render in account 111122223333 of profile "legacy" (from AWS_PROFILE): ForbiddenException: No access',
    );
    expect(error.message).not.toContain('aws sso login');
  });

  it('a silent portal: an error within roleDeadlineMs', async () => {
    await writeToken(START_URL, { accessToken: VALID, expiresAt: inMinutes(60) });
    portal.setFault('hang');
    const started = performance.now();
    const error = await failure('legacy', { roleDeadlineMs: 600 });
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(error.message).toContain(
      'the SSO portal did not answer GetRoleCredentials for role Render in account 111122223333 of profile "legacy" (from AWS_PROFILE) within 600 ms',
    );
  });

  it('an sso-session token valid for longer than 5 minutes is used as it is, without a refresh', async () => {
    await writeToken('corp', { accessToken: VALID, expiresAt: inMinutes(6), ...REGISTRATION });
    await chainFor('modern').resolve();
    expect(oidc.calls).toHaveLength(0);
    expect(portal.calls.map((c) => c.accessToken)).toEqual([VALID]);
  });

  it('a legacy token about to expire is not refreshed (only sso-session tokens are)', async () => {
    await writeToken(START_URL, { accessToken: VALID, expiresAt: inMinutes(2), ...REGISTRATION });
    await chainFor('legacy').resolve();
    expect(oidc.calls).toHaveLength(0);
    expect(portal.calls.map((c) => c.accessToken)).toEqual([VALID]);
  });

  it('an expired sso-session token without its registration: no refresh tried, both login commands', async () => {
    await writeToken('corp', {
      accessToken: VALID,
      expiresAt: inMinutes(-1),
      clientId: REGISTRATION.clientId,
      refreshToken: REGISTRATION.refreshToken,
    });
    const error = await failure('modern');
    expect(error.message).toMatch(
      /the SSO session expired at .*\(or aws sso login --sso-session corp\)/,
    );
    expect(oidc.calls).toHaveLength(0);
  });

  it('an expired legacy token: "aws sso login --profile legacy", the portal not called', async () => {
    await writeToken(START_URL, { accessToken: VALID, expiresAt: inMinutes(-1) });
    const error = await failure('legacy');
    expect(error.message).toMatch(
      /profile "legacy" \(from AWS_PROFILE\): the SSO session expired at .*; run aws sso login --profile legacy/,
    );
    expect(portal.calls).toHaveLength(0);
  });

  it('a token the portal rejects (401): UnauthorizedException and the login command', async () => {
    await writeToken(START_URL, { accessToken: REVOKED, expiresAt: inMinutes(60) });
    const error = await failure('legacy');
    expect(error.message).toMatch(
      /the SSO portal rejected the session token for role Render in account 111122223333 of profile "legacy" \(from AWS_PROFILE\) \(UnauthorizedException.*\); run aws sso login --profile legacy/,
    );
    expect(portal.calls).toHaveLength(1);
  });

  it('an unreadable token file: the login command', async () => {
    await writeToken('some-other-start-url', { accessToken: VALID, expiresAt: inMinutes(60) });
    await writeFile(tokenFile(START_URL), '{ not json');
    const error = await failure('legacy');
    expect(error.message).toMatch(/no usable SSO token in .*; run aws sso login --profile legacy/);
  });

  it.each([
    ['Z', (d: Date) => d.toISOString()],
    ['+00:00', (d: Date) => d.toISOString().replace(/\.\d+Z$/, '+00:00')],
    ["the older AWS CLI's UTC", (d: Date) => d.toISOString().replace(/\.\d+Z$/, 'UTC')],
  ])('an expiresAt written with %s is read', async (_form, write) => {
    await writeToken(START_URL, {
      accessToken: VALID,
      expiresAt: write(new Date(Date.now() + 60 * 60_000)),
    });
    const credentials = await chainFor('legacy').resolve();
    expect(portal.calls).toHaveLength(1);
    expect(credentials.accessKeyId).toBe(portal.calls[0]?.issued?.accessKeyId);
  });

  it.each([['next tuesday'], ['2026-12-01 01:02:03'], [1_900_000_000]])(
    'an expiresAt that is not a date (%j): the token cannot be read, and the login command',
    async (expiresAt) => {
      await writeToken(START_URL, { accessToken: VALID, expiresAt });
      const error = await failure('legacy');
      expect(error.message).toMatch(
        /profile "legacy" \(from AWS_PROFILE\): the SSO token in .* cannot be read \(its expiresAt is not a date\); run aws sso login --profile legacy/,
      );
      expect(portal.calls).toHaveLength(0);
    },
  );

  it('an sso-session token whose expiresAt is not a date: both login commands, no refresh', async () => {
    await writeToken('corp', { accessToken: VALID, expiresAt: 'soon', ...REGISTRATION });
    const error = await failure('modern');
    expect(error.message).toMatch(
      /cannot be read \(its expiresAt is not a date\); run aws sso login --profile modern \(or aws sso login --sso-session corp\)/,
    );
    expect(oidc.calls).toHaveLength(0);
  });

  it('the refreshed token is written through a fresh temporary file, never a planted one', async () => {
    await writeToken('corp', {
      accessToken: REVOKED,
      expiresAt: inMinutes(2),
      ...REGISTRATION,
      region: 'us-east-1',
      startUrl: START_URL,
    });
    // A symlink at the name a process-id-based temporary file would have.
    const victim = join(files.dir, 'victim.txt');
    await writeFile(victim, 'untouched');
    const planted = `${tokenFile('corp')}.${process.pid}.tmp`;
    await symlink(victim, planted);

    try {
      await chainFor('modern').resolve();

      expect(await readFile(victim, 'utf8')).toBe('untouched');
      const entry = await lstat(tokenFile('corp'));
      expect(entry.isFile()).toBe(true);
      expect(entry.mode & 0o777).toBe(0o600);
      const saved = JSON.parse(await readFile(tokenFile('corp'), 'utf8')) as {
        accessToken: string;
      };
      expect(saved.accessToken).toBe(oidc.calls[0]?.issuedAccessToken);
      // Nothing left behind but the planted link.
      const left = (await readdir(dirname(tokenFile('corp')))).filter((f) => f.endsWith('.tmp'));
      expect(left).toEqual([basename(planted)]);
    } finally {
      await rm(planted, { force: true });
    }
  });

  it('an sso-session token about to expire is refreshed through SSO OIDC and written back (0600)', async () => {
    await writeToken('corp', {
      accessToken: REVOKED,
      expiresAt: inMinutes(2),
      ...REGISTRATION,
      region: 'us-east-1',
      startUrl: START_URL,
    });

    const credentials = await chainFor('modern').resolve();

    expect(oidc.calls).toHaveLength(1);
    expect(oidc.calls[0]).toMatchObject({ grantType: 'refresh_token', status: 200 });
    const refreshed = oidc.calls[0]?.issuedAccessToken;
    expect(portal.calls.map((c) => c.accessToken)).toEqual([refreshed]);
    expect(credentials.accessKeyId).toBe(portal.calls[0]?.issued?.accessKeyId);
    const saved = JSON.parse(await readFile(tokenFile('corp'), 'utf8')) as Record<string, string>;
    expect(saved.accessToken).toBe(refreshed);
    expect(saved.clientId).toBe(REGISTRATION.clientId);
    expect(Date.parse(saved.expiresAt as string)).toBeGreaterThan(Date.now() + 30 * 60_000);
    expect((await stat(tokenFile('corp'))).mode & 0o777).toBe(0o600);
  });

  it('an expired sso-session token whose refresh is refused: both login commands', async () => {
    await writeToken('corp', {
      accessToken: VALID,
      expiresAt: inMinutes(-5),
      ...REGISTRATION,
      refreshToken: REVOKED_REFRESH,
    });
    const lines: string[] = [];
    const error = await failure('modern', { lines });
    expect(error.message).toMatch(
      /the SSO session expired at .*; run aws sso login --profile modern \(or aws sso login --sso-session corp\)/,
    );
    expect(oidc.calls).toHaveLength(1);
    expect(oidc.calls[0]?.status).toBe(400);
    // Why the refresh did not help, for --debug; never the refresh token.
    expect(lines.filter((line) => line.startsWith('SSO token refresh failed: '))).toHaveLength(1);
    for (const sentinel of SENTINELS) expect(lines.join('\n')).not.toContain(sentinel);
    expect(portal.calls).toHaveLength(0);
  });
});
