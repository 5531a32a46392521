/**
 * The CLI and cells: `explain` shows the region and the link that gave it;
 * `accounts --regions` lists each account in each Region; `--discover` asks
 * each cell's `GetAccountSettings` on the Lambda-like server on 127.0.0.1.
 */
import { type LambdaServer, startLambdaServer } from '../support/lambda-server';
import { json, withSandbox } from './cli-harness';

const ACCOUNTS = [1, 2].map((n) => ({
  accessKeyId: `AKIAFAKECLICELLS000${n}`,
  secretAccessKey: `fake-cli-cells-secret-${n}-not-real`,
}));
const pool = {
  AWS_KEY_1: ACCOUNTS[0]?.accessKeyId,
  AWS_SECRET_1: ACCOUNTS[0]?.secretAccessKey,
  AWS_KEY_2: ACCOUNTS[1]?.accessKeyId,
  AWS_SECRET_2: ACCOUNTS[1]?.secretAccessKey,
};
const keys = {
  REMOTION_AWS_ACCESS_KEY_ID: 'AKIAFAKECLICELLSKEY1',
  REMOTION_AWS_SECRET_ACCESS_KEY: 'fake-cli-cells-prefixed-secret',
};

describe('credchain explain: the region', () => {
  it.each<[string, Record<string, string>, string, RegExp]>([
    ['the default', {}, 'default', /^Region: us-east-1, from the default \(default\)$/m],
    [
      'AWS_REGION',
      { AWS_REGION: 'eu-west-2' },
      'env',
      /^Region: eu-west-2, from AWS_REGION \(env\)$/m,
    ],
    [
      'REMOTION_AWS_REGION over AWS_REGION',
      { AWS_REGION: 'eu-west-2', REMOTION_AWS_REGION: 'ap-south-1' },
      'prefixed-env',
      /^Region: ap-south-1, from REMOTION_AWS_REGION \(prefixed-env\)$/m,
    ],
  ])('%s', async (_label, vars, link, line) => {
    await withSandbox(async (sandbox) => {
      const human = await sandbox.run(['explain'], { env: { ...keys, ...vars } });
      expect(human).toMatchObject({ code: 0, stderr: '' });
      expect(human.stdout).toMatch(line);
      const run = await sandbox.run(['explain', '--json'], { env: { ...keys, ...vars } });
      expect(json(run).region).toEqual({
        value: human.stdout.match(/^Region: ([a-z0-9-]+),/m)?.[1],
        resolvedBy: link,
      });
    });
  });

  it('a region variable that is not a Region name: reported, naming it; the exit code is the credentials’', async () => {
    await withSandbox(async (sandbox) => {
      const run = await sandbox.run(['explain', '--json'], {
        env: { ...keys, AWS_REGION: 'Frankfurt' },
      });
      expect(run.code).toBe(0);
      expect(json(run).region).toEqual({
        value: null,
        resolvedBy: null,
        error: expect.stringMatching(/AWS_REGION is "Frankfurt", which is not a Region name/),
      });
      const human = await sandbox.run(['explain'], { env: { ...keys, AWS_REGION: 'Frankfurt' } });
      expect(human.stdout).toMatch(/^Region: not resolved: .*AWS_REGION is "Frankfurt"/m);
    });
  });
});

