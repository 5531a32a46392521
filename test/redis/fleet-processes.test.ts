/**
 * Real worker processes (the render-fleet example's built `dist/worker.js`,
 * `pnpm test` builds first) against the SigV4-checking Lambda-like server
 * and a real redis-server: capacity holds across processes, and a worker
 * killed with SIGKILL gives its places back within leaseTtlMs (+ 1 s).
 */
import type { PoolLease } from '@credchain/aws';
import { RedisPoolState } from '@credchain/redis';
import Redis from 'ioredis';
import { type ForkedWorker, fleetAccounts, forkWorker } from '../../examples/render-fleet/src/main';
import type { WorkerConfig, WorkerResult } from '../../examples/render-fleet/src/worker';
import { type LambdaServer, startLambdaServer } from '../support/lambda-server';
import { RedisServer } from '../support/redis-server';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ACCOUNTS = 3;
const LIMIT = 4;

describe('a fleet of worker processes on RedisPoolState', () => {
  let redis: RedisServer;
  const { env, ids } = fleetAccounts(ACCOUNTS);
  const accounts = [...ids.keys()].map((accessKeyId, i) => ({
    accessKeyId,
    secretAccessKey: env[`AWS_SECRET_${i + 1}`] as string,
  }));
  const workers: ForkedWorker[] = [];
  const servers: LambdaServer[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start();
  });

  afterEach(async () => {
    // SIGKILL, then wait for each exit: no worker outlives its test.
    await Promise.all(
      workers.splice(0).map(({ child }) => {
        if (child.exitCode !== null || child.signalCode !== null) return undefined;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        return exited;
      }),
    );
    for (const s of servers.splice(0)) await s.stop();
  });

  afterAll(async () => {
    await redis.stop();
  });

  const config = (over: Partial<WorkerConfig>): WorkerConfig => ({
    state: 'redis',
    redisUrl: redis.url,
    namespace: `fleet-${Date.now()}`,
    endpoint: '',
    capacity: LIMIT,
    invocations: 20,
    concurrency: 20,
    leaseTtlMs: 3_000,
    // A busy CI machine can stall a process for a while: this test is about
    // capacity, not about falling back (the spec of RedisPoolState covers that).
    commandTimeoutMs: 1_000,
    ...over,
  });

  it('3 workers × 20 concurrent invocations, 3 accounts limited to 4: never above 4, no 429', async () => {
    const lambda = await startLambdaServer({ accounts, concurrencyLimit: LIMIT, durationMs: 25 });
    servers.push(lambda);
    const shared = config({
      endpoint: lambda.url,
      invocations: 30,
      leaseTtlMs: 10_000,
      commandTimeoutMs: 5_000,
    });
    for (let i = 0; i < 3; i++) workers.push(forkWorker(shared, env));
    await Promise.all(workers.map((w) => w.ready));
    for (const w of workers) w.go();
    const results = (await Promise.all(workers.map((w) => w.done))).map(
      (m) => m.result as WorkerResult,
    );
    expect(results.map((r) => [r.completed, r.errors, r.fellBack])).toEqual(
      Array.from({ length: 3 }, () => [30, [], false]),
    );
    const stats = lambda.stats();
    expect(Object.keys(stats).sort()).toEqual([...ids.keys()].sort());
    for (const account of Object.values(stats)) {
      expect(account.maxConcurrent).toBeLessThanOrEqual(LIMIT);
      expect(account.throttled).toBe(0);
    }
    expect(Object.values(stats).reduce((sum, a) => sum + a.invocations, 0)).toBe(90);
    expect(lambda.rejected).toBe(0);
  }, 60_000);

  it('a worker killed with SIGKILL while holding leases: the fleet has its full capacity again within leaseTtlMs + 1 s', async () => {
    const lambda = await startLambdaServer({ accounts, concurrencyLimit: LIMIT, durationMs: 25 });
    servers.push(lambda);
    const holding = config({
      endpoint: lambda.url,
      mode: 'hold',
      concurrency: 6,
      durationMs: 8_000,
    });
    const holder = forkWorker(holding, env);
    workers.push(holder);
    await holder.ready;
    holder.go();
    await expect(holder.done).resolves.toEqual({ holding: 6 });

    const client = new Redis(redis.port, '127.0.0.1');
    const observer = new RedisPoolState(client, {
      namespace: holding.namespace,
      leaseTtlMs: holding.leaseTtlMs,
    });
    try {
      const capacity = Array.from({ length: ACCOUNTS }, () => LIMIT);
      const mine: PoolLease[] = [];
      // Takes every free place; keeps the ones already taken alive (they expire too).
      const takeAll = async () => {
        for (const lease of mine) await observer.renew(lease, Date.now());
        let taken = 0;
        for (;;) {
          const r = await observer.acquire({ preference: [1, 2, 3], capacity, now: Date.now() });
          if (!r.acquired) return taken;
          mine.push(r.lease);
          taken++;
        }
      };
      // Alive, the holder renews: its six places stay taken well past one TTL.
      await sleep(holding.leaseTtlMs + 500);
      expect(await takeAll()).toBe(ACCOUNTS * LIMIT - 6);

      const exited = new Promise((resolve) => holder.child.once('exit', resolve));
      holder.child.kill('SIGKILL');
      await exited;
      const killedAt = Date.now();
      let total = ACCOUNTS * LIMIT - 6;
      while (total < ACCOUNTS * LIMIT && Date.now() - killedAt < 10_000) {
        total += await takeAll();
        await sleep(20);
      }
      const recoveredMs = Date.now() - killedAt;
      expect(total).toBe(ACCOUNTS * LIMIT);
      expect(recoveredMs).toBeLessThanOrEqual(holding.leaseTtlMs + 1_000);
      const usage = await observer.usage(ACCOUNTS, Date.now());
      expect(usage.map((u) => u.inFlight)).toEqual(capacity);
      // Let the server finish the killed worker's invocations before it stops.
      while (Object.values(lambda.stats()).some((a) => a.inFlight > 0)) await sleep(50);
    } finally {
      await observer.close();
      client.disconnect();
    }
  }, 40_000);
});
