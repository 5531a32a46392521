/**
 * One process of the fleet-scale benchmark (forked by
 * `bench/benches/fleet-scale.js`): `pools` pools, each with its own ioredis
 * connection and `RedisPoolState` (a worker of the fleet), each running
 * `pool.run(fn)` in a loop, `fn` holding `holdMs`.
 *
 * IPC: the parent sends `{ config }`; this process answers `{ ready }` once
 * every pool has run once; then `{ go: durationMs }` starts the loops, and
 * the answer is `{ done: { runs, waits, spans, evalsha } }` (then
 * `{ close }` closes the pools and ends the process): runs per pool, the
 * wait of every run (ms from `run()` to the start of `fn`), every run's
 * `[account, start, end]` (epoch ms, the clock both processes share) and the EVALSHA
 * calls this process sent, by script SHA-1 (counted at ioredis's
 * `sendCommand`, so the parent can tell acquire from release).
 */
const path = require('node:path');
const { AWS_PACKAGE } = require('../lib/common');

const REDIS_PACKAGE = path.resolve(__dirname, '..', '..', 'packages', 'redis');
const Redis = require(require.resolve('ioredis', { paths: [REDIS_PACKAGE] }));

const evalsha = new Map();
const send = Redis.prototype.sendCommand;
Redis.prototype.sendCommand = function counted(command, ...rest) {
  if (command?.name === 'evalsha') {
    const sha = String(command.args[0]);
    evalsha.set(sha, (evalsha.get(sha) ?? 0) + 1);
  }
  return send.call(this, command, ...rest);
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const { AccountPool } = require(AWS_PACKAGE);
  const { RedisPoolState } = require(REDIS_PACKAGE);
  const config = await new Promise((resolve) => process.once('message', (m) => resolve(m.config)));
  const { redisUrl, namespace, pools, accounts, capacity, holdMs } = config;
  const env = {};
  for (let n = 1; n <= accounts; n++) {
    env[`AWS_KEY_${n}`] = `AKIAEXAMPLESCALE${String(n).padStart(4, '0')}`;
    env[`AWS_SECRET_${n}`] = `secret-scale-${n}-not-real`;
  }
  const clients = [];
  const states = [];
  const workers = [];
  for (let i = 0; i < pools; i++) {
    const redis = new Redis(redisUrl);
    const state = new RedisPoolState(redis, { namespace, leaseTtlMs: 30_000 });
    clients.push(redis);
    states.push(state);
    workers.push(AccountPool.fromEnv(env, { capacity, state }));
  }
  // Every pool once (connections, script loading, the layout registered).
  await Promise.all(workers.map((pool) => pool.run(() => undefined)));
  process.send({ ready: true });

  const durationMs = await new Promise((resolve) => process.once('message', (m) => resolve(m.go)));
  evalsha.clear();
  const deadline = performance.now() + durationMs;
  const runs = workers.map(() => 0);
  const waits = [];
  // Each run's account and its start and end on a clock both processes share (ms).
  const spans = [];
  const shared = () => performance.timeOrigin + performance.now();
  await Promise.all(
    workers.map(async (pool, i) => {
      while (performance.now() < deadline) {
        const called = performance.now();
        await pool.run(async ({ index }) => {
          waits.push(performance.now() - called);
          const start = shared();
          await sleep(holdMs);
          spans.push([index, start, shared()]);
        });
        runs[i]++;
      }
    }),
  );
  // Told before closing, so that the parent reads Redis's counters without the closes.
  const closing = new Promise((resolve) => process.once('message', resolve));
  process.send({ done: { runs, waits, spans, evalsha: Object.fromEntries(evalsha) } });
  await closing;
  await Promise.all(states.map((state) => state.close()));
  for (const redis of clients) redis.disconnect();
  process.disconnect();
}

main().catch((error) => {
  process.send?.({
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  process.exitCode = 1;
  process.disconnect?.();
});
