/**
 * `credchain exec -- CMD`: the child's environment, its exit code, signals,
 * and accounts from the rotation pool. The child is `node -e`, printing the
 * variables it sees as JSON.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KEY, withSandbox } from './cli-harness';

const NAMES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'REMOTION_AWS_ACCESS_KEY_ID',
  'REMOTION_AWS_SECRET_ACCESS_KEY',
  'REMOTION_AWS_PROFILE',
  'FROM_PARENT',
  'FROM_DOTENV',
];
const PRINT_ENV = `process.stdout.write(JSON.stringify(Object.fromEntries(${JSON.stringify(NAMES)}.map((n) => [n, process.env[n] ?? null]))))`;
const printEnv = ['exec', '--', process.execPath, '-e', PRINT_ENV];

const prefixedEnv = {
  REMOTION_AWS_ACCESS_KEY_ID: KEY.prefixedEnv,
  REMOTION_AWS_SECRET_ACCESS_KEY: 'fake-secret-prefixed-env',
};
const pool = {
  AWS_KEY_1: 'AKIAFAKEROTATION0001',
  AWS_SECRET_1: 'fake-secret-account-1',
  AWS_KEY_2: 'AKIAFAKEROTATION0002',
  AWS_SECRET_2: 'fake-secret-account-2',
};

describe('credchain exec', () => {
  it('gives the child the resolved keys and session token, no AWS_PROFILE, and the rest of the environment', async () => {
    await withSandbox(async (sandbox) => {
      await sandbox.write(
        'work/.env',
        'FROM_DOTENV=dotenv-value\nFROM_PARENT=loses-to-the-environment\n',
      );
      const run = await sandbox.run(printEnv, {
        env: {
          ...prefixedEnv,
          REMOTION_AWS_SESSION_TOKEN: 'fake-session-token-prefixed',
          AWS_PROFILE: 'dev',
          AWS_DEFAULT_PROFILE: 'dev',
          AWS_ACCESS_KEY_ID: 'AKIAFAKESTALEPARENT9',
          FROM_PARENT: 'parent-value',
        },
      });
      expect(run.code).toBe(0);
      // The stale plain variables are another configured source: said on stderr.
      expect(run.stderr).toBe(
        [
          'credchain: warning: more than one credential source is configured: prefixed-env (REMOTION_AWS_ACCESS_KEY_ID, REMOTION_AWS_SECRET_ACCESS_KEY) wins; profile (AWS_PROFILE) is ignored',
          'credchain: warning: more than one credential source is configured: prefixed-env (REMOTION_AWS_ACCESS_KEY_ID, REMOTION_AWS_SECRET_ACCESS_KEY) wins; env (AWS_ACCESS_KEY_ID) is ignored',
          '',
        ].join('\n'),
      );
      expect(JSON.parse(run.stdout)).toEqual({
        AWS_ACCESS_KEY_ID: KEY.prefixedEnv,
        AWS_SECRET_ACCESS_KEY: 'fake-secret-prefixed-env',
        AWS_SESSION_TOKEN: 'fake-session-token-prefixed',
        AWS_PROFILE: null,
        AWS_DEFAULT_PROFILE: null,
        REMOTION_AWS_ACCESS_KEY_ID: KEY.prefixedEnv,
        REMOTION_AWS_SECRET_ACCESS_KEY: 'fake-secret-prefixed-env',
        REMOTION_AWS_PROFILE: null,
        FROM_PARENT: 'parent-value',
        FROM_DOTENV: 'dotenv-value',
      });
    });
  });

  it('removes a stale AWS_SESSION_TOKEN when the resolved credentials have none', async () => {
    await withSandbox(async (sandbox) => {
      const run = await sandbox.run(printEnv, {
        env: { ...prefixedEnv, AWS_SESSION_TOKEN: 'fake-stale-session-token' },
      });
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({
        AWS_ACCESS_KEY_ID: KEY.prefixedEnv,
        AWS_SESSION_TOKEN: null,
      });
    });
  });

  it("turns a profile into keys: the child gets the profile's keys and no AWS_PROFILE", async () => {
    await withSandbox(async (sandbox) => {
      const credentials = await sandbox.write(
        'profiles/credentials',
        `
        [dev]
        aws_access_key_id = ${KEY.profile}
        aws_secret_access_key = fake-secret-plain-profile
        aws_session_token = fake-session-token-profile
        `,
      );
      const run = await sandbox.run(printEnv, {
        env: { AWS_PROFILE: 'dev', AWS_SHARED_CREDENTIALS_FILE: credentials },
      });
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(JSON.parse(run.stdout)).toMatchObject({
        AWS_ACCESS_KEY_ID: KEY.profile,
        AWS_SECRET_ACCESS_KEY: 'fake-secret-plain-profile',
        AWS_SESSION_TOKEN: 'fake-session-token-profile',
        AWS_PROFILE: null,
      });
    });
  });

  it.concurrent.each([
    ['process.exit(0)', 0],
    ['process.exit(7)', 7],
    ['process.exitCode = 3', 3],
    ["process.kill(process.pid, 'SIGTERM')", 128 + 15],
    ["process.kill(process.pid, 'SIGKILL')", 128 + 9],
  ])("exits with the child's code: %s → %d", async (code, expected) => {
    await withSandbox(async (sandbox) => {
      const run = await sandbox.run(['exec', '--', process.execPath, '-e', code], {
        env: prefixedEnv,
      });
      expect(run.code).toBe(expected);
      expect(run.stderr).toBe('');
    });
  });

  it.concurrent.each([
    ['SIGTERM', 42],
    ['SIGINT', 43],
  ] as const)('forwards %s to the child and exits with its code', async (signal, code) => {
    await withSandbox(async (sandbox) => {
      const child = [
        `process.on('SIGTERM', () => { console.log('child got SIGTERM'); process.exit(42); });`,
        `process.on('SIGINT', () => { console.log('child got SIGINT'); process.exit(43); });`,
        `setInterval(() => {}, 1000);`,
        `console.log('ready');`,
      ].join('\n');
      const run = await sandbox.run(['exec', '--', process.execPath, '-e', child], {
        env: prefixedEnv,
        onSpawn: (cli) => {
          cli.stdout?.on('data', (chunk: Buffer) => {
            if (chunk.toString().includes('ready')) cli.kill(signal);
          });
        },
      });
      expect(run.stdout).toBe(`ready\nchild got ${signal}\n`);
      expect(run.code).toBe(code);
    });
  });

  it('passes arguments after -- untouched, even ones that look like credchain options', async () => {
    await withSandbox(async (sandbox) => {
      const script = await sandbox.write(
        'print-args.js',
        'console.log(JSON.stringify(process.argv.slice(2)));',
      );
      const run = await sandbox.run(
        [
          'exec',
          '--',
          process.execPath,
          script,
          '--json',
          '--prefix',
          'X',
          '--account',
          '9',
          '--',
          'explain',
        ],
        { env: prefixedEnv },
      );
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual([
        '--json',
        '--prefix',
        'X',
        '--account',
        '9',
        '--',
        'explain',
      ]);
    });
  });

  // `deno x credchain exec -- sh -c 'x'` hands us `exec sh -c 'x'` (it drops
  // the first --): that was exit 2, "unknown option '-c'".
  it('takes the command without --: everything from the command on is passed on, exec’s options before it are its own', async () => {
    await withSandbox(async (sandbox) => {
      const script = await sandbox.write(
        'print-args.js',
        'console.log(JSON.stringify([process.env.AWS_ACCESS_KEY_ID, ...process.argv.slice(2)]));',
      );
      const [plain, withOptions, shell] = await Promise.all([
        sandbox.run(['exec', process.execPath, script, '-c', '--json', '--debug', '--', 'x'], {
          env: prefixedEnv,
        }),
        sandbox.run(
          [
            'exec',
            '--account',
            '2',
            '--prefix',
            'REMOTION',
            process.execPath,
            script,
            '--account',
            '1',
          ],
          { env: pool },
        ),
        sandbox.run(['exec', 'sh', '-c', 'echo "$AWS_ACCESS_KEY_ID $0 $1"', 'zero', 'one'], {
          env: prefixedEnv,
        }),
      ]);
      expect(plain).toMatchObject({ code: 0, stderr: '' });
      expect(JSON.parse(plain.stdout)).toEqual([
        KEY.prefixedEnv,
        '-c',
        '--json',
        '--debug',
        '--',
        'x',
      ]);
      expect(withOptions).toMatchObject({ code: 0, stderr: '' });
      expect(JSON.parse(withOptions.stdout)).toEqual([pool.AWS_KEY_2, '--account', '1']);
      expect(shell).toMatchObject({ code: 0, stdout: `${KEY.prefixedEnv} zero one\n`, stderr: '' });
    });
  });

  it.concurrent.each([
    ['not found', 'credchain-no-such-command', 127, 'command not found (ENOENT)'],
    [
      'not executable',
      'not-executable.sh',
      126,
      'permission denied (EACCES: not executable, or not searchable)',
    ],
  ])(
    'a command that cannot be started (%s: %s): exit %i, the cause by its code, never its arguments',
    async (_case, name, code, why) => {
      await withSandbox(async (sandbox) => {
        // No execute bit for anyone: EACCES even for root.
        const file = await sandbox.write(name, '#!/bin/sh\necho never\n');
        const command = name.endsWith('.sh') ? file : name;
        const run = await sandbox.run(['exec', command, '--token', 'FAKE-ARGUMENT-never-print'], {
          env: prefixedEnv,
        });
        expect(run).toEqual({
          code,
          signal: null,
          stdout: '',
          stderr: `credchain: cannot run ${command}: ${why}\n`,
        });
      });
    },
  );

  it('--account N runs with account N of the pool, also as the prefixed key pair', async () => {
    await withSandbox(async (sandbox) => {
      const run = await sandbox.run(['exec', '--account', '2', ...printEnv.slice(1)], {
        env: {
          ...pool,
          ...prefixedEnv,
          REMOTION_AWS_PROFILE: 'would-win-otherwise',
          AWS_PROFILE: 'dev',
        },
      });
      // Inside the account's scope the pool's key pair is the prefixed source;
      // AWS_PROFILE is another one, and ignored: said on stderr.
      expect(run).toMatchObject({
        code: 0,
        stderr:
          'credchain: warning: more than one credential source is configured: prefixed-env (REMOTION_AWS_ACCESS_KEY_ID, REMOTION_AWS_SECRET_ACCESS_KEY) wins; profile (AWS_PROFILE) is ignored\n',
      });
      expect(JSON.parse(run.stdout)).toMatchObject({
        AWS_ACCESS_KEY_ID: 'AKIAFAKEROTATION0002',
        AWS_SECRET_ACCESS_KEY: 'fake-secret-account-2',
        AWS_SESSION_TOKEN: null,
        AWS_PROFILE: null,
        REMOTION_AWS_ACCESS_KEY_ID: 'AKIAFAKEROTATION0002',
        REMOTION_AWS_SECRET_ACCESS_KEY: 'fake-secret-account-2',
        REMOTION_AWS_PROFILE: null,
      });
    });
  });

  it.concurrent.each([['random'], ['round-robin'], ['least-recently-used']])(
    '--rotate %s picks an account of the pool',
    async (strategy) => {
      await withSandbox(async (sandbox) => {
        const run = await sandbox.run(['exec', '--rotate', strategy, ...printEnv.slice(1)], {
          env: pool,
        });
        expect(run).toMatchObject({ code: 0, stderr: '' });
        expect([pool.AWS_KEY_1, pool.AWS_KEY_2]).toContain(
          JSON.parse(run.stdout).AWS_ACCESS_KEY_ID,
        );
      });
    },
  );

  it.concurrent.each([['round-robin'], ['least-recently-used']])(
    '--rotate %s continues across runs (the history file holds no key and no secret)',
    async (strategy) => {
      await withSandbox(async (sandbox) => {
        const picked: string[] = [];
        for (let i = 0; i < 3; i++) {
          const run = await sandbox.run(['exec', '--rotate', strategy, ...printEnv.slice(1)], {
            env: pool,
          });
          expect(run).toMatchObject({ code: 0, stderr: '' });
          picked.push(JSON.parse(run.stdout).AWS_ACCESS_KEY_ID);
        }
        expect(picked).toEqual([pool.AWS_KEY_1, pool.AWS_KEY_2, pool.AWS_KEY_1]);
        const history = await readFile(
          join(sandbox.home, '.local', 'state', 'credchain', 'rotation.json'),
          'utf8',
        );
        for (const value of Object.values(pool)) expect(history).not.toContain(value);
      });
    },
  );

  it('a broken pool: exit 1 naming the variable, the command never runs', async () => {
    await withSandbox(async (sandbox) => {
      const run = await sandbox.run(['exec', '--account', '1', ...printEnv.slice(1)], {
        env: { ...pool, AWS_SECRET_3: 'fake-secret-account-3' },
      });
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('AWS_SECRET_3 is set but AWS_KEY_3 is not');
    });
  });

  it('no credentials: exit 1 with the credentials check message, the command never runs', async () => {
    await withSandbox(async (sandbox) => {
      const run = await sandbox.run(printEnv);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^credchain: No credentials: every link of the chain was tried\./);
    });
  });

  it('a failed source: exit 1 naming the variable, the command never runs', async () => {
    await withSandbox(async (sandbox) => {
      const run = await sandbox.run(printEnv, {
        env: { REMOTION_AWS_ACCESS_KEY_ID: KEY.prefixedEnv },
      });
      expect(run).toEqual({
        code: 1,
        signal: null,
        stdout: '',
        stderr:
          'credchain: credential provider "prefixed-env" failed: REMOTION_AWS_ACCESS_KEY_ID is set but REMOTION_AWS_SECRET_ACCESS_KEY is not\n',
      });
    });
  });
});
