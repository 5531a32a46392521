import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FAKE, redacted, withCliSandbox } from '../../../../test/support/cli-in-process';
import { execCommand } from './exec-command';

const NAMES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_SECURITY_TOKEN',
  'REMOTION_AWS_ACCESS_KEY_ID',
  'REMOTION_AWS_SECRET_ACCESS_KEY',
  'REMOTION_AWS_PROFILE',
  'FROM_PARENT',
  'FROM_DOTENV',
];
/** The child writes the variables it sees, as JSON, to the file named by its first argument. */
const WRITE_ENV = `require('node:fs').writeFileSync(process.argv[1], JSON.stringify(Object.fromEntries(${JSON.stringify(NAMES)}.map((n) => [n, process.env[n] ?? null]))))`;

const prefixedEnv = {
  REMOTION_AWS_ACCESS_KEY_ID: FAKE.prefixedKey,
  REMOTION_AWS_SECRET_ACCESS_KEY: FAKE.prefixedSecret,
};
const pool = {
  AWS_KEY_1: 'AKIAFAKEROTATION0001',
  AWS_SECRET_1: 'fake-secret-account-1',
  AWS_KEY_2: 'AKIAFAKEROTATION0002',
  AWS_SECRET_2: 'fake-secret-account-2',
};

describe(execCommand.name, () => {
  /** `credchain [...before] exec [...options] -- node -e WRITE_ENV <file>`; the child's variables. */
  const childEnv = async (
    sandbox: Parameters<Parameters<typeof withCliSandbox>[0]>[0],
    env: Record<string, string | undefined>,
    options: string[] = [],
    before: string[] = [],
  ) => {
    const out = join(sandbox.dir, `child-env-${Math.random().toString(36).slice(2)}.json`);
    const run = await sandbox.run(
      [...before, 'exec', ...options, '--', process.execPath, '-e', WRITE_ENV, out],
      { env },
    );
    const seen = existsSync(out)
      ? (JSON.parse(await readFile(out, 'utf8')) as Record<string, string | null>)
      : undefined;
    return { run, seen };
  };

  it('gives the child the resolved keys and token, no profile variables, and the rest of the environment', async () => {
    await withCliSandbox(async (sandbox) => {
      await sandbox.write('work/.env', 'FROM_DOTENV=dotenv-value\nFROM_PARENT=loses\n');
      const { run, seen } = await childEnv(sandbox, {
        ...prefixedEnv,
        REMOTION_AWS_SESSION_TOKEN: FAKE.token,
        AWS_PROFILE: 'dev',
        AWS_DEFAULT_PROFILE: 'dev',
        AWS_SECURITY_TOKEN: 'fake-legacy-token-0000',
        FROM_PARENT: 'parent-value',
      });
      expect(run).toEqual({
        code: 0,
        stdout: '',
        stderr:
          'credchain: warning: more than one credential source is configured: prefixed-env (REMOTION_AWS_ACCESS_KEY_ID, REMOTION_AWS_SECRET_ACCESS_KEY) wins; profile (AWS_PROFILE) is ignored\n',
      });
      expect(seen).toEqual({
        AWS_ACCESS_KEY_ID: FAKE.prefixedKey,
        AWS_SECRET_ACCESS_KEY: FAKE.prefixedSecret,
        AWS_SESSION_TOKEN: FAKE.token,
        AWS_CREDENTIAL_EXPIRATION: null,
        AWS_PROFILE: null,
        AWS_DEFAULT_PROFILE: null,
        AWS_SECURITY_TOKEN: null,
        REMOTION_AWS_ACCESS_KEY_ID: FAKE.prefixedKey,
        REMOTION_AWS_SECRET_ACCESS_KEY: FAKE.prefixedSecret,
        REMOTION_AWS_PROFILE: null,
        FROM_PARENT: 'parent-value',
        FROM_DOTENV: 'dotenv-value',
      });
    });
  });

  it('removes a stale AWS_SESSION_TOKEN when the credentials have none', async () => {
    await withCliSandbox(async (sandbox) => {
      const { run, seen } = await childEnv(sandbox, {
        ...prefixedEnv,
        AWS_SESSION_TOKEN: FAKE.token,
      });
      expect(run.code).toBe(0);
      expect(seen).toMatchObject({ AWS_ACCESS_KEY_ID: FAKE.prefixedKey, AWS_SESSION_TOKEN: null });
    });
  });

  it('credentials with an expiration (credential_process): AWS_CREDENTIAL_EXPIRATION', async () => {
    await withCliSandbox(async (sandbox) => {
      const expiration = new Date(Date.now() + 3_600_000);
      expiration.setMilliseconds(0);
      const script = await sandbox.write(
        'process.js',
        `process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: '${FAKE.plainKey}', SecretAccessKey: '${FAKE.plainSecret}', SessionToken: 'fake-process-token-0000', Expiration: '${expiration.toISOString()}' }));\n`,
      );
      const config = await sandbox.write(
        'aws/config',
        `[profile tool]\ncredential_process = "${process.execPath}" "${script}"\n`,
      );
      const { run, seen } = await childEnv(sandbox, {
        AWS_PROFILE: 'tool',
        AWS_CONFIG_FILE: config,
      });
      expect(run).toEqual({ code: 0, stdout: '', stderr: '' });
      expect(seen).toMatchObject({
        AWS_ACCESS_KEY_ID: FAKE.plainKey,
        AWS_SESSION_TOKEN: 'fake-process-token-0000',
        AWS_CREDENTIAL_EXPIRATION: expiration.toISOString(),
        AWS_PROFILE: null,
      });
    });
  });

  it.each([
    ['process.exit(0)', 0],
    ['process.exit(7)', 7],
    ['process.exitCode = 3', 3],
    ["process.kill(process.pid, 'SIGKILL')", 128 + 9],
  ])("exits with the child's code: %s → %d", async (code, expected) => {
    await withCliSandbox(async (sandbox) => {
      expect(
        await sandbox.run(['exec', '--', process.execPath, '-e', code], { env: prefixedEnv }),
      ).toEqual({ code: expected, stdout: '', stderr: '' });
    });
  });

  /**
   * Runs a child that exits 42/43/44/45 on SIGTERM/SIGINT/SIGHUP/SIGQUIT, or
   * `unsignalled` after `waitMs`, and delivers `signal` to this process once
   * the child is ready — as Node delivers a signal: `process.emit(signal,
   * signal)` (jest's sandboxed \`process\` cannot receive a real one).
   */
  const deliver = async (signal: NodeJS.Signals, waitMs = 4000) =>
    withCliSandbox(async (sandbox) => {
      const ready = join(sandbox.dir, 'ready');
      const child = [
        `process.on('SIGTERM', () => process.exit(42));`,
        `process.on('SIGINT', () => process.exit(43));`,
        `process.on('SIGHUP', () => process.exit(44));`,
        `process.on('SIGQUIT', () => process.exit(45));`,
        `require('node:fs').writeFileSync(${JSON.stringify(ready)}, '');`,
        `setTimeout(() => process.exit(99), ${waitMs});`,
      ].join('\n');
      const listeners = process.listenerCount(signal);
      const running = sandbox.run(['exec', '--', process.execPath, '-e', child], {
        env: prefixedEnv,
      });
      while (!existsSync(ready)) await new Promise((go) => setTimeout(go, 20));
      expect(process.listenerCount(signal)).toBe(listeners + 1);
      process.emit(signal, signal);
      const { code } = await running;
      // Once the child has ended, a signal is this process's own again.
      expect(process.listenerCount(signal)).toBe(listeners);
      return code;
    });

  it.each([
    ['SIGTERM', 42],
    ['SIGINT', 43],
    ['SIGHUP', 44],
    ['SIGQUIT', 45],
  ] as const)('forwards %s to the child (stdin not a terminal)', async (signal, code) => {
    const tty = process.stdin.isTTY;
    process.stdin.isTTY = false;
    try {
      expect(await deliver(signal)).toBe(code);
    } finally {
      process.stdin.isTTY = tty;
    }
  });

  it.each([
    ['SIGINT', 99],
    ['SIGQUIT', 99],
    ['SIGTERM', 42],
  ] as const)(
    'on a terminal, %s is left to the terminal (it reaches the child itself)',
    async (signal, code) => {
      const tty = process.stdin.isTTY;
      process.stdin.isTTY = true;
      try {
        expect(await deliver(signal, 300)).toBe(code);
      } finally {
        process.stdin.isTTY = tty;
      }
    },
  );

  it('passes arguments on untouched, even ones that look like credchain options, with or without --', async () => {
    await withCliSandbox(async (sandbox) => {
      const out = join(sandbox.dir, 'args.json');
      const script = await sandbox.write(
        'print-args.js',
        `require('node:fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify([process.env.AWS_ACCESS_KEY_ID, ...process.argv.slice(2)]));`,
      );
      const withDashes = await sandbox.run(
        ['exec', '--', process.execPath, script, '--json', '--prefix', 'X', '--', 'explain'],
        { env: prefixedEnv },
      );
      expect(withDashes).toEqual({ code: 0, stdout: '', stderr: '' });
      expect(JSON.parse(await readFile(out, 'utf8'))).toEqual([
        FAKE.prefixedKey,
        '--json',
        '--prefix',
        'X',
        '--',
        'explain',
      ]);
      const without = await sandbox.run(
        ['exec', '--account', '2', process.execPath, script, '--account', '1'],
        { env: pool },
      );
      expect(without).toEqual({ code: 0, stdout: '', stderr: '' });
      expect(JSON.parse(await readFile(out, 'utf8'))).toEqual([pool.AWS_KEY_2, '--account', '1']);
    });
  });

  it.each([
    ['not found', 'credchain-no-such-command', 127, 'command not found (ENOENT)'],
    [
      'not executable',
      'sandbox:not-executable.sh',
      126,
      'permission denied (EACCES: not executable, or not searchable)',
    ],
    ['below a file', '/etc/passwd/x', 126, 'it could not be started (ENOTDIR)'],
  ])(
    'a command that cannot be started (%s: %s): exit %i, the cause by its code, never its arguments',
    async (_case, name, code, why) => {
      await withCliSandbox(async (sandbox) => {
        const command = name.startsWith('sandbox:')
          ? await sandbox.write(name.slice('sandbox:'.length), '#!/bin/sh\necho never\n', 0o600)
          : name;
        expect(
          await sandbox.run(['exec', command, '--token', 'FAKE-ARGUMENT-never-print'], {
            env: prefixedEnv,
          }),
        ).toEqual({ code, stdout: '', stderr: `credchain: cannot run ${command}: ${why}\n` });
      });
    },
  );

  it('arguments too long for the system: exit 126, E2BIG', async () => {
    await withCliSandbox(async (sandbox) => {
      const run = await sandbox.run(['exec', 'true', 'x'.repeat(256 * 1024)], { env: prefixedEnv });
      expect(run).toEqual({
        code: 126,
        stdout: '',
        stderr: 'credchain: cannot run true: its arguments are too long (E2BIG)\n',
      });
    });
  });

  it('--account N: account N of the pool, also as the prefixed key pair; --debug says which', async () => {
    await withCliSandbox(async (sandbox) => {
      const { run, seen } = await childEnv(
        sandbox,
        { ...pool, ...prefixedEnv, REMOTION_AWS_PROFILE: 'would-win-otherwise' },
        ['--account', '2', '--debug'],
      );
      expect(run.code).toBe(0);
      expect(run.stderr).toBe(
        [
          'credchain: debug: no .env file read',
          'credchain: debug: using account 2 of 2',
          `credchain: debug: running ${process.execPath} with credentials from prefixed-env (${redacted(pool.AWS_KEY_2)})`,
          '',
        ].join('\n'),
      );
      expect(seen).toMatchObject({
        AWS_ACCESS_KEY_ID: pool.AWS_KEY_2,
        AWS_SECRET_ACCESS_KEY: pool.AWS_SECRET_2,
        AWS_SESSION_TOKEN: null,
        REMOTION_AWS_ACCESS_KEY_ID: pool.AWS_KEY_2,
        REMOTION_AWS_SECRET_ACCESS_KEY: pool.AWS_SECRET_2,
        REMOTION_AWS_PROFILE: null,
      });
    });
  });

  it('--prefix: the account is applied under that prefix', async () => {
    await withCliSandbox(async (sandbox) => {
      const out = join(sandbox.dir, 'acme.json');
      const run = await sandbox.run(
        [
          '--prefix',
          'ACME',
          'exec',
          '--account',
          '1',
          '--',
          process.execPath,
          '-e',
          `require('node:fs').writeFileSync(process.argv[1], JSON.stringify([process.env.ACME_AWS_ACCESS_KEY_ID, process.env.REMOTION_AWS_ACCESS_KEY_ID ?? null]))`,
          out,
        ],
        { env: pool },
      );
      expect(run).toEqual({ code: 0, stdout: '', stderr: '' });
      expect(JSON.parse(await readFile(out, 'utf8'))).toEqual([pool.AWS_KEY_1, null]);
    });
  });

  it.each([['round-robin'], ['least-recently-used']])(
    '--rotate %s continues across runs; the history file holds no key and no secret',
    async (strategy) => {
      await withCliSandbox(async (sandbox) => {
        const picked: Array<string | null | undefined> = [];
        for (let i = 0; i < 3; i++) {
          const { run, seen } = await childEnv(sandbox, pool, ['--rotate', strategy]);
          expect(run).toEqual({ code: 0, stdout: '', stderr: '' });
          picked.push(seen?.AWS_ACCESS_KEY_ID);
        }
        expect(picked).toEqual([pool.AWS_KEY_1, pool.AWS_KEY_2, pool.AWS_KEY_1]);
        const history = await readFile(
          join(sandbox.home, '.local', 'state', 'credchain', 'rotation.json'),
          'utf8',
        );
        for (const value of Object.values(pool)) expect(history).not.toContain(value);
        const mode = (
          await stat(join(sandbox.home, '.local', 'state', 'credchain', 'rotation.json'))
        ).mode;
        expect(mode & 0o777).toBe(0o600);
      });
    },
  );

  it('--rotate keeps its history under XDG_STATE_HOME, per strategy and per pool', async () => {
    await withCliSandbox(async (sandbox) => {
      const state = join(sandbox.dir, 'state');
      const env = { ...pool, XDG_STATE_HOME: state };
      const keyOf = async (extra: Record<string, string>, strategy: string) =>
        (await childEnv(sandbox, { ...env, ...extra }, ['--rotate', strategy])).seen
          ?.AWS_ACCESS_KEY_ID;
      expect(await keyOf({}, 'round-robin')).toBe(pool.AWS_KEY_1);
      expect(await keyOf({}, 'least-recently-used')).toBe(pool.AWS_KEY_1);
      // A pool of as many accounts with other keys starts afresh, and leaves
      // this pool where it was.
      const other = { AWS_KEY_1: 'AKIAFAKEROTATION0011', AWS_KEY_2: 'AKIAFAKEROTATION0012' };
      expect(await keyOf(other, 'round-robin')).toBe(other.AWS_KEY_1);
      expect(await keyOf({}, 'round-robin')).toBe(pool.AWS_KEY_2);
      // So does another pool with a third account.
      const third = { AWS_KEY_3: 'AKIAFAKEROTATION0003', AWS_SECRET_3: 'fake-secret-account-3' };
      expect(await keyOf(third, 'round-robin')).toBe(pool.AWS_KEY_1);
      const history = JSON.parse(await readFile(join(state, 'credchain', 'rotation.json'), 'utf8'));
      expect(Object.values(history)).toEqual([
        { 'round-robin': 2, 'least-recently-used': 1 },
        { 'round-robin': 1 },
        { 'round-robin': 1 },
      ]);
      expect(existsSync(join(sandbox.home, '.local'))).toBe(false);
    });
  });

  it('--rotate with an unreadable or foreign history starts at account 1', async () => {
    await withCliSandbox(async (sandbox) => {
      const file = join(sandbox.home, '.local', 'state', 'credchain', 'rotation.json');
      for (const content of ['not json', 'null', '42']) {
        await sandbox.write('home/.local/state/credchain/rotation.json', content);
        const { seen } = await childEnv(sandbox, pool, ['--rotate', 'round-robin']);
        expect(seen?.AWS_ACCESS_KEY_ID).toBe(pool.AWS_KEY_1);
      }
      expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
        [Object.keys(JSON.parse(await readFile(file, 'utf8')))[0] as string]: { 'round-robin': 1 },
      });
    });
  });

  it('--rotate random picks an account of the pool', async () => {
    await withCliSandbox(async (sandbox) => {
      const { run, seen } = await childEnv(sandbox, pool, ['--rotate', 'random']);
      expect(run.code).toBe(0);
      expect([pool.AWS_KEY_1, pool.AWS_KEY_2]).toContain(seen?.AWS_ACCESS_KEY_ID);
      expect(existsSync(join(sandbox.home, '.local'))).toBe(false);
    });
  });

  it('a broken pool: exit 1 naming the variable; the command never runs', async () => {
    await withCliSandbox(async (sandbox) => {
      const { run, seen } = await childEnv(
        sandbox,
        { ...pool, AWS_SECRET_3: 'fake-secret-account-3' },
        ['--account', '1'],
      );
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('AWS_SECRET_3 is set but AWS_KEY_3 is not');
      expect(seen).toBeUndefined();
    });
  });

  it('no credentials, or a failed source: exit 1 with the chain’s message; the command never runs', async () => {
    await withCliSandbox(async (sandbox) => {
      const none = await childEnv(sandbox, {});
      expect(none.run.code).toBe(1);
      expect(none.run.stderr).toMatch(
        /^credchain: No credentials: every link of the chain was tried\./,
      );
      expect(none.seen).toBeUndefined();
      const failed = await childEnv(sandbox, { REMOTION_AWS_ACCESS_KEY_ID: FAKE.prefixedKey });
      expect(failed.run).toEqual({
        code: 1,
        stdout: '',
        stderr:
          'credchain: credential provider "prefixed-env" failed: REMOTION_AWS_ACCESS_KEY_ID is set but REMOTION_AWS_SECRET_ACCESS_KEY is not\n',
      });
      expect(failed.seen).toBeUndefined();
    });
  });
});
