import { readdirSync, readFileSync } from 'node:fs';
import { fleetAccounts, forkWorker, runFleet } from './main';
import { type StartedRedis, startRedis } from './start-redis';
import type { WorkerConfig } from './worker';

// Forks the built worker (dist/worker.js): `pnpm test` builds first.

/** The worker processes this test process forked and that still run (Linux /proc). */
function runningWorkers(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // "pid (comm) state ppid …": the fields after the last ')' are fixed.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(ppid) !== process.pid || state === 'Z') continue;
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes('worker.js')) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('examples/render-fleet processes', () => {
  let redis: StartedRedis;
  const leftovers = new Set<number>();

  beforeAll(async () => {
    redis = await startRedis();
  });

  afterEach(() => {
    // Only processes this test forked, by pid.
    for (const pid of leftovers) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    leftovers.clear();
  });

  afterAll(async () => {
    await redis.stop();
  });

  it('a worker that throws closes its Redis connections and exits', async () => {
    const { env } = fleetAccounts(1);
    const config: WorkerConfig = {
      state: 'redis',
      redisUrl: redis.url,
      namespace: 'fleet-throwing',
      endpoint: 'http://127.0.0.1:9',
      capacity: 0, // refused by AccountPool: runWorker throws after connecting to Redis
      invocations: 1,
      concurrency: 1,
      leaseTtlMs: 3_000,
    };
    const worker = forkWorker(config, env);
    if (worker.child.pid) leftovers.add(worker.child.pid);
    const exited = new Promise<number | null>((resolve) =>
      worker.child.once('exit', (code) => resolve(code)),
    );
    await expect(worker.ready).rejects.toThrow(/capacity must be a positive integer/);
    const code = await Promise.race([exited, sleep(10_000).then(() => 'still running')]);
    expect(code).toBe(1);
  }, 20_000);

  it('runFleet: when one worker dies, the others are killed before it rejects', async () => {
    const fleet = runFleet({
      state: 'redis',
      redisUrl: redis.url,
      workers: 3,
      concurrency: 2,
      invocations: 1_000,
      accounts: 2,
      limit: 2,
      durationMs: 60_000, // every invocation outlives the test
    });
    fleet.catch(() => undefined);
    const deadline = Date.now() + 15_000;
    let pids = runningWorkers();
    while (pids.length < 3 && Date.now() < deadline) {
      await sleep(50);
      pids = runningWorkers();
    }
    for (const pid of pids) leftovers.add(pid);
    expect(pids).toHaveLength(3);
    process.kill(pids[0] as number, 'SIGKILL');
    await expect(fleet).rejects.toThrow(/worker exited \(SIGKILL\) without a result/);
    expect(runningWorkers()).toEqual([]);
  }, 30_000);
});
