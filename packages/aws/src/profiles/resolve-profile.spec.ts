/**
 * Which kind a profile is, and what a user sees when it is none: the order
 * of the SDK's `fromIni` (role, static keys, web identity,
 * `credential_process`, SSO) on sections that hold more than one kind, and
 * the messages for sections that hold half of one. Real INI files read by the
 * SDK's loader; a SigV4-checking loopback STS.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCredentialChain } from '@credchain/aws';
import type { Logger } from '@credchain/core';
import { stsProfilesFixture } from '../../../../test/support/sts-profiles-fixture';

const BASE = {
  accessKeyId: 'AKIAEXAMPLEKINDBASE01',
  secretAccessKey: 'secret-kind-base-profile-not-real',
};
const OWN = {
  accessKeyId: 'AKIAEXAMPLEKINDOWN001',
  secretAccessKey: 'secret-kind-own-keys-not-real',
};
const ENV = {
  accessKeyId: 'AKIAEXAMPLEKINDENV001',
  secretAccessKey: 'secret-kind-env-keys-not-real',
};
const ROLE = 'arn:aws:iam::123456789012:role/credchain-profile-kinds';
const SERIAL = 'arn:aws:iam::123456789012:mfa/kinds-user';
const TOKEN = 'fake-oidc-token-for-the-profile-kinds-test';
const SSO_FIELDS = [
  'sso_start_url',
  'sso_account_id',
  'sso_session',
  'sso_region',
  'sso_role_name',
] as const;

/** The error a promise rejects with (it must reject). */
const rejection = (promise: Promise<unknown>): Promise<Error> =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as Error,
  );

