import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAKE, redacted, withCliSandbox } from '../../../test/support/cli-in-process';
import { main } from './main';

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
const { version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
  version: string;
};

describe(main.name, () => {
  it('ignores one leading -- (kept from node-based launchers)', async () => {
    await withCliSandbox(async (sandbox) => {
      const run = await sandbox.run(['--', 'check'], { env: prefixedEnv });
      expect(run).toEqual({
        code: 0,
        stdout: `credentials found via prefixed-env (${redacted(FAKE.prefixedKey)})\n`,
        stderr: '',
      });
      const version = await sandbox.run(['--', '-V']);
      expect(version).toMatchObject({ code: 0, stdout: expect.stringMatching(/^credchain /) });
    });
  });

  describe('usage errors: exit 2, one line on stderr, nothing on stdout', () => {
    it.each<[string[], string]>([
      [
        [],
        'credchain: missing command: explain, check, accounts, exec or cache (see credchain --help)',
      ],
      [['cache'], 'credchain: missing command: cache clear (see credchain --help)'],
      [['--json', 'cache'], 'credchain: missing command: cache clear (see credchain --help)'],
      [
        ['explian'],
        "credchain: unknown command 'explian' (Did you mean explain?) (see credchain --help)",
      ],
      [
        ['explain', '--jsn'],
        "credchain: unknown option '--jsn' (Did you mean --json?) (see credchain --help)",
      ],
      [
        ['explain', 'extra'],
        "credchain: too many arguments for 'explain'. Expected 0 arguments but got 1. (see credchain --help)",
      ],
      [
        ['--prefix'],
        "credchain: option '--prefix <prefix>' argument missing (see credchain --help)",
      ],
      [
        ['--prefix', 'not-valid', 'check'],
        expect.stringMatching(
          /^credchain: --prefix: invalid variable prefix "not-valid".*\n$/,
        ) as unknown as string,
      ],
      [
        ['exec'],
        'credchain: exec needs a command, e.g. credchain exec aws s3 ls (or credchain exec -- aws s3 ls)',
      ],
      [
        ['exec', '--account', '0', '--', 'true'],
        "credchain: option '--account <n>' argument '0' is invalid. expected an account number: 1, 2, … (see credchain --help)",
      ],
      [
        ['exec', '--account', '01', '--', 'true'],
        "credchain: option '--account <n>' argument '01' is invalid. expected an account number: 1, 2, … (see credchain --help)",
      ],
      [
        ['exec', '--account', '3', '--', 'true'],
        'credchain: --account 3: the rotation pool has accounts 1 to 2 (see credchain accounts)',
      ],
      [
        ['exec', '--account', '12', '--', 'true'],
        'credchain: --account 12: the rotation pool has accounts 1 to 2 (see credchain accounts)',
      ],
      [
        ['exec', '--account', '12x', '--', 'true'],
        "credchain: option '--account <n>' argument '12x' is invalid. expected an account number: 1, 2, … (see credchain --help)",
      ],
      [
        ['exec', '--account', '1', '-la', 'ls'],
        "credchain: unknown option '-la' (exec's own options go before the command; a command that starts with - goes after --: credchain exec -- CMD ARGS…)",
      ],
      [
        ['exec', '--rotate', 'sometimes', '--', 'true'],
        "credchain: option '--rotate <strategy>' argument 'sometimes' is invalid. Allowed choices are random, round-robin, least-recently-used. (see credchain --help)",
      ],
      [
        ['exec', '--jsn', '--', 'true'],
        "credchain: unknown option '--jsn' (Did you mean --json?) (see credchain --help)",
      ],
      [
        ['accounts', '--regions', 'us-east-1, ,eu-west-1'],
        "credchain: option '--regions <list>' argument 'us-east-1, ,eu-west-1' is invalid. expected regions separated by commas: us-east-1,eu-central-1 (see credchain --help)",
      ],
      [
        ['accounts', '--discover', '--margin', '01'],
        "credchain: option '--margin <n>' argument '01' is invalid. expected a number of units: 0, 1, … (see credchain --help)",
      ],
      [
        ['accounts', '--discover', '--margin', '1x'],
        "credchain: option '--margin <n>' argument '1x' is invalid. expected a number of units: 0, 1, … (see credchain --help)",
      ],
      [
        ['accounts', '--key-pattern', 'NO_NUMBER'],
        expect.stringMatching(
          /^credchain: .*account variable pattern "NO_NUMBER" must contain \{n\}.*\n$/,
        ) as unknown as string,
      ],
    ])('credchain %j', async (args, message) => {
      await withCliSandbox(async (sandbox) => {
        const run = await sandbox.run(args, { env: pool });
        expect(run).toEqual({
          code: 2,
          stdout: '',
          stderr: typeof message === 'string' ? `${message}\n` : message,
        });
      });
    });
  });

  describe('help and version', () => {
    it.each([['--help'], ['-h'], ['help']])('%s: the usage on stdout, exit 0', async (flag) => {
      await withCliSandbox(async (sandbox) => {
        const run = await sandbox.run([flag]);
        expect(run).toEqual({ code: 0, stdout: expect.any(String), stderr: '' });
        expect(run.stdout).toMatchSnapshot();
      });
    });

    it.each([['explain'], ['check'], ['accounts'], ['exec'], ['cache'], ['cache', 'clear']])(
      "credchain %s --help: the command's own options, then the global ones",
      async (...names) => {
        await withCliSandbox(async (sandbox) => {
          const run = await sandbox.run([...names, '--help']);
          expect(run).toEqual({ code: 0, stdout: expect.any(String), stderr: '' });
          expect(run.stdout).toMatchSnapshot();
        });
      },
    );

    it('--version / -V: the package version and the runtime running it', async () => {
      await withCliSandbox(async (sandbox) => {
        for (const flag of ['--version', '-V']) {
          expect(await sandbox.run([flag])).toEqual({
            code: 0,
            stdout: `credchain ${version} (node ${process.version})\n`,
            stderr: '',
          });
        }
      });
    });
  });

  describe('errors at run time', () => {
    it('a CliError: its message and exit code, no hint and no stack without --debug', async () => {
      await withCliSandbox(async (sandbox) => {
        const run = await sandbox.run(['exec', '--', 'credchain-no-such-command'], {
          env: prefixedEnv,
        });
        expect(run).toEqual({
          code: 127,
          stdout: '',
          stderr: 'credchain: cannot run credchain-no-such-command: command not found (ENOENT)\n',
        });
      });
    });

    it('--debug (before or after the command): the stack and each cause', async () => {
      await withCliSandbox(async (sandbox) => {
        for (const args of [
          ['--debug', 'exec', '--', 'credchain-no-such-command'],
          ['exec', '--debug', '--', 'credchain-no-such-command'],
        ]) {
          const run = await sandbox.run(args, { env: prefixedEnv });
          expect(run.code).toBe(127);
          const lines = run.stderr.split('\n');
          const first = lines.indexOf(
            'credchain: cannot run credchain-no-such-command: command not found (ENOENT)',
          );
          expect(first).toBeGreaterThan(-1);
          expect(lines[first + 1]).toBe(
            'CliError: cannot run credchain-no-such-command: command not found (ENOENT)',
          );
          expect(lines[first + 2]).toMatch(/^\s+at /);
          expect(run.stderr).toMatch(/^caused by: Error: spawn credchain-no-such-command ENOENT$/m);
          expect(run.stderr.endsWith('\n')).toBe(true);
          expect(run.stderr).not.toContain('run with --debug');
        }
      });
    });

    it('--debug after exec’s command belongs to the command, not to credchain', async () => {
      await withCliSandbox(async (sandbox) => {
        const run = await sandbox.run(['exec', 'credchain-no-such-command', '--debug'], {
          env: prefixedEnv,
        });
        expect(run).toEqual({
          code: 127,
          stdout: '',
          stderr: 'credchain: cannot run credchain-no-such-command: command not found (ENOENT)\n',
        });
      });
    });

    it('an unexpected error: one line and a hint to run with --debug, exit 1', async () => {
      await withCliSandbox(async (sandbox) => {
        // stdout fails as it is written to: not an error the CLI expects.
        let stderr = '';
        const failing = (debug: boolean) =>
          main([...(debug ? ['--debug'] : []), 'check'], {
            stdout: {
              write: () => {
                throw new Error('stdout is gone', { cause: 'the pipe closed' });
              },
            },
            stderr: {
              write: (text) => {
                stderr += text;
              },
            },
            stdoutIsTTY: false,
            env: sandbox.env(prefixedEnv),
            cwd: sandbox.work,
            sdkEnv: {},
          });
        expect(await failing(false)).toBe(1);
        expect(stderr).toBe('credchain: stdout is gone (run with --debug for details)\n');
        stderr = '';
        expect(await failing(true)).toBe(1);
        const lines = stderr.split('\n');
        expect(lines.slice(0, 3)).toEqual([
          'credchain: debug: no .env file read',
          'credchain: stdout is gone',
          'Error: stdout is gone',
        ]);
        expect(lines[3]).toMatch(/^\s+at /);
        expect(lines.slice(-2)).toEqual(['caused by: the pipe closed', '']);
      });
    });

    it('--debug shows at most five errors of a chain of causes', async () => {
      await withCliSandbox(async (sandbox) => {
        let stderr = '';
        const deep = Array.from({ length: 7 }, (_, i) => i).reduceRight<unknown>(
          (cause, i) =>
            Object.assign(new Error(`level ${i}`, { cause }), { stack: `Error: level ${i}` }),
          undefined,
        );
        const code = await main(['--debug', 'check'], {
          stdout: {
            write: () => {
              throw deep;
            },
          },
          stderr: {
            write: (text) => {
              stderr += text;
            },
          },
          stdoutIsTTY: false,
          env: sandbox.env(prefixedEnv),
          cwd: sandbox.work,
          sdkEnv: {},
        });
        expect(code).toBe(1);
        expect(stderr).toBe(
          [
            'credchain: debug: no .env file read',
            'credchain: level 0',
            'Error: level 0',
            'caused by: Error: level 1',
            'caused by: Error: level 2',
            'caused by: Error: level 3',
            'caused by: Error: level 4',
            '',
          ].join('\n'),
        );
      });
    });

    it('an error without a stack: its message', async () => {
      await withCliSandbox(async (sandbox) => {
        let stderr = '';
        const bare = new Error('no stack here');
        bare.stack = undefined;
        await main(['--debug', 'check'], {
          stdout: {
            write: () => {
              throw bare;
            },
          },
          stderr: {
            write: (text) => {
              stderr += text;
            },
          },
          stdoutIsTTY: false,
          env: sandbox.env(prefixedEnv),
          cwd: sandbox.work,
          sdkEnv: {},
        });
        expect(stderr).toBe(
          'credchain: debug: no .env file read\ncredchain: no stack here\nno stack here\n',
        );
      });
    });

    it('what it prints goes through the scrubber: a secret-looking variable’s value never shows', async () => {
      await withCliSandbox(async (sandbox) => {
        const secret = 'fake-secret-command-name-0001';
        const run = await sandbox.run(['exec', '--debug', '--', secret], {
          env: { ...prefixedEnv, MY_API_TOKEN: secret },
        });
        expect(run.code).toBe(127);
        expect(run.stderr).toContain(
          'credchain: cannot run [redacted]: command not found (ENOENT)',
        );
        expect(run.stderr).not.toContain(secret);
      });
    });
  });
});
