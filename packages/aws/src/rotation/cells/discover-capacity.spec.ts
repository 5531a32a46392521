/**
 * `pool.discoverCapacity()` against the Lambda-like server on 127.0.0.1:
 * `GetAccountSettings` per cell, signed as the cell's account in its region,
 * sent where `AWS_ENDPOINT_URL_LAMBDA` (in the pool's environment) says.
 */
import { Lambda, LambdaClient } from '@aws-sdk/client-lambda';
import { AccountPool } from '@credchain/aws';
import {
  ACCOUNTS,
  type CellFleet,
  fleetEnv,
  REGIONS,
  startCellFleet,
} from '../../../../../test/support/cell-fleet';

/** Distinct values per cell: account n in region r has 100·n + 10·r unreserved of 1000. */
const unreservedOf = (accessKeyId: string, region: string) =>
  100 * (ACCOUNTS.findIndex((a) => a.accessKeyId === accessKeyId) + 1) +
  10 * (REGIONS.indexOf(region as 'us-east-1') + 1);

describe('pool.discoverCapacity()', () => {
  let fleet: CellFleet;

  beforeAll(async () => {
    fleet = await startCellFleet({
      accountSettings: ({ accessKeyId, region }) =>
        accessKeyId === ACCOUNTS[2]?.accessKeyId && region === 'eu-central-1'
          ? undefined
          : {
              ConcurrentExecutions: 1000,
              UnreservedConcurrentExecutions: unreservedOf(accessKeyId, region),
            },
    });
  });
  afterAll(() => fleet.stop());

  it('sets each cell to the server’s UnreservedConcurrentExecutions − margin; a failing cell keeps its capacity and says why', async () => {
    const env = fleetEnv({ AWS_ENDPOINT_URL_LAMBDA: fleet.server.url });
    const pool = AccountPool.fromEnv(env, { regions: REGIONS, capacity: 4 });
    const found = await pool.discoverCapacity({ margin: 5 });
    expect(
      found.map((f) => [f.index, f.region, f.limit, f.unreserved, f.previous, f.capacity]),
    ).toEqual([
      [1, 'us-east-1', 1000, 110, 4, 105],
      [1, 'eu-central-1', 1000, 120, 4, 115],
      [2, 'us-east-1', 1000, 210, 4, 205],
      [2, 'eu-central-1', 1000, 220, 4, 215],
      [3, 'us-east-1', 1000, 310, 4, 305],
      [3, 'eu-central-1', undefined, undefined, 4, 4],
    ]);
    expect(found[5]?.error).toMatch(
      /^GetAccountSettings failed: not authorized to perform lambda:GetAccountSettings in eu-central-1$/,
    );
    expect(found.every((f) => /^AKIA…[A-Z0-9]{4}$/.test(f.accessKeyId))).toBe(true);
    expect(pool.capacity).toEqual([105, 115, 205, 215, 305, 4]);
    expect((await pool.stats()).map((s) => s.capacity)).toEqual([105, 115, 205, 215, 305, 4]);
    console.log(
      [
        'discoverCapacity({ margin: 5 }) against the server:',
        '| account | region | limit | unreserved | capacity |',
        '|---|---|---:|---:|---:|',
        ...found.map(
          (f) =>
            `| ${f.index} | ${f.region} | ${f.limit ?? '-'} | ${f.unreserved ?? '-'} | ${f.capacity}${f.error ? ` (kept: ${f.error})` : ''} |`,
        ),
      ].join('\n'),
    );
  });

  it('with the client class given (LambdaClient, or the aggregated Lambda); without margin all of it', async () => {
    const env = fleetEnv({ AWS_ENDPOINT_URL_LAMBDA: fleet.server.url });
    for (const client of [LambdaClient, Lambda]) {
      const pool = AccountPool.fromEnv(env, { regions: ['us-east-1'] });
      const found = await pool.discoverCapacity({ client });
      expect(found.map((f) => f.capacity)).toEqual([110, 210, 310]);
    }
  });

  it('a pool without regions asks in the region chain’s region', async () => {
    const env = fleetEnv({ AWS_ENDPOINT_URL_LAMBDA: fleet.server.url, AWS_REGION: 'eu-central-1' });
    const pool = AccountPool.fromEnv(env);
    const found = await pool.discoverCapacity();
    expect(found.map((f) => [f.region, f.capacity])).toEqual([
      ['eu-central-1', 120],
      ['eu-central-1', 220],
      // Unlimited before, and still: its call was refused.
      ['eu-central-1', null],
    ]);
  });

  it('refuses a margin that is not a non-negative integer, naming it', async () => {
    const pool = AccountPool.fromEnv(fleetEnv(), { regions: REGIONS });
    await expect(pool.discoverCapacity({ margin: -1 })).rejects.toThrow(
      /^discoverCapacity\(\): margin must be a non-negative integer \(got -1\)$/,
    );
  });
});