describe('what kind a profile is', () => {
  const fixture = stsProfilesFixture({
    base: BASE,
    keys: { [ENV.accessKeyId]: ENV.secretAccessKey },
  });
  const own = `aws_access_key_id = ${OWN.accessKeyId}\naws_secret_access_key = ${OWN.secretAccessKey}`;

  // The config names the token file, which lives in the files' folder.
  beforeAll(async () => {
    const tokenFile = join(fixture.files.dir, 'token');
    await writeFile(tokenFile, `${TOKEN}\n`);
    const sso = SSO_FIELDS.map(
      (field) => `[profile only-${field}]\n${field} = ${field === 'sso_session' ? 'kinds' : 'x'}`,
    ).join('\n\n');
    await writeFile(
      fixture.files.configFile,
      `
[profile both-sources]
role_arn = ${ROLE}
source_profile = base
credential_source = Environment

[profile keys-and-source]
source_profile = base
${own}

[profile keys-and-role]
role_arn = ${ROLE}
${own}

[profile web-and-source]
role_arn = ${ROLE}
source_profile = base
web_identity_token_file = ${tokenFile}

[profile web-without-role]
web_identity_token_file = ${tokenFile}

[profile role-alone]
role_arn = ${ROLE}

[profile from-env]
role_arn = ${ROLE}
source_profile = env-source

[profile env-source]
credential_source = Environment

[profile no-duration]
role_arn = ${ROLE}
source_profile = base

[profile zero-duration]
role_arn = ${ROLE}
source_profile = base
duration_seconds = 0

[profile negative-duration]
role_arn = ${ROLE}
source_profile = base
duration_seconds = -5

[profile with-mfa]
role_arn = ${ROLE}
source_profile = base
mfa_serial = ${SERIAL}

[profile empty]

[profile region-only]
region = eu-west-1

${sso}

[sso-session kinds]
sso_region = eu-west-1
`,
    );
  });

  const chain = (profile: string, extra: Parameters<typeof createCredentialChain>[0] = {}) =>
    createCredentialChain({ env: fixture.chainEnv({ AWS_PROFILE: profile }), ...extra });

  it('not found at the top: the not-found message, without naming a referring profile', async () => {
    const error = await rejection(chain('nowhere').resolve());

    expect(error.message).toMatch(/profile "nowhere" \(from AWS_PROFILE\)/);
    expect(error.message).not.toContain('names source_profile');
    expect(error.message).not.toContain('undefined');
  });

  it('a role with both source_profile and credential_source is refused, naming both', async () => {
    const error = await rejection(chain('both-sources').resolve());

    expect(error.message).toContain(
      'profile "both-sources" (from AWS_PROFILE) sets both source_profile and credential_source; a role profile takes one of them',
    );
    expect(fixture.sts.calls).toHaveLength(0);
  });

  it('static keys with a source_profile but no role_arn: the keys, no STS call', async () => {
    await expect(chain('keys-and-source').resolve()).resolves.toMatchObject({
      accessKeyId: OWN.accessKeyId,
    });
    expect(fixture.sts.calls).toHaveLength(0);
  });

  it('static keys with a role_arn but no source: the keys, no STS call', async () => {
    await expect(chain('keys-and-role').resolve()).resolves.toMatchObject({
      accessKeyId: OWN.accessKeyId,
    });
    expect(fixture.sts.calls).toHaveLength(0);
  });

  it('a role with a web identity token file and a source_profile: the web identity wins (as in the SDK)', async () => {
    const credentials = await chain('web-and-source').resolve();

    expect(fixture.sts.callsOf('AssumeRole')).toHaveLength(0);
    const calls = fixture.sts.callsOf('AssumeRoleWithWebIdentity');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ roleArn: ROLE, webIdentityToken: TOKEN });
    expect(credentials.accessKeyId).toBe(calls[0]?.issued?.accessKeyId);
  });

  it.each([
    ['web-without-role', 'it holds only web_identity_token_file'],
    ['role-alone', 'it holds only role_arn'],
    ['env-source', 'it holds only credential_source'],
    ['region-only', 'it holds only region'],
  ])('%s gives nothing: "%s", and what a profile needs', async (profile, has) => {
    const error = await rejection(chain(profile).resolve());

    expect(error.message).toContain(
      `profile "${profile}" (from AWS_PROFILE) exists but holds no credentials: ${has};`,
    );
    expect(error.message).toContain(
      'a profile needs aws_access_key_id + aws_secret_access_key, role_arn with source_profile or credential_source',
    );
    expect(fixture.sts.calls).toHaveLength(0);
  });

  it('an empty section is no profile (the SDK’s loader leaves it out): not found', async () => {
    const error = await rejection(chain('empty').resolve());

    expect(error.message).toMatch(/profile "empty" \(from AWS_PROFILE\) was not found/);
    expect(error.message).toContain('existing profiles: base, both-sources,');
  });

  it('credential_source alone, reached as a source profile: the source’s own credentials sign the role', async () => {
    const report = await chain('from-env', {
      env: fixture.chainEnv({
        AWS_PROFILE: 'from-env',
        AWS_ACCESS_KEY_ID: ENV.accessKeyId,
        AWS_SECRET_ACCESS_KEY: ENV.secretAccessKey,
      }),
    }).explain();

    expect(report.resolvedBy).toBe('profile');
    const calls = fixture.sts.callsOf('AssumeRole');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      roleArn: ROLE,
      callerAccessKeyId: ENV.accessKeyId,
      signatureValid: true,
    });
  });

  it.each(SSO_FIELDS)(
    '%s alone makes an SSO profile, and says what else it needs',
    async (field) => {
      const error = await rejection(chain(`only-${field}`).resolve());

      expect(error.message).toMatch(
        new RegExp(
          `profile "only-${field}" \\(from AWS_PROFILE\\) is an SSO profile without (sso_\\w+(, )?)+`,
        ),
      );
    },
  );

  it.each([
    ['zero-duration', '0'],
    ['negative-duration', '-5'],
  ])('%s: duration_seconds = %s is refused before STS is called', async (profile, value) => {
    const error = await rejection(chain(profile).resolve());

    expect(error.message).toContain(
      `profile "${profile}" (from AWS_PROFILE) has duration_seconds = ${value}, which is not a positive number of seconds`,
    );
    expect(fixture.sts.calls).toHaveLength(0);
  });

  it('without duration_seconds: the default session, and nothing said about a duration', async () => {
    const lines: string[] = [];
    const logger: Logger = { debug: (line) => lines.push(line) };

    await chain('no-duration', { logger }).resolve();

    expect(fixture.sts.callsOf('AssumeRole')[0]?.params.DurationSeconds).toBe('3600');
    expect(lines.filter((line) => line.includes('duration_seconds'))).toEqual([]);
  });

  it('an MFA code is sent without the spaces and newline a prompt leaves around it', async () => {
    await chain('with-mfa', { mfaCodeProvider: async () => '  123456\n' }).resolve();

    expect(fixture.sts.callsOf('AssumeRole')[0]?.params).toMatchObject({
      SerialNumber: SERIAL,
      TokenCode: '123456',
    });
  });
});
