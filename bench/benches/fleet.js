/**
 * 8. The fleet on Redis (`@credchain/redis`), against a real redis-server on
 * 127.0.0.1 (skipped, saying why, when `redis-server` is not installed):
 *
 * - 3 worker processes × 20 concurrent invocations, 3 accounts with a limit
 *   of 4 at a Lambda-like endpoint (the render-fleet example's): the most
 *   invocations per account the endpoint saw at once, and its 429s, with
 *   `RedisPoolState` vs each worker's own in-memory state.
 * - `pool.run(noop)` on Redis (one script to acquire, one to release; the
 *   renewals are one heartbeat per process and period) on loopback, p50 /
 *   p99, next to the in-memory state, and the scripts Redis ran per run.
 * - A worker holding leases is SIGKILLed: time until the fleet has its full
 *   capacity again (goal ≤ leaseTtlMs + 1 s).
 * - Waking a waiting run when another process frees a place: pub/sub vs the
 *   pool's polling alone, and the Redis commands a waiting process costs.
 */
const { redisServerMissing, skippedWithoutRedis } = require('../lib/redis-server-check');
const path = require('node:path');
const { AWS_PACKAGE, percentile, median, pick, sleep } = require('../lib/common');

const ROOT = path.resolve(__dirname, '..', '..');
const REDIS_PACKAGE = path.join(ROOT, 'packages', 'redis');
const FLEET_EXAMPLE = path.join(ROOT, 'examples', 'render-fleet', 'dist');
const BENCH = '8 fleet on Redis';

