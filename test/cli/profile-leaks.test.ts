/**
 * The leak scan for the profile failures of issue 12: a failing
 * `credential_process` (its command line and both output streams hold the
 * sentinels), one printing secrets with the wrong `Version`, an expired SSO
 * token, an MFA role profile without a terminal. No command — `--debug`
 * included, which prints every cause — shows a sentinel. The sentinels live
 * only in files and helper output, so the CLI's scrubber (which knows the
 * environment's values) cannot be what hides them.
 */
import { createHash } from 'node:crypto';
import { KEY, type Sandbox, SENTINEL_SECRET, SENTINEL_TOKEN, withSandbox } from './cli-harness';

const S = SENTINEL_SECRET;
const T = SENTINEL_TOKEN;
const FORBIDDEN = [S, T, 'SENTINEL', 'do-not-print', JSON.stringify(S).slice(1, -1)];

interface Case {
  readonly title: string;
  readonly expected: RegExp;
  readonly setUp: (sandbox: Sandbox) => Promise<Record<string, string>>;
}

const configProfile = async (sandbox: Sandbox, config: string, credentials = '') => ({
  AWS_PROFILE: 'p',
  AWS_CONFIG_FILE: await sandbox.write('profiles/config', config),
  AWS_SHARED_CREDENTIALS_FILE: await sandbox.write('profiles/credentials', credentials),
});

const cases: readonly Case[] = [
  {
    title: 'credential_process exits 3, secrets in its command line, stdout and stderr',
    expected: /its credential_process failed: it exited with code 3/,
    setUp: async (sandbox) => {
      const script = await sandbox.write(
        'helper.js',
        `process.stdout.write(${JSON.stringify(S)}); process.stderr.write(${JSON.stringify(T)}); process.exit(3);`,
      );
      return configProfile(
        sandbox,
        `[profile p]\ncredential_process = "${process.execPath}" "${script}" --secret ${S}\n`,
      );
    },
  },
  {
    title: 'credential_process prints its secrets with Version 2',
    expected: /its output has a Version other than 1/,
    setUp: async (sandbox) => {
      const output = JSON.stringify({
        Version: 2,
        AccessKeyId: KEY.profile,
        SecretAccessKey: S,
        SessionToken: T,
      });
      const script = await sandbox.write(
        'helper.js',
        `process.stdout.write(${JSON.stringify(output)});`,
      );
      return configProfile(
        sandbox,
        `[profile p]\ncredential_process = "${process.execPath}" "${script}"\n`,
      );
    },
  },
  {
    title: 'an expired SSO token',
    expected: /the SSO session expired at .*; run aws sso login --profile p/,
    setUp: async (sandbox) => {
      const startUrl = 'https://fake-portal.example.com/start';
      const name = createHash('sha1').update(startUrl).digest('hex');
      await sandbox.write(
        `home/.aws/sso/cache/${name}.json`,
        JSON.stringify({ accessToken: T, expiresAt: '2020-01-01T00:00:00Z', refreshToken: S }),
      );
      return configProfile(
        sandbox,
        `[profile p]\nsso_start_url = ${startUrl}\nsso_region = us-east-1\nsso_account_id = 111122223333\nsso_role_name = Render\n`,
      );
    },
  },
  {
    title: 'an MFA role profile without a terminal',
    expected:
      /\(from AWS_PROFILE\) has mfa_serial = arn:aws:iam::123456789012:mfa\/u and needs an MFA code/,
    setUp: async (sandbox) =>
      configProfile(
        sandbox,
        '[profile p]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\nmfa_serial = arn:aws:iam::123456789012:mfa/u\n',
        `[base]\naws_access_key_id = ${KEY.profile}\naws_secret_access_key = ${S}\naws_session_token = ${T}\n`,
      ),
  },
];

const commands: readonly (readonly string[])[] = [
  ['explain'],
  ['explain', '--json'],
  ['--debug', 'check'],
  ['--debug', 'exec', '--', process.execPath, '-e', '0'],
];

describe('profile failures: no command prints a secret or a token', () => {
  it.each(cases.map((c) => [c.title, c] as const))(
    '%s',
    async (_, { setUp, expected }) => {
      await withSandbox(async (sandbox) => {
        const vars = await setUp(sandbox);
        for (const args of commands) {
          const run = await sandbox.run(args, { env: vars });
          const output = `${run.stdout}\n${run.stderr}`;
          expect({ args, code: run.code }).toEqual({ args, code: 1 });
          // The failure is the one meant (this is not a scan of some other error).
          expect(output).toMatch(expected);
          for (const forbidden of FORBIDDEN) {
            if (output.includes(forbidden)) {
              throw new Error(`credchain ${args.join(' ')} printed "${forbidden}":\n${output}`);
            }
          }
        }
      });
    },
    60_000,
  );
});
