/**
 * 12. The fleet at scale (`@credchain/redis`, issue "The fleet at scale"),
 * against one real redis-server on 127.0.0.1 (skipped, saying why, when
 * `redis-server` is not installed):
 *
 * - N workers (N = 10, 50, 200), each a pool with its own connection and
 *   `RedisPoolState`, spread over 2 Node processes, each looping
 *   `pool.run(fn)` with `fn` holding 20 ms; 3 accounts × capacity 4. Per N:
 *   runs/s, wait p50 / p99 (from `run()` to the start of `fn`), Redis CPU
 *   per run (`INFO cpu` deltas), acquire scripts per run (EVALSHA calls of
 *   acquire.lua, counted where they are sent), wake-up messages per release
 *   (`PUBLISH` calls inside the scripts, `INFO commandstats`), and the runs
 *   per worker (min / median / max).
 * - Accounts = 10, 100, 1,000 (capacity 4 each, one pool): the acquire
 *   script's p50 (`state.acquire` as `run()` builds it) and the bytes it
 *   sends, and `pool.run(noop)` from `run()` to the start of `fn`.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const { redisServerMissing, skippedWithoutRedis } = require('../lib/redis-server-check');
const path = require('node:path');
const { fork } = require('node:child_process');
const { AWS_PACKAGE, median, percentile, pick } = require('../lib/common');

const ROOT = path.resolve(__dirname, '..', '..');
const REDIS_PACKAGE = path.join(ROOT, 'packages', 'redis');
const FLEET_EXAMPLE = path.join(ROOT, 'examples', 'render-fleet', 'dist');
const SIDE = path.join(__dirname, '..', 'children', 'fleet-scale-side.js');
const BENCH = '12 fleet at scale';
const PLACES = { accounts: 3, capacity: 4 };
const HOLD_MS = 20;

/** SHA-1 of each shipped script as the package sends it (includes resolved). */
function scriptShas() {
  const { LUA_DIR, LUA_SCRIPTS } = require(REDIS_PACKAGE);
  const shas = {};
  for (const [name, file] of Object.entries(LUA_SCRIPTS)) {
    let source = fs.readFileSync(path.join(LUA_DIR, file), 'utf8');
    const include = /^--!include ([\w.-]+)$/m;
    for (let m = include.exec(source); m; m = include.exec(source)) {
      const text = fs.readFileSync(path.join(LUA_DIR, 'include', m[1]), 'utf8');
      source = source.replace(m[0], () => text);
    }
    shas[crypto.createHash('sha1').update(source).digest('hex')] = name;
  }
  return shas;
}

