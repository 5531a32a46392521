/**
 * Each command's output (JSON shape and human text) and exit codes:
 * 0 resolved / ok, 1 no credentials or a failed source, 2 usage error.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, json, KEY, REPO, redacted, withSandbox } from './cli-harness';

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
const ANSI = '\u001b[';

describe('credchain explain', () => {
  it('--json: exactly resolvedBy, accessKeyId, attempts {provider, outcome, reason, durationMs}, warnings and region', async () => {
    await withSandbox(async (sandbox) => {
      const run = await sandbox.run(['explain', '--json'], { env: prefixedEnv });
      expect(run).toMatchObject({ code: 0, stderr: '' });
      const report = json(run);
      expect(Object.keys(report)).toEqual([
        'resolvedBy',
        'accessKeyId',
        'attempts',
        'warnings',
        'region',
      ]);
      expect(report.warnings).toEqual([]);
      expect(report.resolvedBy).toBe('prefixed-env');
      expect(report.accessKeyId).toBe(redacted(KEY.prefixedEnv));
      for (const attempt of report.attempts as Record<string, unknown>[]) {
        expect(Object.keys(attempt)).toEqual(['provider', 'outcome', 'reason', 'durationMs']);
        expect(typeof attempt.durationMs).toBe('number');
        expect(attempt.durationMs).toBeGreaterThanOrEqual(0);
        expect(['resolved', 'unavailable', 'failed', 'not-reached']).toContain(attempt.outcome);
      }
      expect(report.attempts).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ provider: 'prefixed-env', outcome: 'resolved', reason: null }),
          expect.objectContaining({
            provider: 'prefixed-profile',
            outcome: 'unavailable',
            reason: 'REMOTION_AWS_PROFILE is not set',
          }),
        ]),
      );
    });
  });

  it('--json when not resolved: one document with "error", exit 1', async () => {
    await withSandbox(async (sandbox) => {
      const run = await sandbox.run(['--json', 'explain']);
      expect(run).toMatchObject({ code: 1, stderr: '' });
      const report = json(run);
      expect(Object.keys(report)).toEqual([
        'resolvedBy',
        'accessKeyId',
        'attempts',
        'warnings',
        'region',
        'error',
      ]);
      expect(report).toMatchObject({ resolvedBy: null, accessKeyId: null });
      expect(report.error).toMatch(/^No credentials: every link of the chain was tried\./);
    });
  });

  it('human: a table of links, the winner and the redacted key id, no colour off a TTY', async () => {
    await withSandbox(async (sandbox) => {
      const run = await sandbox.run(['explain'], {
        env: {
          ...prefixedEnv,
          REMOTION_AWS_SESSION_TOKEN: 'fake-session-token-1234',
          NO_COLOR: undefined,
        },
      });
      expect(run).toMatchObject({ code: 0, stderr: '' });
      const lines = run.stdout.split('\n');
      expect(lines[0]).toBe('Credential chain for prefix REMOTION (no .env file)');
      expect(lines[2]).toMatch(/^ {2}LINK +OUTCOME +TIME +REASON$/);
      expect(run.stdout).toMatch(
        /^ {2}prefixed-profile +unavailable +\d+ ms +REMOTION_AWS_PROFILE is not set$/m,
      );
      expect(run.stdout).toMatch(/^ {2}prefixed-env +resolved +\d+ ms$/m);
      expect(run.stdout).toMatch(/^ {2}instance-metadata +not reached +-$/m);
      expect(run.stdout).toContain(
        `Resolved by prefixed-env: ${redacted(KEY.prefixedEnv)} with a session token`,
      );
      expect(run.stdout).not.toContain(ANSI);
    });
  });

  it('human when a source fails: the link and its reason, exit 1', async () => {
    await withSandbox(async (sandbox) => {
      const run = await sandbox.run(['explain'], { env: { AWS_ACCESS_KEY_ID: KEY.env } });
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(
        /^ {2}env +failed +\d+ ms +AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not$/m,
      );
      expect(run.stdout).toContain(
        'Not resolved: env failed, and a failed source stops the chain.\n  AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not\n',
      );
    });
  });

  it('colour on a terminal, none with NO_COLOR (util-linux script)', async () => {
    await withSandbox(async (sandbox) => {
      const inTerminal = (noColor: string | undefined) =>
        execFileSync('script', ['-qec', `"${process.execPath}" -- "${BIN}" explain`, '/dev/null'], {
          cwd: sandbox.work,
          env: sandbox.env({ ...prefixedEnv, NO_COLOR: noColor }),
          encoding: 'utf8',
        });
      expect(inTerminal(undefined)).toContain(ANSI);
      expect(inTerminal('1')).not.toContain(ANSI);
    });
  });
});

describe('credchain check', () => {
  it('exit 0 with one line: the source and the redacted key id', async () => {
    await withSandbox(async (sandbox) => {
      const run = await sandbox.run(['check'], { env: prefixedEnv });
      expect(run).toEqual({
        code: 0,
        signal: null,
        stdout: `credentials found via prefixed-env (${redacted(KEY.prefixedEnv)})\n`,
        stderr: '',
      });
    });
  });

  it('exit 1 with the credentials check message on stderr', async () => {
    await withSandbox(async (sandbox) => {
      const run = await sandbox.run(['check']);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(
        /^credchain: No credentials: every link of the chain was tried\.\n/,
      );
      expect(run.stderr).toContain('The credentials check found no AWS credentials.');
      expect(run.stderr).toContain('REMOTION_AWS_ACCESS_KEY_ID and REMOTION_AWS_SECRET_ACCESS_KEY');
      expect(run.stderr).toContain('The Node API does not read .env files');
      expect(run.stderr).not.toMatch(/^\s+at /m);
    });
  });

  it('exit 1 naming the variable of a failed source', async () => {
    await withSandbox(async (sandbox) => {
      const run = await sandbox.run(['check'], {
        env: { REMOTION_AWS_SECRET_ACCESS_KEY: 'fake-secret-x' },
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        'credchain: credential provider "prefixed-env" failed: REMOTION_AWS_SECRET_ACCESS_KEY is set but REMOTION_AWS_ACCESS_KEY_ID is not\n',
      );
    });
  });

  it.concurrent.each([
    [
      prefixedEnv,
      0,
      { ok: true, resolvedBy: 'prefixed-env', accessKeyId: redacted(KEY.prefixedEnv) },
    ],
    [
      {},
      1,
      {
        ok: false,
        resolvedBy: null,
        accessKeyId: null,
        error: expect.stringContaining('No credentials'),
      },
    ],
  ])('--json: {ok, resolvedBy, accessKeyId, error?} (exit %#)', async (env, code, document) => {
    await withSandbox(async (sandbox) => {
      const run = await sandbox.run(['check', '--json'], { env });
      expect(run).toMatchObject({ code, stderr: '' });
      expect(json(run)).toEqual(document);
    });
  });
});

describe('credchain accounts', () => {
  it('--json: {count, accounts: [{index, accessKeyId, …stats}]}, redacted', async () => {
    await withSandbox(async (sandbox) => {
      const run = await sandbox.run(['accounts', '--json'], { env: pool });
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(json(run)).toEqual({
        count: 2,
        accounts: [
          {
            index: 1,
            accessKeyId: 'AKIA…0001',
            capacity: null,
            inFlight: 0,
            throttledUntil: 0,
            leases: 0,
            throttles: 0,
            streak: 0,
            lastLeasedAt: 0,
          },
          {
            index: 2,
            accessKeyId: 'AKIA…0002',
            capacity: null,
            inFlight: 0,
            throttledUntil: 0,
            leases: 0,
            throttles: 0,
            streak: 0,
            lastLeasedAt: 0,
          },
        ],
      });
    });
  });

  it('reads each account’s capacity from AWS_CONCURRENCY_{n}', async () => {
    await withSandbox(async (sandbox) => {
      const run = await sandbox.run(['accounts', '--json'], {
        env: { ...pool, AWS_CONCURRENCY_2: '25' },
      });
      expect(run).toMatchObject({ code: 0, stderr: '' });
      const { accounts } = json(run) as { accounts: { capacity: number | null }[] };
      expect(accounts.map((a) => a.capacity)).toEqual([null, 25]);
      const bad = await sandbox.run(['accounts'], { env: { ...pool, AWS_CONCURRENCY_1: 'many' } });
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/AWS_CONCURRENCY_1 must be a positive integer \(got "many"\)/);
    });
  });

  it('human: one line per account', async () => {
    await withSandbox(async (sandbox) => {
      const run = await sandbox.run(['accounts'], { env: pool });
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(
        '2 accounts in the rotation pool (AWS_KEY_{n} / AWS_SECRET_{n}):\n' +
          '  #  access key id  capacity   in flight  leases  throttles  cool-down\n' +
          '  1  AKIA…0001      unlimited  0          0       0          -\n' +
          '  2  AKIA…0002      unlimited  0          0       0          -\n',
      );
    });
  });

  it('--key-pattern / --secret-pattern read other variable names', async () => {
    await withSandbox(async (sandbox) => {
      const run = await sandbox.run(
        [
          'accounts',
          '--json',
          '--key-pattern',
          'ACCT_{n}_KEY',
          '--secret-pattern',
          'ACCT_{n}_SECRET',
        ],
        { env: { ACCT_1_KEY: 'AKIAFAKECUSTOMACCT01', ACCT_1_SECRET: 'fake-secret-acct-1' } },
      );
      expect(run.code).toBe(0);
      expect(json(run)).toEqual({
        count: 1,
        accounts: [
          {
            index: 1,
            accessKeyId: 'AKIA…CT01',
            capacity: null,
            inFlight: 0,
            throttledUntil: 0,
            leases: 0,
            throttles: 0,
            streak: 0,
            lastLeasedAt: 0,
          },
        ],
      });
    });
  });

  it.concurrent.each<[string, Record<string, string>, RegExp]>([
    [
      'a half-set account',
      { ...pool, AWS_KEY_3: 'AKIAFAKEROTATION0003' },
      /AWS_KEY_3 is set but AWS_SECRET_3 is not/,
    ],
    [
      'a gap',
      { AWS_KEY_2: 'AKIAFAKEROTATION0002', AWS_SECRET_2: 'fake-secret-2' },
      /AWS_KEY_1 and AWS_SECRET_1 are missing/,
    ],
    ['no account', {}, /no account found: set AWS_KEY_1 and AWS_SECRET_1/],
    [
      'a look-alike name',
      { ...pool, AWS_SECRET_: 'fake-secret-typo' },
      /AWS_SECRET_ looks like AWS_SECRET_\{n\}/,
    ],
  ])('%s: exit 1 with the pool message naming the variable', async (_, env, message) => {
    await withSandbox(async (sandbox) => {
      const [human, asJson] = await Promise.all([
        sandbox.run(['accounts'], { env }),
        sandbox.run(['accounts', '--json'], { env }),
      ]);
      expect(human.code).toBe(1);
      expect(human.stdout).toBe('');
      expect(human.stderr).toMatch(/^credchain: invalid account rotation variables:\n/);
      expect(human.stderr).toMatch(message);
      expect(asJson).toMatchObject({ code: 1, stderr: '' });
      expect(json(asJson)).toEqual({
        count: 0,
        accounts: [],
        error: expect.stringMatching(message),
      });
    });
  });
});

describe('usage errors: exit 2, one line on stderr, nothing on stdout', () => {
  it.concurrent.each<[string[], RegExp]>([
    [[], /^credchain: missing command: explain, check, accounts, exec or cache/],
    [['cache'], /^credchain: missing command: cache clear/],
    [['explian'], /^credchain: unknown command 'explian' \(Did you mean explain\?\)/],
    [['explain', '--jsn'], /^credchain: unknown option '--jsn' \(Did you mean --json\?\)/],
    [['explain', 'extra'], /^credchain: too many arguments for 'explain'/],
    [['--prefix'], /^credchain: option '--prefix <prefix>' argument missing/],
    [
      ['--prefix', 'not-valid', 'check'],
      /^credchain: --prefix: invalid variable prefix "not-valid"/,
    ],
    [['exec'], /^credchain: exec needs a command, e\.g\. credchain exec aws s3 ls/],
    [['exec', '--'], /^credchain: exec needs a command/],
    [
      ['exec', '--account', '0', '--', 'true'],
      /argument '0' is invalid\. expected an account number/,
    ],
    [
      ['exec', '--account', '1', '--rotate', 'random', '--', 'true'],
      /cannot be used with option '--rotate/,
    ],
    [
      ['exec', '--rotate', 'sometimes', '--', 'true'],
      /Allowed choices are random, round-robin, least-recently-used/,
    ],
    [
      ['exec', '--account', '3', '--', 'true'],
      /^credchain: --account 3: the rotation pool has accounts 1 to 2/,
    ],
    [
      ['exec', '--account', '1', '-la', 'ls'],
      /unknown option '-la' \(exec's own options go before the command; a command that starts with - goes after --/,
    ],
    [
      ['accounts', '--key-pattern', 'NO_NUMBER'],
      /account variable pattern "NO_NUMBER" must contain \{n\}/,
    ],
  ])('credchain %j', async (args, message) => {
    await withSandbox(async (sandbox) => {
      const run = await sandbox.run(args, { env: pool });
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    });
  });
});

describe('help, version and --debug', () => {
  it.concurrent.each([['--help'], ['-h'], ['help']])(
    '%s: usage on stdout, exit 0',
    async (flag) => {
      await withSandbox(async (sandbox) => {
        const run = await sandbox.run([flag]);
        expect(run).toMatchObject({ code: 0, stderr: '' });
        for (const text of [
          'explain',
          'check',
          'accounts',
          'exec',
          '--prefix',
          '--env-file',
          '--no-env-file',
          '--json',
          '--debug',
          '--version',
        ]) {
          expect(run.stdout).toContain(text);
        }
      });
    },
  );

  it("a command's help shows its own and the global options", async () => {
    await withSandbox(async (sandbox) => {
      const run = await sandbox.run(['exec', '--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Usage: credchain exec [options] [--] <command> [args...]');
      for (const text of [
        '--account <n>',
        '--rotate <strategy>',
        '--key-pattern',
        '--prefix',
        '--env-file',
      ]) {
        expect(run.stdout).toContain(text);
      }
    });
  });

  it('--version prints the package version and the runtime running it', async () => {
    const { version } = JSON.parse(readFileSync(join(REPO, 'packages/cli/package.json'), 'utf8'));
    await withSandbox(async (sandbox) => {
      const run = await sandbox.run(['--version']);
      expect(run).toEqual({
        code: 0,
        signal: null,
        stdout: `credchain ${version} (node ${process.version})\n`,
        stderr: '',
      });
    });
  });

  it('no stack trace without --debug; a stack trace and what was loaded with it', async () => {
    await withSandbox(async (sandbox) => {
      await sandbox.write('work/.env', 'MY_SETTING=1\n');
      const args = ['exec', '--', 'credchain-no-such-command'];
      const [plain, debug] = await Promise.all([
        sandbox.run(args, { env: prefixedEnv }),
        sandbox.run(['--debug', ...args], { env: prefixedEnv }),
      ]);
      expect(plain.code).toBe(127);
      expect(plain.stderr).toBe(
        'credchain: cannot run credchain-no-such-command: command not found (ENOENT)\n',
      );
      expect(debug.code).toBe(127);
      expect(debug.stderr).toContain(`credchain: debug: read ${sandbox.work}/.env: set MY_SETTING`);
      expect(debug.stderr).toContain(
        'credchain: cannot run credchain-no-such-command: command not found (ENOENT)',
      );
      expect(debug.stderr).toMatch(/^\s+at /m);
    });
  });
});