describe('credchain accounts --regions / --discover', () => {
  let server: LambdaServer;

  beforeAll(async () => {
    server = await startLambdaServer({
      accounts: ACCOUNTS,
      accountSettings: ({ accessKeyId, region }) =>
        accessKeyId === ACCOUNTS[1]?.accessKeyId && region === 'eu-central-1'
          ? undefined
          : {
              ConcurrentExecutions: 1000,
              UnreservedConcurrentExecutions: region === 'us-east-1' ? 900 : 400,
            },
    });
  });
  afterAll(() => server.stop());

  it('--regions: one row per cell, with AWS_CONCURRENCY_{n}_{REGION}', async () => {
    await withSandbox(async (sandbox) => {
      const env = { ...pool, AWS_CONCURRENCY_1: '10', AWS_CONCURRENCY_2_EU_CENTRAL_1: '3' };
      const run = await sandbox.run(['accounts', '--regions', 'us-east-1,eu-central-1'], { env });
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toBe(
        '2 accounts × 2 regions in the rotation pool (AWS_KEY_{n} / AWS_SECRET_{n}):\n' +
          '  #  access key id  region        capacity   in flight  leases  throttles  cool-down\n' +
          '  1  AKIA…0001      us-east-1     10         0          0       0          -\n' +
          '  1  AKIA…0001      eu-central-1  10         0          0       0          -\n' +
          '  2  AKIA…0002      us-east-1     unlimited  0          0       0          -\n' +
          '  2  AKIA…0002      eu-central-1  3          0          0       0          -\n',
      );
      const asJson = json(
        await sandbox.run(['accounts', '--json', '--regions', 'us-east-1,eu-central-1'], { env }),
      );
      expect(
        (asJson.accounts as Record<string, unknown>[]).map((a) => [a.index, a.region, a.capacity]),
      ).toEqual([
        [1, 'us-east-1', 10],
        [1, 'eu-central-1', 10],
        [2, 'us-east-1', null],
        [2, 'eu-central-1', 3],
      ]);
    });
  });

  it('--discover: limit, unreserved and the capacity it gives; a refused cell keeps its own and says why', async () => {
    await withSandbox(async (sandbox) => {
      const env = { ...pool, AWS_ENDPOINT_URL_LAMBDA: server.url, AWS_CONCURRENCY_2: '7' };
      const args = [
        'accounts',
        '--regions',
        'us-east-1,eu-central-1',
        '--discover',
        '--margin',
        '50',
      ];
      const run = await sandbox.run(args, { env });
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toBe(
        '2 accounts × 2 regions in the rotation pool (AWS_KEY_{n} / AWS_SECRET_{n}, capacity from GetAccountSettings):\n' +
          '  #  access key id  region        limit  unreserved  capacity\n' +
          '  1  AKIA…0001      us-east-1     1000   900         850\n' +
          '  1  AKIA…0001      eu-central-1  1000   400         350\n' +
          '  2  AKIA…0002      us-east-1     1000   900         850\n' +
          '  2  AKIA…0002      eu-central-1  -      -           7 (kept: GetAccountSettings failed: not authorized to perform lambda:GetAccountSettings in eu-central-1)\n',
      );
      const asJson = json(await sandbox.run([...args, '--json'], { env }));
      expect((asJson.accounts as Record<string, unknown>[])[3]).toMatchObject({
        index: 2,
        region: 'eu-central-1',
        capacity: 7,
        error: expect.stringMatching(/^GetAccountSettings failed/),
      });
      expect(JSON.stringify(asJson)).not.toMatch(/AKIAFAKE|not-real/);
    });
  });

  it('--discover without --regions asks in the region chain’s region', async () => {
    await withSandbox(async (sandbox) => {
      const env = { ...pool, AWS_ENDPOINT_URL_LAMBDA: server.url, AWS_REGION: 'eu-central-1' };
      const run = await sandbox.run(['accounts', '--json', '--discover'], { env });
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(
        (json(run).accounts as Record<string, unknown>[]).map((a) => [a.region, a.capacity]),
      ).toEqual([
        ['eu-central-1', 400],
        ['eu-central-1', null],
      ]);
    });
  });

  it.each([
    [
      ['--regions', 'us-east-1,Frankfurt'],
      /^credchain: --regions: regions\[1\] \("Frankfurt"\) is not a Region name/,
    ],
    [['--regions', 'us-east-1,'], /expected regions separated by commas/],
    [['--discover', '--margin', '-3'], /expected a number of units/],
  ])('%p is a usage error (exit 2)', async (args, message) => {
    await withSandbox(async (sandbox) => {
      const run = await sandbox.run(['accounts', ...args], { env: pool });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
    });
  });
});
