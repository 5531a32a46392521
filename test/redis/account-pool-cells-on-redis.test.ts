/**
 * `AccountPool.run` with regions over a `RedisPoolState` on a real
 * redis-server: pools standing in for a fleet's processes share each cell's
 * capacity in units, whatever order they list the regions in.
 */
import { AccountPool } from '@credchain/aws';
import { RedisPoolState } from '@credchain/redis';
import Redis from 'ioredis';
import { RedisServer } from '../support/redis-server';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const env = {
  AWS_KEY_1: 'AKIAEXAMPLECELLS0001',
  AWS_SECRET_1: 'secret-cells-1-not-real-0000000000000000',
  AWS_KEY_2: 'AKIAEXAMPLECELLS0002',
  AWS_SECRET_2: 'secret-cells-2-not-real-0000000000000000',
};

describe('AccountPool with regions on RedisPoolState', () => {
  let server: RedisServer;
  const clients: Redis[] = [];
  const states: RedisPoolState[] = [];

  beforeAll(async () => {
    server = await RedisServer.start();
  });
  afterAll(async () => {
    for (const s of states) await s.close();
    for (const c of clients) c.disconnect();
    await server.stop();
  });

  function member(regions: string[]) {
    const redis = new Redis(server.port, '127.0.0.1');
    clients.push(redis);
    const state = new RedisPoolState(redis, { namespace: 'cells-fleet', leaseTtlMs: 10_000 });
    states.push(state);
    return AccountPool.fromEnv(env, { regions, capacity: 4, state, waitPollMs: 50 });
  }

  it('two pools, 60 runs of weights 1–3: never more than 4 units on a cell across them', async () => {
    const pools = [member(['us-east-1', 'eu-central-1']), member(['eu-central-1', 'us-east-1'])];
    const units = new Map<string, number>();
    const highest = new Map<string, number>();
    await Promise.all(
      Array.from({ length: 60 }, (_, i) => {
        const weight = 1 + (i % 3);
        return (pools[i % 2] as AccountPool).run(
          async ({ index, region }) => {
            const cell = `${index} ${region}`;
            units.set(cell, (units.get(cell) ?? 0) + weight);
            highest.set(cell, Math.max(highest.get(cell) ?? 0, units.get(cell) ?? 0));
            await sleep(15);
            units.set(cell, (units.get(cell) ?? 0) - weight);
          },
          { weight },
        );
      }),
    );
    expect(highest.size).toBe(4);
    for (const max of highest.values()) expect(max).toBeLessThanOrEqual(4);
    const stats = await (pools[0] as AccountPool).stats();
    expect(stats.map((s) => [s.index, s.region, s.inFlight])).toEqual([
      [1, 'us-east-1', 0],
      [1, 'eu-central-1', 0],
      [2, 'us-east-1', 0],
      [2, 'eu-central-1', 0],
    ]);
    expect(stats.reduce((sum, s) => sum + s.leases, 0)).toBe(60);
  });
});
