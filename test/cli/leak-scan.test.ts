/**
 * The leak scan: for every command × every misconfiguration (and two good
 * configurations), stdout and stderr never contain the sentinel secret
 * access key or session token — not whole, not in part, not JSON-escaped.
 */
import { KEY, type Sandbox, SENTINEL_SECRET, SENTINEL_TOKEN, withSandbox } from './cli-harness';

const S = SENTINEL_SECRET;
const T = SENTINEL_TOKEN;

interface Misconfiguration {
  readonly title: string;
  /** Writes files into the sandbox and returns the variables to run with. */
  readonly setUp: (sandbox: Sandbox) => Promise<Record<string, string>>;
}

const env = (vars: Record<string, string>) => async (): Promise<Record<string, string>> => vars;
const profile = (content: string) => async (sandbox: Sandbox) => ({
  AWS_PROFILE: 'p',
  AWS_SHARED_CREDENTIALS_FILE: await sandbox.write('profiles/credentials', content),
});
const dotenv = (content: string) => async (sandbox: Sandbox) => {
  await sandbox.write('work/.env', content);
  return {};
};

const cases: readonly Misconfiguration[] = [
  {
    title: 'prefixed secret and token without a key id',
    setUp: env({ REMOTION_AWS_SECRET_ACCESS_KEY: S, REMOTION_AWS_SESSION_TOKEN: T }),
  },
  {
    title: 'plain secret and token without a key id',
    setUp: env({ AWS_SECRET_ACCESS_KEY: S, AWS_SESSION_TOKEN: T }),
  },
  {
    title: 'a session token without keys',
    setUp: env({ REMOTION_AWS_SESSION_TOKEN: T, AWS_SECRET_1: S }),
  },
  {
    title: 'whitespace around the secret and the token',
    setUp: env({
      REMOTION_AWS_ACCESS_KEY_ID: KEY.prefixedEnv,
      REMOTION_AWS_SECRET_ACCESS_KEY: ` ${S} `,
      REMOTION_AWS_SESSION_TOKEN: `${T}\n`,
    }),
  },
  {
    title: 'whitespace around the key id',
    setUp: env({
      AWS_ACCESS_KEY_ID: ` ${KEY.env}`,
      AWS_SECRET_ACCESS_KEY: S,
      AWS_SESSION_TOKEN: T,
    }),
  },
  {
    title: 'a named profile that does not exist, keys in the environment',
    setUp: env({
      REMOTION_AWS_PROFILE: 'nope',
      REMOTION_AWS_ACCESS_KEY_ID: KEY.prefixedEnv,
      REMOTION_AWS_SECRET_ACCESS_KEY: S,
      REMOTION_AWS_SESSION_TOKEN: T,
    }),
  },
  {
    title: 'a profile with a broken secret line',
    setUp: profile(`
      [p]
      aws_access_key_id = ${KEY.profile}
      aws_secret_access_key ${S}
      aws_session_token = ${T}
      `),
  },
  {
    title: 'a profile with a secret but no key id',
    setUp: profile(`
      [p]
      aws_secret_access_key = ${S}
      aws_session_token = ${T}
      `),
  },
  {
    title: 'a malformed .env holding the secret and the token',
    setUp: dotenv(`REMOTION_AWS_ACCESS_KEY_ID=${KEY.prefixedEnv}\n${S}\nTOKEN="${T}\n`),
  },
  {
    title: '.env with whitespace inside the quotes',
    setUp: dotenv(
      `REMOTION_AWS_ACCESS_KEY_ID=${KEY.prefixedEnv}\nREMOTION_AWS_SECRET_ACCESS_KEY=" ${S}"\nREMOTION_AWS_SESSION_TOKEN='${T} '\n`,
    ),
  },
  {
    title: 'a half-set rotation pool',
    setUp: env({
      AWS_KEY_1: 'AKIAFAKEROTATION0001',
      AWS_SECRET_1: S,
      AWS_SESSION_TOKEN_1: T,
      AWS_SECRET_2: `${S}-2`,
      AWS_SECRET_: `${T}-typo`,
    }),
  },
  {
    title: 'skipped check, nothing listening for instance metadata, secrets in the pool only',
    setUp: env({
      REMOTION_SKIP_AWS_CREDENTIALS_CHECK: '1',
      AWS_EC2_METADATA_SERVICE_ENDPOINT: 'http://127.0.0.1:9',
      AWS_KEY_1: 'AKIAFAKEROTATION0001',
      AWS_SECRET_1: S,
      AWS_SESSION_TOKEN: T,
    }),
  },
  {
    title: 'good: prefixed keys with a session token (and a pool)',
    setUp: env({
      REMOTION_AWS_ACCESS_KEY_ID: KEY.prefixedEnv,
      REMOTION_AWS_SECRET_ACCESS_KEY: S,
      REMOTION_AWS_SESSION_TOKEN: T,
      AWS_KEY_1: 'AKIAFAKEROTATION0001',
      AWS_SECRET_1: S,
    }),
  },
  {
    title: 'good: a profile with a session token, from .env',
    setUp: async (sandbox) => {
      const file = await sandbox.write(
        'profiles/credentials',
        `[p]\naws_access_key_id = ${KEY.profile}\naws_secret_access_key = ${S}\naws_session_token = ${T}\n`,
      );
      await sandbox.write('work/.env', `AWS_PROFILE=p\nAWS_SHARED_CREDENTIALS_FILE=${file}\n`);
      return {};
    },
  },
];

/** Every command, with --debug where it prints more. The child prints nothing itself. */
const commands: readonly (readonly string[])[] = [
  ['explain'],
  ['explain', '--json'],
  ['--debug', 'check'],
  ['check', '--json'],
  ['--debug', 'accounts', '--session-token-pattern', 'AWS_SESSION_TOKEN_{n}'],
  ['accounts', '--json'],
  ['--debug', 'exec', '--', process.execPath, '-e', '0'],
  ['--debug', 'exec', '--account', '1', '--', process.execPath, '-e', '0'],
];

/** Parts of the sentinels that must not appear either (a truncated or split leak). */
const FORBIDDEN = [S, T, 'SENTINEL', 'do-not-print', JSON.stringify(S).slice(1, -1)];

describe('leak scan: no command prints the secret or the session token', () => {
  it.concurrent.each(cases.map((c) => [c.title, c] as const))('%s', async (_, misconfiguration) => {
    await withSandbox(async (sandbox) => {
      const vars = await misconfiguration.setUp(sandbox);
      const runs = await Promise.all(
        commands.map(async (args) => ({ args, run: await sandbox.run(args, { env: vars }) })),
      );
      for (const { args, run } of runs) {
        const output = `${run.stdout}\n${run.stderr}`;
        // Every command ran and said something (this is not a scan of empty output).
        expect({ args, code: run.code }).toEqual({ args, code: expect.any(Number) });
        if (!args.includes('exec')) expect(output.trim()).not.toBe('');
        for (const forbidden of FORBIDDEN) {
          if (output.includes(forbidden)) {
            throw new Error(`credchain ${args.join(' ')} printed "${forbidden}":\n${output}`);
          }
        }
      }
    });
  });
});