/** Redis's CPU seconds and command counts. */
async function redisCounters(admin) {
  const cpu = await admin.info('cpu');
  const seconds = (field) => Number(new RegExp(`${field}:([\\d.]+)`).exec(cpu)?.[1] ?? 0);
  const stats = await admin.info('commandstats');
  const calls = (cmd) => Number(new RegExp(`cmdstat_${cmd}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
  return {
    cpuSeconds: seconds('used_cpu_user') + seconds('used_cpu_sys'),
    publish: calls('publish'),
    evalsha: calls('evalsha') + calls('eval'),
  };
}

function message(child, key) {
  return new Promise((resolve, reject) => {
    const onMessage = (m) => {
      if (m?.error) reject(new Error(m.error));
      else if (m && key in m) {
        child.off('message', onMessage);
        resolve(m[key]);
      }
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`fleet-scale side exited ${code}`)));
  });
}

/** Part 1: N workers over 2 processes. */
async function fleetAt(workers, durationMs, redisUrl, admin, shas) {
  const namespace = `bench-scale-${workers}-${process.pid}`;
  const sizes = [Math.ceil(workers / 2), Math.floor(workers / 2)];
  const children = sizes.map(() => fork(SIDE, [], { execArgv: [], stdio: 'inherit' }));
  try {
    const ready = children.map((c) => message(c, 'ready'));
    children.forEach((c, i) => {
      c.send({
        config: { redisUrl, namespace, pools: sizes[i], holdMs: HOLD_MS, ...PLACES },
      });
    });
    await Promise.all(ready);
    const before = await redisCounters(admin);
    const done = children.map((c) => message(c, 'done'));
    for (const c of children) c.send({ go: durationMs });
    const results = await Promise.all(done);
    const after = await redisCounters(admin);
    const exited = children.map((c) => new Promise((resolve) => c.once('exit', resolve)));
    for (const c of children) c.send({ close: true });
    await Promise.all(exited);

    const perWorker = results.flatMap((r) => r.runs);
    const waits = results.flatMap((r) => r.waits);
    const runs = perWorker.reduce((s, n) => s + n, 0);
    const scripts = {};
    for (const r of results) {
      for (const [sha, n] of Object.entries(r.evalsha)) {
        const name = shas[sha] ?? 'other';
        scripts[name] = (scripts[name] ?? 0) + n;
      }
    }
    const sorted = [...perWorker].sort((a, b) => a - b);
    // The most runs of one account at once, across both processes.
    const edges = results
      .flatMap((r) => r.spans)
      .flatMap(([index, start, end]) => [
        [start, index, 1],
        [end, index, -1],
      ])
      .sort((x, y) => x[0] - y[0] || x[2] - y[2]);
    const now = new Map();
    let maxInFlight = 0;
    for (const [, index, step] of edges) {
      const n = (now.get(index) ?? 0) + step;
      now.set(index, n);
      maxInFlight = Math.max(maxInFlight, n);
    }
    return {
      workers,
      durationMs,
      runs,
      runsPerSecond: runs / (durationMs / 1000),
      waitP50Ms: percentile(waits, 50),
      waitP99Ms: percentile(waits, 99),
      redisCpuPerRunUs: ((after.cpuSeconds - before.cpuSeconds) * 1e6) / runs,
      scriptsPerRun: (after.evalsha - before.evalsha) / runs,
      acquireScriptsPerRun: (scripts.credchainAcquire ?? 0) / runs,
      scriptsByName: scripts,
      messagesPerRelease: (after.publish - before.publish) / runs,
      perWorker: { min: sorted[0], median: median(sorted), max: sorted[sorted.length - 1] },
      maxInFlight,
      fifoIdealMs: (workers / (PLACES.accounts * PLACES.capacity)) * HOLD_MS,
    };
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  }
}

/** Part 2: one pool, `accounts` accounts: acquire and run() latency. */
async function accountsAt(accounts, calls, redisUrl) {
  const { AccountPool, InMemoryPoolState } = require(AWS_PACKAGE);
  const { RedisPoolState } = require(REDIS_PACKAGE);
  const Redis = require(require.resolve('ioredis', { paths: [REDIS_PACKAGE] }));
  const env = {};
  for (let n = 1; n <= accounts; n++) {
    env[`AWS_KEY_${n}`] = `AKIAEXAMPLEACCT${String(n).padStart(5, '0')}`;
    env[`AWS_SECRET_${n}`] = `secret-accounts-${n}-not-real`;
  }
  const redis = new Redis(redisUrl);
  // The bytes of each EVALSHA this connection sends (the acquire's are kept).
  const sent = [];
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = (command, ...rest) => {
    if (command?.name === 'evalsha') {
      sent.push(command.args.reduce((s, a) => s + Buffer.byteLength(String(a)), 0));
    }
    return send(command, ...rest);
  };
  const state = new RedisPoolState(redis, { namespace: `bench-accounts-${accounts}` });
  const capacity = Array.from({ length: accounts }, () => PLACES.capacity);
  const acquireMs = [];
  const acquireBytes = [];
  const t = () => performance.now();
  for (let i = 0; i < calls + 50; i++) {
    // As run() asks: the strategy's first cells (here round-robin's), the layout's revision.
    const first = (i % accounts) + 1;
    const preference = Array.from({ length: Math.min(8, accounts) }, (_, k) => {
      return ((first - 1 + k) % accounts) + 1;
    });
    const request = { preference, capacity, capacityRevision: 1, now: Date.now() };
    sent.length = 0;
    const t0 = t();
    const r = await state.acquire(request);
    const ms = t() - t0;
    if (!r.acquired) throw new Error(`acquire refused at ${accounts} accounts`);
    if (i >= 50) {
      acquireMs.push(ms);
      acquireBytes.push(sent.at(-1) ?? 0);
    }
    await state.release(r.lease, { kind: 'success' });
  }
  const runToFn = { redis: [], memory: [] };
  const pools = {
    redis: AccountPool.fromEnv(env, { capacity: PLACES.capacity, state }),
    memory: AccountPool.fromEnv(env, {
      capacity: PLACES.capacity,
      state: new InMemoryPoolState(),
    }),
  };
  for (const side of ['redis', 'memory']) {
    for (let i = 0; i < calls + 50; i++) {
      const t0 = t();
      let started = 0;
      await pools[side].run(() => {
        started = t();
      });
      if (i >= 50) runToFn[side].push(started - t0);
    }
  }
  await state.close();
  redis.disconnect();
  return {
    accounts,
    acquireP50Ms: percentile(acquireMs, 50),
    acquireP99Ms: percentile(acquireMs, 99),
    acquireBytes: median(acquireBytes),
    runToFnP50Ms: { redis: percentile(runToFn.redis, 50), memory: percentile(runToFn.memory, 50) },
  };
}

const us = (ms) => `${Math.round(ms * 1000)} µs`;
const ms1 = (ms) => `${ms.toFixed(1)} ms`;

function rows(fleet, accounts) {
  const out = [];
  const first = fleet[0];
  const last = fleet[fleet.length - 1];
  for (const f of fleet) {
    const spreadOk =
      f.perWorker.min * 2 >= f.perWorker.median && f.perWorker.max <= 2 * f.perWorker.median;
    out.push({
      id: `fleetScale${f.workers}`,
      bench: BENCH,
      metric: `N = ${f.workers} workers (2 processes, 3 accounts × 4, fn 20 ms): runs/s; wait p50 / p99; Redis CPU, acquire scripts, messages per run; runs per worker min / median / max; most runs of one account at once`,
      credchain: `${f.runsPerSecond.toFixed(0)}/s; ${ms1(f.waitP50Ms)} / ${ms1(f.waitP99Ms)}; ${f.redisCpuPerRunUs.toFixed(0)} µs, ${f.acquireScriptsPerRun.toFixed(2)}, ${f.messagesPerRelease.toFixed(2)}; ${f.perWorker.min} / ${f.perWorker.median} / ${f.perWorker.max}; ${f.maxInFlight}`,
      other: `FIFO ideal wait ${ms1(Math.max(0, f.fifoIdealMs - HOLD_MS))}–${ms1(f.fifoIdealMs)}`,
      ratio: null,
      goal: `≤ 1.2 acquire, ≤ 1 message per run; workers within 2× of the median${f.workers === 50 ? '; p99 ≤ 3× ideal' : ''}; ≤ ${PLACES.capacity} at once`,
      met:
        f.maxInFlight <= PLACES.capacity &&
        f.acquireScriptsPerRun <= 1.2 &&
        f.messagesPerRelease <= 1 &&
        spreadOk &&
        (f.workers !== 50 || f.waitP99Ms <= 3 * f.fifoIdealMs),
    });
  }
  if (fleet.length > 1) {
    out.push({
      id: 'fleetScaleCpuGrowth',
      bench: BENCH,
      metric: `Redis CPU per run, N = ${last.workers} vs N = ${first.workers}`,
      credchain: `${last.redisCpuPerRunUs.toFixed(0)} µs`,
      other: `${first.redisCpuPerRunUs.toFixed(0)} µs`,
      ratio: first.redisCpuPerRunUs / last.redisCpuPerRunUs,
      goal: '≤ 2× N = 10',
      met: last.redisCpuPerRunUs <= 2 * first.redisCpuPerRunUs,
    });
  }
  for (const a of accounts) {
    out.push({
      id: `fleetScaleAccounts${a.accounts}`,
      bench: BENCH,
      metric: `${a.accounts} accounts: acquire p50 / p99 (bytes sent); run() → fn p50 Redis`,
      credchain: `${us(a.acquireP50Ms)} / ${us(a.acquireP99Ms)} (${a.acquireBytes} B); ${us(a.runToFnP50Ms.redis)}`,
      other: `memory run() → fn ${us(a.runToFnP50Ms.memory)}`,
      ratio: null,
      goal: 'report',
      met: null,
    });
  }
  if (accounts.length > 1) {
    const a0 = accounts[0];
    const aN = accounts[accounts.length - 1];
    out.push({
      id: 'fleetScaleAcquireGrowth',
      bench: BENCH,
      metric: `acquire p50, ${aN.accounts} accounts vs ${a0.accounts}`,
      credchain: us(aN.acquireP50Ms),
      other: us(a0.acquireP50Ms),
      ratio: a0.acquireP50Ms / aN.acquireP50Ms,
      goal: `≤ 1.5× ${a0.accounts} accounts`,
      met: aN.acquireP50Ms <= 1.5 * a0.acquireP50Ms,
    });
  }
  return out;
}

module.exports = async function fleetScale({ smoke }) {
  const missing = redisServerMissing();
  if (missing) return skippedWithoutRedis('fleet-scale', BENCH, 'fleetScaleSkipped', missing);
  const { startRedis } = require(path.join(FLEET_EXAMPLE, 'start-redis.js'));
  const Redis = require(require.resolve('ioredis', { paths: [REDIS_PACKAGE] }));
  const server = await startRedis();
  const admin = new Redis(server.url);
  const shas = scriptShas();
  const fleet = [];
  const accounts = [];
  try {
    for (const n of pick(smoke, [10, 50, 200], [4, 16])) {
      fleet.push(await fleetAt(n, pick(smoke, 5_000, 600), server.url, admin, shas));
    }
    for (const a of pick(smoke, [10, 100, 1000], [10, 100])) {
      accounts.push(await accountsAt(a, pick(smoke, 2_000, 50), server.url));
    }
  } finally {
    admin.disconnect();
    await server.stop();
  }
  return { details: { fleet, accounts }, rows: rows(fleet, accounts) };
};
