/**
 * The precedence table of the default chain, through the real CLI:
 * prefixed-profile > prefixed-env > profile > env, a custom prefix, and
 * partly configured sources that stop the chain with the variable's name.
 */
import { json, KEY, redacted, type Sandbox, withSandbox } from './cli-harness';

interface ExplainJson {
  resolvedBy: string | null;
  accessKeyId: string | null;
  attempts: Array<{ provider: string; outcome: string; reason: string | null; durationMs: number }>;
  error?: string;
}

/** Profiles in the temp HOME's ~/.aws files, read by the SDK's own INI loader. */
async function writeProfiles(sandbox: Sandbox): Promise<void> {
  await sandbox.write(
    'home/.aws/credentials',
    `
    [render]
    aws_access_key_id = ${KEY.prefixedProfile}
    aws_secret_access_key = fake-secret-prefixed-profile

    [dev]
    aws_access_key_id = ${KEY.profile}
    aws_secret_access_key = fake-secret-plain-profile
    `,
  );
  await sandbox.write(
    'home/.aws/config',
    `
    [profile from-config]
    aws_access_key_id = ${KEY.profile}
    aws_secret_access_key = fake-secret-config-profile
    `,
  );
  await sandbox.write(
    'profiles/config',
    `
    [profile elsewhere]
    aws_access_key_id = ${KEY.custom}
    aws_secret_access_key = fake-secret-elsewhere
    `,
  );
}

/** `{sandbox}` in a variable's value is the sandbox folder. */
const inSandbox = (sandbox: Sandbox, env: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(env).map(([name, value]) => [name, value.replace('{sandbox}', sandbox.dir)]),
  );

const sources = {
  prefixedProfile: { REMOTION_AWS_PROFILE: 'render' },
  prefixedEnv: {
    REMOTION_AWS_ACCESS_KEY_ID: KEY.prefixedEnv,
    REMOTION_AWS_SECRET_ACCESS_KEY: 'fake-secret-prefixed-env',
  },
  profile: { AWS_PROFILE: 'dev' },
  env: { AWS_ACCESS_KEY_ID: KEY.env, AWS_SECRET_ACCESS_KEY: 'fake-secret-plain-env' },
};

const LINKS = [
  'prefixed-profile',
  'prefixed-env',
  'profile',
  'env',
  'web-identity',
  'container-metadata',
  'instance-metadata',
];