const fmtMs = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
const fmtUs = (ms) => (ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(0)} µs`);

/** Part 1: three worker processes, shared vs local state. */
async function fleetConcurrency(smoke) {
  const { runFleet } = require(path.join(FLEET_EXAMPLE, 'main.js'));
  // Smoke: fewer processes to start (each loads the SDK), same shape.
  const options = {
    workers: pick(smoke, 3, 2),
    concurrency: pick(smoke, 20, 5),
    accounts: 3,
    limit: 4,
    invocations: pick(smoke, 60, 4),
    durationMs: pick(smoke, 40, 10),
  };
  const shared = await runFleet({ state: 'redis', ...options });
  const local = await runFleet({ state: 'local', ...options });
  const summary = (r) => ({
    maxConcurrent: r.perAccount.map((a) => a.maxConcurrent),
    throttled: r.perAccount.reduce((s, a) => s + a.throttled, 0),
    completed: r.perAccount.reduce((s, a) => s + a.completed, 0),
    exhausted: r.workers.reduce((s, w) => s + w.exhausted, 0),
    fellBack: r.workers.some((w) => w.fellBack),
    wallMs: r.wallMs,
  });
  return { options, redis: summary(shared), local: summary(local) };
}

/** Part 2: sequential run() calls on one pool, Redis vs memory. */
async function runLatency(smoke, redisUrl) {
  const { AccountPool, InMemoryPoolState } = require(AWS_PACKAGE);
  const { RedisPoolState } = require(REDIS_PACKAGE);
  const Redis = require(require.resolve('ioredis', { paths: [REDIS_PACKAGE] }));
  const env = {
    AWS_KEY_1: 'AKIAEXAMPLEBENCH0001',
    AWS_SECRET_1: 'secret-bench-1-not-real',
    AWS_KEY_2: 'AKIAEXAMPLEBENCH0002',
    AWS_SECRET_2: 'secret-bench-2-not-real',
    AWS_KEY_3: 'AKIAEXAMPLEBENCH0003',
    AWS_SECRET_3: 'secret-bench-3-not-real',
  };
  const redis = new Redis(redisUrl);
  const admin = new Redis(redisUrl);
  const state = new RedisPoolState(redis, { namespace: 'bench-latency', leaseTtlMs: 30_000 });
  const sides = {
    redis: AccountPool.fromEnv(env, { capacity: 4, state }),
    memory: AccountPool.fromEnv(env, { capacity: 4, state: new InMemoryPoolState() }),
  };
  const calls = pick(smoke, 3000, 100);
  const ms = { redis: [], memory: [] };
  const noop = () => undefined;
  for (const side of ['redis', 'memory']) {
    for (let i = 0; i < pick(smoke, 300, 10); i++) await sides[side].run(noop); // warm-up
  }
  const scripts = async () => {
    const info = await admin.info('commandstats');
    let calls = 0;
    for (const m of info.matchAll(/cmdstat_(?:evalsha|eval):calls=(\d+)/g)) calls += Number(m[1]);
    return calls;
  };
  const scriptsBefore = await scripts();
  // Alternate blocks so drift hits both sides.
  const block = pick(smoke, 250, 25);
  for (let done = 0; done < calls; done += block) {
    for (const side of ['redis', 'memory']) {
      for (let i = 0; i < block; i++) {
        const t0 = process.hrtime.bigint();
        await sides[side].run(noop);
        ms[side].push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }
  }
  // The reads of commandstats are not scripts; heartbeats are, and counted.
  const scriptsPerRun = ((await scripts()) - scriptsBefore) / ms.redis.length;
  await state.close();
  redis.disconnect();
  admin.disconnect();
  const stats = (xs) => ({ p50: percentile(xs, 50), p99: percentile(xs, 99), n: xs.length });
  return { redis: stats(ms.redis), memory: stats(ms.memory), scriptsPerRun };
}

/** Part 3: SIGKILL of a worker that holds leases; time to full capacity. */
async function killRecovery(smoke, redisUrl) {
  const { forkWorker, fleetAccounts } = require(path.join(FLEET_EXAMPLE, 'main.js'));
  const { startFakeLambda } = require(path.join(FLEET_EXAMPLE, 'fake-lambda.js'));
  const { RedisPoolState } = require(REDIS_PACKAGE);
  const Redis = require(require.resolve('ioredis', { paths: [REDIS_PACKAGE] }));
  const accounts = 3;
  const limit = 4;
  const held = 8;
  const leaseTtlMs = pick(smoke, 3000, 1000);
  const commandTimeoutMs = pick(smoke, 1000, 300);
  const { env, ids } = fleetAccounts(accounts);
  // Invocations that outlast the test: the holder's leases end only by expiry.
  const lambda = await startFakeLambda({ accounts: ids, limit, durationMs: 60_000 });
  const config = {
    state: 'redis',
    redisUrl,
    namespace: `bench-kill-${process.pid}`,
    endpoint: lambda.endpoint,
    capacity: limit,
    invocations: held,
    concurrency: held,
    leaseTtlMs,
    commandTimeoutMs,
    mode: 'hold',
  };
  const worker = forkWorker(config, env);
  const redis = new Redis(redisUrl);
  const observer = new RedisPoolState(redis, {
    namespace: config.namespace,
    leaseTtlMs,
    commandTimeoutMs,
  });
  try {
    await worker.ready;
    worker.go();
    const reply = await worker.done;
    if (reply.holding !== held) throw new Error(`holder said ${JSON.stringify(reply)}`);
    const capacity = Array.from({ length: accounts }, () => limit);
    const mine = [];
    const takeAll = async () => {
      for (const lease of mine) await observer.renew(lease, Date.now());
      for (;;) {
        const r = await observer.acquire({ preference: [1, 2, 3], capacity, now: Date.now() });
        if (!r.acquired) return;
        mine.push(r.lease);
      }
    };
    await takeAll();
    const before = mine.length;
    const exited = new Promise((resolve) => worker.child.once('exit', resolve));
    worker.child.kill('SIGKILL');
    await exited;
    const killedAt = performance.now();
    while (mine.length < accounts * limit && performance.now() - killedAt < leaseTtlMs + 10_000) {
      await takeAll();
      await sleep(10);
    }
    const recoveredMs = performance.now() - killedAt;
    for (const lease of mine) await observer.release(lease, { kind: 'success' });
    return {
      leaseTtlMs,
      heldByKilledWorker: held,
      freeWhileAlive: before,
      full: mine.length === accounts * limit,
      recoveredMs,
    };
  } finally {
    worker.child.kill('SIGKILL');
    await observer.close();
    redis.disconnect();
    await lambda.stop();
  }
}

/** Part 4: how fast a run waiting in one pool starts when another pool frees the place. */
async function wakeUp(smoke, redisUrl) {
  const { AccountPool } = require(AWS_PACKAGE);
  const { RedisPoolState } = require(REDIS_PACKAGE);
  const Redis = require(require.resolve('ioredis', { paths: [REDIS_PACKAGE] }));
  const env = { AWS_KEY_1: 'AKIAEXAMPLEBENCHWAKE', AWS_SECRET_1: 'secret-bench-wake-not-real' };
  const rounds = pick(smoke, 12, 1);
  const admin = new Redis(redisUrl);
  // Every pool operation is one script call: count those (the commands a
  // script runs inside Redis are not round trips).
  const scriptCalls = async () => {
    const info = await admin.info('commandstats');
    let calls = 0;
    for (const m of info.matchAll(/cmdstat_(?:evalsha|eval):calls=(\d+)/g)) calls += Number(m[1]);
    return calls;
  };
  const variants = [
    { id: 'pubsub', wakeUp: 'pubsub', waitPollMs: 1000 },
    { id: 'polling1000', wakeUp: 'polling', waitPollMs: 1000 },
    { id: 'polling100', wakeUp: 'polling', waitPollMs: 100 },
  ];
  const out = {};
  for (const v of variants) {
    const clients = [new Redis(redisUrl), new Redis(redisUrl)];
    const states = clients.map(
      (c, i) =>
        new RedisPoolState(c, {
          namespace: `bench-wake-${v.id}`,
          leaseTtlMs: 30_000,
          wakeUp: i === 1 ? v.wakeUp : 'polling',
        }),
    );
    const [holder, waiter] = states.map((state) =>
      AccountPool.fromEnv(env, { capacity: 1, state, waitPollMs: v.waitPollMs }),
    );
    const wakes = [];
    let waitedMs = 0;
    let calls = 0;
    for (let round = 0; round < rounds; round++) {
      let free;
      let held;
      const holds = new Promise((resolve) => (held = resolve));
      const holding = holder.run(
        () =>
          new Promise((resolve) => {
            free = resolve;
            held();
          }),
      );
      await holds;
      let startedAt = 0;
      const waiting = waiter.run(() => {
        startedAt = performance.now();
      });
      // Wait a random part of a poll period, so polling is not measured in phase.
      const c0 = await scriptCalls();
      const waitMs = smoke ? 100 : 300 + Math.random() * v.waitPollMs;
      await sleep(waitMs);
      const c1 = await scriptCalls();
      waitedMs += waitMs;
      calls += c1 - c0;
      const freedAt = performance.now();
      free();
      await holding;
      await waiting;
      wakes.push(startedAt - freedAt);
    }
    out[v.id] = {
      medianMs: median(wakes),
      maxMs: Math.max(...wakes),
      commandsPerWaitingSecond: (calls / waitedMs) * 1000,
    };
    for (const s of states) await s.close();
    for (const c of clients) c.disconnect();
  }
  admin.disconnect();
  return out;
}

module.exports = async function fleet({ smoke }) {
  const missing = redisServerMissing();
  if (missing) return skippedWithoutRedis('fleet', BENCH, 'fleetSkipped', missing);
  const { startRedis } = require(path.join(FLEET_EXAMPLE, 'start-redis.js'));
  const redis = await startRedis();
  let concurrency;
  let latency;
  let kill;
  let wake;
  try {
    concurrency = await fleetConcurrency(smoke);
    latency = await runLatency(smoke, redis.url);
    kill = await killRecovery(smoke, redis.url);
    wake = await wakeUp(smoke, redis.url);
  } finally {
    await redis.stop();
  }
  const { options, redis: r, local: l } = concurrency;
  const maxOf = (s) => Math.max(...s.maxConcurrent);
  const fleetMetric = `${options.workers} workers × ${options.concurrency} concurrent, ${options.accounts} accounts limit ${options.limit} → max at once per account; 429s`;
  return {
    details: { concurrency, latency, kill, wake },
    rows: [
      {
        id: 'fleetMaxConcurrency',
        bench: BENCH,
        metric: fleetMetric,
        credchain: `Redis: ${r.maxConcurrent.join('/')}; ${r.throttled} throttled`,
        other: `local: ${l.maxConcurrent.join('/')}; ${l.throttled} throttled (over-limit attempts), ${l.exhausted} all-exhausted`,
        ratio: null,
        goal: `≤ ${options.limit}, 0 throttled`,
        met: maxOf(r) <= options.limit && r.throttled === 0 && !r.fellBack,
      },
      {
        id: 'fleetWallTime',
        bench: BENCH,
        metric: `the same: time for ${r.completed} invocations (info)`,
        credchain: `Redis ${fmtMs(r.wallMs)}`,
        other: `local ${fmtMs(l.wallMs)}`,
        ratio: l.wallMs / r.wallMs,
        goal: '—',
        met: null,
      },
      {
        id: 'fleetRunLatency',
        bench: BENCH,
        metric: `pool.run(noop) on Redis (acquire + release: ${latency.scriptsPerRun.toFixed(2)} scripts per run), p50 / p99 of ${latency.redis.n}`,
        credchain: `Redis ${fmtUs(latency.redis.p50)} / ${fmtUs(latency.redis.p99)}`,
        other: `memory ${fmtUs(latency.memory.p50)} / ${fmtUs(latency.memory.p99)}`,
        ratio: latency.memory.p50 / latency.redis.p50,
        goal: 'p50 ≤ 150 µs, p99 ≤ 1 ms',
        met: latency.redis.p50 <= 0.15 && latency.redis.p99 <= 1,
      },
      {
        id: 'fleetKillRecovery',
        bench: BENCH,
        metric: `SIGKILL of a worker holding ${kill.heldByKilledWorker} leases → full capacity again (leaseTtlMs ${kill.leaseTtlMs})`,
        credchain: kill.full ? fmtMs(kill.recoveredMs) : 'never',
        other: `${kill.freeWhileAlive} of 12 free while it lived`,
        ratio: null,
        goal: `≤ ${fmtMs(kill.leaseTtlMs + 1000)}`,
        met: kill.full && kill.recoveredMs <= kill.leaseTtlMs + 1000,
      },
      {
        id: 'fleetWakeUp',
        bench: BENCH,
        metric:
          'a waiting run starts after another process frees a place (median; script calls/s while waiting)',
        credchain: `pub/sub ${fmtMs(wake.pubsub.medianMs)} (${wake.pubsub.commandsPerWaitingSecond.toFixed(1)}/s)`,
        other: `polling 1 s ${fmtMs(wake.polling1000.medianMs)} (${wake.polling1000.commandsPerWaitingSecond.toFixed(1)}/s), 100 ms ${fmtMs(wake.polling100.medianMs)} (${wake.polling100.commandsPerWaitingSecond.toFixed(1)}/s)`,
        ratio: wake.polling1000.medianMs / wake.pubsub.medianMs,
        goal: 'report',
        met: null,
      },
    ],
  };
};
