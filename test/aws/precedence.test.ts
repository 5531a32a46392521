/**
 * The default chain's precedence, end to end: real INI files read by the AWS
 * SDK's own loader, a plain-object environment per row, the winner checked by
 * name and by the key id it resolved.
 */

import { createCredentialChain } from '@credchain/aws';
import { ProviderFailedError } from '@credchain/core';
import { type AwsFiles, writeAwsFiles } from '../support/temp-aws-files';

const KEYS = {
  prefixedProfile: { id: 'AKIAFAKEPREFIXPROFIL', secret: 'fake-secret-prefixed-profile' },
  prefixedEnv: { id: 'AKIAFAKEPREFIXEDENV1', secret: 'fake-secret-prefixed-env' },
  profile: { id: 'AKIAFAKEPLAINPROFILE', secret: 'fake-secret-plain-profile' },
  env: { id: 'AKIAFAKEPLAINENV0001', secret: 'fake-secret-plain-env' },
  configOnly: { id: 'AKIAFAKECONFIGONLY01', secret: 'fake-secret-config-only' },
  acme: { id: 'AKIAFAKEACMEENV00001', secret: 'fake-secret-acme-env' },
};

type Vars = Record<string, string>;
const PREFIXED_PROFILE: Vars = { REMOTION_AWS_PROFILE: 'pfx' };
const PREFIXED_ENV: Vars = {
  REMOTION_AWS_ACCESS_KEY_ID: KEYS.prefixedEnv.id,
  REMOTION_AWS_SECRET_ACCESS_KEY: KEYS.prefixedEnv.secret,
};
const PROFILE: Vars = { AWS_PROFILE: 'plain' };
const ENV: Vars = { AWS_ACCESS_KEY_ID: KEYS.env.id, AWS_SECRET_ACCESS_KEY: KEYS.env.secret };
const SKIP: Vars = { REMOTION_SKIP_AWS_CREDENTIALS_CHECK: '1', AWS_EC2_METADATA_DISABLED: 'true' };

interface Row {
  readonly name: string;
  readonly vars: Vars;
  readonly prefix?: string;
  /** The expected winner and the key id it resolves, or the expected failure. */
  readonly winner?: readonly [string, string];
  readonly failure?: RegExp;
}

const rows: Row[] = [
  // Each source alone.
  {
    name: 'prefixed profile alone',
    vars: PREFIXED_PROFILE,
    winner: ['prefixed-profile', KEYS.prefixedProfile.id],
  },
  { name: 'prefixed env alone', vars: PREFIXED_ENV, winner: ['prefixed-env', KEYS.prefixedEnv.id] },
  { name: 'plain profile alone', vars: PROFILE, winner: ['profile', KEYS.profile.id] },
  { name: 'plain env alone', vars: ENV, winner: ['env', KEYS.env.id] },
  // Every pair of the four sources: the higher precedence wins.
  {
    name: 'prefixed profile + prefixed env',
    vars: { ...PREFIXED_PROFILE, ...PREFIXED_ENV },
    winner: ['prefixed-profile', KEYS.prefixedProfile.id],
  },
  {
    name: 'prefixed profile + plain profile',
    vars: { ...PREFIXED_PROFILE, ...PROFILE },
    winner: ['prefixed-profile', KEYS.prefixedProfile.id],
  },
  {
    name: 'prefixed profile + plain env',
    vars: { ...PREFIXED_PROFILE, ...ENV },
    winner: ['prefixed-profile', KEYS.prefixedProfile.id],
  },
  {
    name: 'prefixed env + plain profile',
    vars: { ...PREFIXED_ENV, ...PROFILE },
    winner: ['prefixed-env', KEYS.prefixedEnv.id],
  },
  {
    name: 'prefixed env + plain env',
    vars: { ...PREFIXED_ENV, ...ENV },
    winner: ['prefixed-env', KEYS.prefixedEnv.id],
  },
  {
    name: 'plain profile + plain env',
    vars: { ...PROFILE, ...ENV },
    winner: ['profile', KEYS.profile.id],
  },
  {
    name: 'all four sources',
    vars: { ...PREFIXED_PROFILE, ...PREFIXED_ENV, ...PROFILE, ...ENV },
    winner: ['prefixed-profile', KEYS.prefixedProfile.id],
  },
  // Profiles from the config file only, and with a session token.
  {
    name: 'config-file-only [profile x]',
    vars: { REMOTION_AWS_PROFILE: 'cfgonly' },
    winner: ['prefixed-profile', KEYS.configOnly.id],
  },
  {
    name: 'prefixed env with session token',
    vars: { ...PREFIXED_ENV, REMOTION_AWS_SESSION_TOKEN: 'fake-session-token' },
    winner: ['prefixed-env', KEYS.prefixedEnv.id],
  },
  // Custom prefix: REMOTION_ variables mean nothing to an ACME chain.
  {
    name: 'custom prefix ACME ignores REMOTION_',
    prefix: 'ACME',
    vars: {
      ...PREFIXED_ENV,
      ACME_AWS_ACCESS_KEY_ID: KEYS.acme.id,
      ACME_AWS_SECRET_ACCESS_KEY: KEYS.acme.secret,
    },
    winner: ['prefixed-env', KEYS.acme.id],
  },
  {
    name: 'custom prefix ACME profile beats plain env',
    prefix: 'ACME',
    vars: { ACME_AWS_PROFILE: 'pfx', ...ENV },
    winner: ['prefixed-profile', KEYS.prefixedProfile.id],
  },
  {
    name: 'custom prefix ACME falls back to plain env',
    prefix: 'ACME',
    vars: { ...PREFIXED_ENV, ...ENV },
    winner: ['env', KEYS.env.id],
  },
  // Skip flag: configured sources still win over machine credentials.
  { name: 'skip flag + plain env', vars: { ...SKIP, ...ENV }, winner: ['env', KEYS.env.id] },
  {
    name: 'skip flag + prefixed profile',
    vars: { ...SKIP, ...PREFIXED_PROFILE },
    winner: ['prefixed-profile', KEYS.prefixedProfile.id],
  },
  // Partial configuration: an error naming the variable, never a fall-through.
  {
    name: 'prefixed key id without secret, plain env set',
    vars: { REMOTION_AWS_ACCESS_KEY_ID: KEYS.prefixedEnv.id, ...ENV },
    failure:
      /prefixed-env.*REMOTION_AWS_ACCESS_KEY_ID is set but REMOTION_AWS_SECRET_ACCESS_KEY is not/,
  },
  {
    name: 'prefixed secret without key id',
    vars: { REMOTION_AWS_SECRET_ACCESS_KEY: KEYS.prefixedEnv.secret, ...PROFILE },
    failure: /REMOTION_AWS_SECRET_ACCESS_KEY is set but REMOTION_AWS_ACCESS_KEY_ID is not/,
  },
  {
    name: 'plain key id without secret',
    vars: { AWS_ACCESS_KEY_ID: KEYS.env.id },
    failure: /AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not/,
  },
  {
    name: 'session token without keys',
    vars: { REMOTION_AWS_SESSION_TOKEN: 'fake-session-token', ...ENV },
    failure: /REMOTION_AWS_SESSION_TOKEN is set but/,
  },
  {
    name: 'prefixed profile that does not exist',
    vars: { REMOTION_AWS_PROFILE: 'nope', ...ENV },
    failure:
      /profile "nope" \(from REMOTION_AWS_PROFILE\) was not found; files read: .*credentials \(.*\), .*config \(.*\); /,
  },
  // Whitespace and empty values.
  {
    name: 'prefixed key id with trailing space',
    vars: { ...PREFIXED_ENV, REMOTION_AWS_ACCESS_KEY_ID: `${KEYS.prefixedEnv.id} `, ...ENV },
    failure: /REMOTION_AWS_ACCESS_KEY_ID has leading or trailing whitespace/,
  },
  {
    name: 'plain secret with leading newline',
    vars: { ...ENV, AWS_SECRET_ACCESS_KEY: `\n${KEYS.env.secret}` },
    failure: /AWS_SECRET_ACCESS_KEY has leading or trailing whitespace/,
  },
  {
    name: 'profile name with whitespace',
    vars: { AWS_PROFILE: ' plain', ...ENV },
    failure: /AWS_PROFILE has leading or trailing whitespace/,
  },
  {
    name: 'empty prefixed profile',
    vars: { REMOTION_AWS_PROFILE: '', ...ENV },
    failure: /REMOTION_AWS_PROFILE is set but empty/,
  },
];

