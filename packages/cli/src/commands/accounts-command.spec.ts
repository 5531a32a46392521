import { withCliSandbox } from '../../../../test/support/cli-in-process';
import { type LambdaServer, startLambdaServer } from '../../../../test/support/lambda-server';
import { accountsCommand } from './accounts-command';

const pool = {
  AWS_KEY_1: 'AKIAFAKEROTATION0001',
  AWS_SECRET_1: 'fake-secret-account-1',
  AWS_KEY_2: 'AKIAFAKEROTATION0002',
  AWS_SECRET_2: 'fake-secret-account-2',
};
const idle = {
  capacity: null,
  inFlight: 0,
  throttledUntil: 0,
  leases: 0,
  throttles: 0,
  streak: 0,
  lastLeasedAt: 0,
};

describe(accountsCommand.name, () => {
  it('human: one line per account, redacted, with the patterns read', async () => {
    await withCliSandbox(async (sandbox) => {
      expect(await sandbox.run(['accounts'], { env: pool })).toEqual({
        code: 0,
        stdout:
          '2 accounts in the rotation pool (AWS_KEY_{n} / AWS_SECRET_{n}):\n' +
          '  #  access key id  capacity   in flight  leases  throttles  cool-down\n' +
          '  1  AKIA…0001      unlimited  0          0       0          -\n' +
          '  2  AKIA…0002      unlimited  0          0       0          -\n',
        stderr: '',
      });
    });
  });

  it('--json: {count, accounts: [{index, accessKeyId, …stats}]}', async () => {
    await withCliSandbox(async (sandbox) => {
      const run = await sandbox.run(['accounts', '--json'], {
        env: { ...pool, AWS_CONCURRENCY_2: '25' },
      });
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toBe(
        `${JSON.stringify(
          {
            count: 2,
            accounts: [
              { index: 1, accessKeyId: 'AKIA…0001', ...idle },
              { index: 2, accessKeyId: 'AKIA…0002', ...idle, capacity: 25 },
            ],
          },
          null,
          2,
        )}\n`,
      );
    });
  });

  it('--key-pattern / --secret-pattern / --session-token-pattern: other names, their values hidden', async () => {
    await withCliSandbox(async (sandbox) => {
      const env = {
        ACCT_1_KEY: 'AKIAFAKECUSTOMACCT01',
        ACCT_1_PASS: 'fake-hidden-by-pattern-01',
        ACCT_1_SESSION: 'fake-session-by-pattern-01',
      };
      const args = [
        'accounts',
        '--key-pattern',
        'ACCT_{n}_KEY',
        '--secret-pattern',
        'ACCT_{n}_PASS',
        '--session-token-pattern',
        'ACCT_{n}_SESSION',
      ];
      const run = await sandbox.run(args, { env });
      expect(run).toEqual({
        code: 0,
        stdout:
          '1 account in the rotation pool (ACCT_{n}_KEY / ACCT_{n}_PASS):\n' +
          '  #  access key id  capacity   in flight  leases  throttles  cool-down\n' +
          '  1  AKIA…CT01      unlimited  0          0       0          -\n',
        stderr: '',
      });
      // A broken account names its variables; the custom secrets never show.
      const broken = await sandbox.run([...args, '--debug'], {
        env: {
          ...env,
          ACCT_2_PASS: 'fake-hidden-by-pattern-02',
          ACCT_2_SESSION: 'fake-session-by-pattern-02',
        },
      });
      expect(broken.code).toBe(1);
      expect(broken.stderr).toContain('ACCT_2_PASS is set but ACCT_2_KEY is not');
      for (const value of [
        'fake-hidden-by-pattern-02',
        'fake-session-by-pattern-02',
        'fake-hidden-by-pattern-01',
      ]) {
        expect(broken.stderr).not.toContain(value);
      }
      // A secret pasted into a variable whose value an error shows: hidden
      // there too, whichever of the custom patterns it came from.
      for (const pasted of ['fake-hidden-by-pattern-01', 'fake-session-by-pattern-01']) {
        const shown = await sandbox.run(args, { env: { ...env, AWS_CONCURRENCY_1: pasted } });
        expect(shown.code).toBe(1);
        expect(shown.stderr).toContain(
          'AWS_CONCURRENCY_1 must be a positive integer (got "[redacted]")',
        );
        expect(shown.stderr).not.toContain(pasted);
      }
    });
  });

  it.each<[string, Record<string, string>, RegExp]>([
    [
      'a half-set account',
      { ...pool, AWS_KEY_3: 'AKIAFAKEROTATION0003' },
      /AWS_KEY_3 is set but AWS_SECRET_3 is not/,
    ],
    ['no account', {}, /no account found: set AWS_KEY_1 and AWS_SECRET_1/],
    [
      'a bad capacity',
      { ...pool, AWS_CONCURRENCY_1: 'many' },
      /AWS_CONCURRENCY_1 must be a positive integer \(got "many"\)/,
    ],
  ])('%s: exit 1 naming the variable (JSON: "error")', async (_label, env, message) => {
    await withCliSandbox(async (sandbox) => {
      const human = await sandbox.run(['accounts'], { env });
      expect(human.code).toBe(1);
      expect(human.stdout).toBe('');
      expect(human.stderr).toMatch(/^credchain: invalid account rotation variables:\n/);
      expect(human.stderr).toMatch(message);
      const asJson = await sandbox.run(['accounts', '--json'], { env });
      expect(asJson).toMatchObject({ code: 1, stderr: '' });
      const document = JSON.parse(asJson.stdout);
      expect(Object.keys(document)).toEqual(['count', 'accounts', 'error']);
      expect(document).toEqual({ count: 0, accounts: [], error: expect.stringMatching(message) });
    });
  });

  it('a usage error stays one even with --json (exit 2, stderr)', async () => {
    await withCliSandbox(async (sandbox) => {
      const run = await sandbox.run(['accounts', '--json', '--key-pattern', 'NO_NUMBER'], {
        env: pool,
      });
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^credchain: .*must contain \{n\}/);
      const regions = await sandbox.run(
        ['accounts', '--json', '--regions', 'us-east-1,Frankfurt'],
        {
          env: pool,
        },
      );
      expect(regions).toMatchObject({ code: 2, stdout: '' });
      expect(regions.stderr).toMatch(
        /^credchain: --regions: regions\[1\] \("Frankfurt"\) is not a Region name/,
      );
    });
  });

  it.each<[string, string[], Record<string, string>, number, string]>([
    ['a pattern without {n}', ['--key-pattern', 'NO_NUMBER'], {}, 2, 'TypeError'],
    ['a wrong region', ['--regions', 'Frankfurt'], {}, 2, 'RangeError'],
    ['a half-set account', [], { AWS_KEY_3: 'AKIAFAKEROTATION0003' }, 1, 'AccountPoolError'],
  ])(
    '--debug, %s: exit %i, the pool’s own error as the cause',
    async (_label, args, extra, code, cause) => {
      await withCliSandbox(async (sandbox) => {
        const run = await sandbox.run(['accounts', ...args, '--debug'], {
          env: { ...pool, ...extra },
        });
        expect(run.code).toBe(code);
        expect(run.stderr).toMatch(new RegExp(`\ncaused by: ${cause}: `));
      });
    },
  );

  it('--regions: one row per cell, with AWS_CONCURRENCY_{n}_{REGION}', async () => {
    await withCliSandbox(async (sandbox) => {
      const env = { ...pool, AWS_CONCURRENCY_1: '10', AWS_CONCURRENCY_2_EU_CENTRAL_1: '3' };
      const run = await sandbox.run(['accounts', '--regions', 'us-east-1, eu-central-1'], { env });
      expect(run).toEqual({
        code: 0,
        stdout:
          '2 accounts × 2 regions in the rotation pool (AWS_KEY_{n} / AWS_SECRET_{n}):\n' +
          '  #  access key id  region        capacity   in flight  leases  throttles  cool-down\n' +
          '  1  AKIA…0001      us-east-1     10         0          0       0          -\n' +
          '  1  AKIA…0001      eu-central-1  10         0          0       0          -\n' +
          '  2  AKIA…0002      us-east-1     unlimited  0          0       0          -\n' +
          '  2  AKIA…0002      eu-central-1  3          0          0       0          -\n',
        stderr: '',
      });
      const one = await sandbox.run(['accounts', '--regions', 'us-east-1'], { env: pool });
      expect(one.stdout.split('\n')[0]).toBe(
        '2 accounts × 1 region in the rotation pool (AWS_KEY_{n} / AWS_SECRET_{n}):',
      );
    });
  });

  describe('--discover', () => {
    let server: LambdaServer;
    const accounts = [
      { accessKeyId: pool.AWS_KEY_1, secretAccessKey: pool.AWS_SECRET_1 },
      { accessKeyId: pool.AWS_KEY_2, secretAccessKey: pool.AWS_SECRET_2 },
    ];

    beforeEach(async () => {
      server = await startLambdaServer({
        accounts,
        accountSettings: ({ accessKeyId, region }) =>
          accessKeyId === pool.AWS_KEY_2 && region === 'eu-central-1'
            ? undefined
            : {
                ConcurrentExecutions: 1000,
                UnreservedConcurrentExecutions: region === 'us-east-1' ? 900 : 400,
              },
      });
    });
    afterEach(() => server.stop());

    it('limit, unreserved and the capacity it gives; a refused cell keeps its own and says why', async () => {
      await withCliSandbox(async (sandbox) => {
        const env = { ...pool, AWS_ENDPOINT_URL_LAMBDA: server.url, AWS_CONCURRENCY_2: '7' };
        const args = [
          'accounts',
          '--regions',
          'us-east-1,eu-central-1',
          '--discover',
          '--margin',
          '50',
        ];
        expect(await sandbox.run(args, { env })).toEqual({
          code: 0,
          stdout:
            '2 accounts × 2 regions in the rotation pool (AWS_KEY_{n} / AWS_SECRET_{n}, capacity from GetAccountSettings):\n' +
            '  #  access key id  region        limit  unreserved  capacity\n' +
            '  1  AKIA…0001      us-east-1     1000   900         850\n' +
            '  1  AKIA…0001      eu-central-1  1000   400         350\n' +
            '  2  AKIA…0002      us-east-1     1000   900         850\n' +
            '  2  AKIA…0002      eu-central-1  -      -           7 (kept: GetAccountSettings failed: not authorized to perform lambda:GetAccountSettings in eu-central-1)\n',
          stderr: '',
        });
        const asJson = JSON.parse((await sandbox.run([...args, '--json'], { env })).stdout);
        expect(asJson.accounts[0]).toEqual({
          index: 1,
          accessKeyId: 'AKIA…0001',
          ...idle,
          capacity: 850,
          region: 'us-east-1',
          limit: 1000,
          unreserved: 900,
        });
        expect(asJson.accounts[3]).toEqual({
          index: 2,
          accessKeyId: 'AKIA…0002',
          ...idle,
          capacity: 7,
          region: 'eu-central-1',
          error: expect.stringMatching(/^GetAccountSettings failed/),
        });
      });
    });

    it('without --margin, none is kept; without --regions, the region chain’s region', async () => {
      await withCliSandbox(async (sandbox) => {
        const env = { ...pool, AWS_ENDPOINT_URL_LAMBDA: server.url, AWS_REGION: 'eu-central-1' };
        const run = await sandbox.run(['accounts', '--discover'], { env });
        expect(run).toEqual({
          code: 0,
          stdout:
            '2 accounts in the rotation pool (AWS_KEY_{n} / AWS_SECRET_{n}, capacity from GetAccountSettings):\n' +
            '  #  access key id  region        limit  unreserved  capacity\n' +
            '  1  AKIA…0001      eu-central-1  1000   400         400\n' +
            '  2  AKIA…0002      eu-central-1  -      -           unlimited (kept: GetAccountSettings failed: not authorized to perform lambda:GetAccountSettings in eu-central-1)\n',
          stderr: '',
        });
      });
    });
  });
});