describe('credchain explain: which source wins', () => {
  it.concurrent.each<{
    title: string;
    env: Record<string, string>;
    args?: string[];
    resolvedBy: string;
    key: string;
  }>([
    {
      title: 'prefixed-profile alone',
      env: sources.prefixedProfile,
      resolvedBy: 'prefixed-profile',
      key: KEY.prefixedProfile,
    },
    {
      title: 'prefixed-env alone',
      env: sources.prefixedEnv,
      resolvedBy: 'prefixed-env',
      key: KEY.prefixedEnv,
    },
    { title: 'profile alone', env: sources.profile, resolvedBy: 'profile', key: KEY.profile },
    { title: 'env alone', env: sources.env, resolvedBy: 'env', key: KEY.env },
    {
      title: 'profile alone, from the config file',
      env: { AWS_PROFILE: 'from-config' },
      resolvedBy: 'profile',
      key: KEY.profile,
    },
    {
      title: 'profile alone, from AWS_CONFIG_FILE',
      env: { AWS_PROFILE: 'elsewhere', AWS_CONFIG_FILE: '{sandbox}/profiles/config' },
      resolvedBy: 'profile',
      key: KEY.custom,
    },
    {
      title: 'prefixed-profile over prefixed-env',
      env: { ...sources.prefixedProfile, ...sources.prefixedEnv },
      resolvedBy: 'prefixed-profile',
      key: KEY.prefixedProfile,
    },
    {
      title: 'prefixed-env over env',
      env: { ...sources.prefixedEnv, ...sources.env },
      resolvedBy: 'prefixed-env',
      key: KEY.prefixedEnv,
    },
    {
      title: 'prefixed-env over profile (prefixed always beats plain)',
      env: { ...sources.prefixedEnv, ...sources.profile },
      resolvedBy: 'prefixed-env',
      key: KEY.prefixedEnv,
    },
    {
      title: 'profile over env',
      env: { ...sources.profile, ...sources.env },
      resolvedBy: 'profile',
      key: KEY.profile,
    },
    {
      title: 'all four: prefixed-profile',
      env: {
        ...sources.prefixedProfile,
        ...sources.prefixedEnv,
        ...sources.profile,
        ...sources.env,
      },
      resolvedBy: 'prefixed-profile',
      key: KEY.prefixedProfile,
    },
    {
      title: '--prefix ACME reads ACME_AWS_*, not REMOTION_AWS_*',
      env: {
        ...sources.prefixedEnv,
        ...sources.env,
        ACME_AWS_ACCESS_KEY_ID: KEY.custom,
        ACME_AWS_SECRET_ACCESS_KEY: 'fake-secret-custom-prefix',
      },
      args: ['--prefix', 'ACME', 'explain'],
      resolvedBy: 'prefixed-env',
      key: KEY.custom,
    },
    {
      title: '--prefix ACME ignores REMOTION_AWS_* entirely',
      env: { ...sources.prefixedProfile, ...sources.prefixedEnv, ...sources.env },
      args: ['explain', '--prefix', 'ACME'],
      resolvedBy: 'env',
      key: KEY.env,
    },
  ])('$title', async ({ env, args, resolvedBy, key }) => {
    await withSandbox(async (sandbox) => {
      await writeProfiles(sandbox);
      const run = await sandbox.run([...(args ?? ['explain']), '--json'], {
        env: inSandbox(sandbox, env),
      });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const report = json<ExplainJson>(run);
      expect(report).toEqual({
        resolvedBy,
        accessKeyId: redacted(key),
        attempts: expect.any(Array),
        warnings: expect.any(Array),
        region: { value: 'us-east-1', resolvedBy: 'default' },
      });
      expect(report.attempts.map((a) => a.provider)).toEqual(LINKS);
      const winner = LINKS.indexOf(resolvedBy);
      expect(report.attempts.map((a) => a.outcome)).toEqual(
        LINKS.map((_, i) =>
          i < winner ? 'unavailable' : i === winner ? 'resolved' : 'not-reached',
        ),
      );
    });
  });

  it.concurrent.each<{
    title: string;
    env: Record<string, string>;
    failed: string;
    message: RegExp;
  }>([
    {
      title: 'a key id without its secret names the missing variable',
      env: { REMOTION_AWS_ACCESS_KEY_ID: KEY.prefixedEnv, ...sources.env },
      failed: 'prefixed-env',
      message: /REMOTION_AWS_ACCESS_KEY_ID is set but REMOTION_AWS_SECRET_ACCESS_KEY is not/,
    },
    {
      title: 'a secret without its key id names the missing variable',
      env: { AWS_SECRET_ACCESS_KEY: 'fake-secret-plain-env' },
      failed: 'env',
      message: /AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not/,
    },
    {
      title: 'surrounding whitespace names the variable',
      env: { ...sources.prefixedEnv, REMOTION_AWS_ACCESS_KEY_ID: ` ${KEY.prefixedEnv} ` },
      failed: 'prefixed-env',
      message: /REMOTION_AWS_ACCESS_KEY_ID has leading or trailing whitespace/,
    },
    {
      title: 'an empty value names the variable',
      env: { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: 'fake-secret-plain-env' },
      failed: 'env',
      message: /AWS_ACCESS_KEY_ID is set but empty/,
    },
    {
      title: 'a named profile that does not exist names the profile and the variable',
      env: { REMOTION_AWS_PROFILE: 'nope', ...sources.env },
      failed: 'prefixed-profile',
      message: /profile "nope" \(from REMOTION_AWS_PROFILE\) was not found; files read: /,
    },
  ])('$title: exit 1, no fall-through', async ({ env, failed, message }) => {
    await withSandbox(async (sandbox) => {
      await writeProfiles(sandbox);
      const run = await sandbox.run(['explain', '--json'], { env });
      expect(run.code).toBe(1);
      const report = json<ExplainJson>(run);
      expect(report.resolvedBy).toBeNull();
      expect(report.accessKeyId).toBeNull();
      expect(report.error).toMatch(message);
      expect(report.error).toContain(`credential provider "${failed}" failed`);
      const at = LINKS.indexOf(failed);
      expect(report.attempts[at]).toMatchObject({ provider: failed, outcome: 'failed' });
      expect(report.attempts[at]?.reason).toMatch(message);
      // The chain stops: later links (the plain env pair here) are never tried.
      expect(report.attempts.slice(at + 1).every((a) => a.outcome === 'not-reached')).toBe(true);
    });
  });

  it('nothing configured: exit 1 with the credentials check message', async () => {
    await withSandbox(async (sandbox) => {
      const run = await sandbox.run(['explain', '--json']);
      expect(run.code).toBe(1);
      const report = json<ExplainJson>(run);
      expect(report.resolvedBy).toBeNull();
      expect(report.attempts.every((a) => a.outcome === 'unavailable')).toBe(true);
      for (const text of [
        'REMOTION_AWS_PROFILE',
        'REMOTION_AWS_ACCESS_KEY_ID',
        'AWS_PROFILE',
        'AWS_ACCESS_KEY_ID',
        'REMOTION_SKIP_AWS_CREDENTIALS_CHECK',
        `${sandbox.home}/.aws/credentials`,
        '.env',
      ]) {
        expect(report.error).toContain(text);
      }
    });
  });

  it('skipped check with nothing listening for instance metadata: machine links tried, exit 1', async () => {
    await withSandbox(async (sandbox) => {
      const run = await sandbox.run(['explain', '--json'], {
        env: {
          REMOTION_SKIP_AWS_CREDENTIALS_CHECK: '1',
          // Port 9 (discard) on loopback: nothing listens, the connection is refused.
          AWS_EC2_METADATA_SERVICE_ENDPOINT: 'http://127.0.0.1:9',
        },
      });
      expect(run.code).toBe(1);
      const report = json<ExplainJson>(run);
      expect(report.attempts.at(-1)).toMatchObject({
        provider: 'instance-metadata',
        outcome: 'unavailable',
        reason: expect.stringContaining('127.0.0.1:9'),
      });
      expect(report.error).toContain('REMOTION_SKIP_AWS_CREDENTIALS_CHECK is set');
    });
  });
});