describe('default chain precedence', () => {
  let files: AwsFiles;

  beforeAll(async () => {
    files = await writeAwsFiles({
      credentials: `
        [pfx]
        aws_access_key_id = ${KEYS.prefixedProfile.id}
        aws_secret_access_key = ${KEYS.prefixedProfile.secret}

        [plain]
        aws_access_key_id = ${KEYS.profile.id}
        aws_secret_access_key = ${KEYS.profile.secret}
      `,
      config: `
        [profile cfgonly]
        aws_access_key_id = ${KEYS.configOnly.id}
        aws_secret_access_key = ${KEYS.configOnly.secret}
      `,
    });
  });

  afterAll(() => files.cleanup());

  const envOf = (row: Row) => ({ HOME: files.dir, ...files.env, ...row.vars });

  it.each(rows.filter((r) => r.winner).map((r) => [r.name, r] as const))(
    '%s',
    async (_name, row) => {
      const chain = createCredentialChain({ prefix: row.prefix, env: envOf(row) });
      const [winner, keyId] = row.winner as [string, string];
      const report = await chain.explain();
      expect(report.resolvedBy).toBe(winner);
      const credentials = await chain.resolve();
      expect(credentials.accessKeyId).toBe(keyId);
    },
  );

  it.each(rows.filter((r) => r.failure).map((r) => [r.name, r] as const))(
    '%s fails',
    async (_name, row) => {
      const chain = createCredentialChain({ prefix: row.prefix, env: envOf(row) });
      const failure = chain.resolve();
      await expect(failure).rejects.toBeInstanceOf(ProviderFailedError);
      await expect(failure).rejects.toThrow(row.failure as RegExp);
      const report = await chain.explain();
      expect(report.resolvedBy).toBeNull();
      expect(report.attempts.filter((a) => a.outcome === 'failed')).toHaveLength(1);
    },
  );

  it('names every variable, both files, the skip flag and .env when nothing is configured', async () => {
    const chain = createCredentialChain({ env: { HOME: files.dir, ...files.env } });
    const message = await chain.resolve().then(
      () => '',
      (error: Error) => error.message,
    );
    for (const expected of [
      'REMOTION_AWS_PROFILE',
      'AWS_PROFILE',
      'REMOTION_AWS_ACCESS_KEY_ID',
      'REMOTION_AWS_SECRET_ACCESS_KEY',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      files.credentialsFile,
      files.configFile,
      'REMOTION_SKIP_AWS_CREDENTIALS_CHECK',
      '.env',
    ]) {
      expect(message).toContain(expected);
    }
  });
});
