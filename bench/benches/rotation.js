/**
 * 7. Rotation that reacts, against the Lambda-like server of test/support
 * (127.0.0.1; verifies SigV4, so it knows which account signed; runs at most
 * `limit` invocations per account and answers the next with Lambda's own
 * 429 "Rate Exceeded."). Every Lambda client has `maxAttempts: 1`, so a
 * throttled invocation is counted, not hidden by SDK retries.
 *
 *   a. Burst: 60 invocations at once over 3 accounts, limit 4 each, 150 ms
 *      per invocation. credchain: `pool.run` with `capacity: 4`; reference:
 *      a random account per call + `applyToEnv` (the reference system's
 *      documented pattern). Throttled calls and makespan of each.
 *   b. One account always throttling, 30 calls (3 workers taking jobs one
 *      after another): calls that succeed and requests sent to the bad
 *      account; credchain `pool.run` vs the reference's random pick. Info:
 *      the same 30 calls started all at once.
 *   c. Overhead: `pool.run(noop)` vs `withAccount(n, noop)`, ns per awaited call.
 */
const path = require('node:path');
const { AWS_PACKAGE, ROOT, median, pairedRatio, pick, rotate } = require('../lib/common');

const ACCOUNTS = [1, 2, 3].map((n) => ({
  accessKeyId: `AKIAFAKEBENCHROT000${n}`,
  secretAccessKey: `fake-bench-rotation-secret-${n}`,
}));

function poolEnv() {
  const env = {
    HOME: '/nonexistent-credchain-bench-home',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent-credchain-bench-home/credentials',
    AWS_CONFIG_FILE: '/nonexistent-credchain-bench-home/config',
  };
  ACCOUNTS.forEach((a, i) => {
    env[`AWS_KEY_${i + 1}`] = a.accessKeyId;
    env[`AWS_SECRET_${i + 1}`] = a.secretAccessKey;
  });
  return env;
}

module.exports = async function rotation({ smoke }) {
  const { InvokeCommand, LambdaClient } = require('@aws-sdk/client-lambda');
  const { AccountPool, AwsClientCache } = require(AWS_PACKAGE);
  const loadSupport = require(path.join(ROOT, 'test', 'support', 'load-support.js'));
  const { startLambdaServer } = loadSupport('lambda-server');

  const BURST = pick(smoke, 60, 12);
  const LIMIT = 4;
  const CALL_MS = pick(smoke, 150, 20);
  const BAD_CALLS = 30;
  const rounds = pick(smoke, 5, 1);

  const server = await startLambdaServer({ accounts: ACCOUNTS, concurrencyLimit: LIMIT });
  const clientCaches = [];
  try {
    /** One invocation through a client cache on `env`: it signs as the account in scope. */
    const invoker = (env) => {
      const clients = new AwsClientCache({ env });
      clientCaches.push(clients);
      return (durationMs) =>
        clients
          .get(LambdaClient, { region: 'us-east-1', endpoint: server.url, maxAttempts: 1 })
          .send(
            new InvokeCommand({
              FunctionName: 'render',
              Payload: Buffer.from(JSON.stringify({ durationMs })),
            }),
          );
    };
    const settle = async (calls) => {
      const start = process.hrtime.bigint();
      const outcomes = await Promise.allSettled(calls());
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const failed = outcomes.filter((o) => o.status === 'rejected');
      const other = failed.find((o) => o.reason?.name !== 'TooManyRequestsException');
      if (other) throw other.reason;
      return { ms, ok: outcomes.length - failed.length, throttled: failed.length };
    };

    // a. Burst.
    const burstSides = {
      credchain: () => {
        const env = poolEnv();
        const pool = AccountPool.fromEnv(env, { capacity: LIMIT });
        const invoke = invoker(env);
        return () => Array.from({ length: BURST }, () => pool.run(() => invoke(CALL_MS)));
      },
      reference: () => {
        const env = poolEnv();
        const pool = AccountPool.fromEnv(env);
        const invoke = invoker(env);
        return () =>
          Array.from({ length: BURST }, () => {
            pool.applyToEnv(pool.pick('random'), env);
            return invoke(CALL_MS);
          });
      },
    };
    const burst = { credchain: [], reference: [] };
    for (const side of Object.keys(burstSides)) await settle(burstSides[side]()); // warm-up
    for (let round = 0; round < rounds; round++) {
      for (const side of rotate(Object.keys(burstSides), round)) {
        server.reset();
        const result = await settle(burstSides[side]());
        const stats = server.stats();
        result.maxConcurrent = Math.max(...Object.values(stats).map((s) => s.maxConcurrent));
        burst[side].push(result);
      }
    }

    // b. One account always throttling.
    const bad = ACCOUNTS[1].accessKeyId;
    server.throttleAlways([bad]);
    const workers = (run) => async () => {
      const jobs = Array.from({ length: BAD_CALLS }, (_, i) => i);
      const outcomes = [];
      await Promise.all(
        [0, 1, 2].map(async () => {
          for (let job = jobs.shift(); job !== undefined; job = jobs.shift()) {
            outcomes.push(
              await run().then(
                () => true,
                (error) => {
                  if (error?.name !== 'TooManyRequestsException') throw error;
                  return false;
                },
              ),
            );
          }
        }),
      );
      return outcomes;
    };
    const badSides = {
      credchain: () => {
        const env = poolEnv();
        const pool = AccountPool.fromEnv(env, { capacity: LIMIT });
        const invoke = invoker(env);
        return workers(() => pool.run(() => invoke(1)));
      },
      reference: () => {
        const env = poolEnv();
        const pool = AccountPool.fromEnv(env);
        const invoke = invoker(env);
        return workers(() => {
          pool.applyToEnv(pool.pick('random'), env);
          return invoke(1);
        });
      },
      credchainAllAtOnce: () => {
        const env = poolEnv();
        const pool = AccountPool.fromEnv(env, { capacity: LIMIT });
        const invoke = invoker(env);
        return async () =>
          (
            await Promise.allSettled(
              Array.from({ length: BAD_CALLS }, () => pool.run(() => invoke(1))),
            )
          ).map((o) => o.status === 'fulfilled');
      },
    };
    const badAccount = { credchain: [], reference: [], credchainAllAtOnce: [] };
    for (let round = 0; round < rounds; round++) {
      for (const side of rotate(Object.keys(badSides), round)) {
        server.reset();
        const outcomes = await badSides[side]()();
        badAccount[side].push({
          successRate: outcomes.filter(Boolean).length / outcomes.length,
          badRequests: server.stats()[bad]?.throttled ?? 0,
        });
      }
    }
    server.throttleAlways([]);

    // c. Overhead of pool.run around a no-op.
    const env = poolEnv();
    const pool = AccountPool.fromEnv(env, { capacity: 1000 });
    const noop = async () => {};
    const N = pick(smoke, 50_000, 2_000);
    const loops = {
      run: async () => {
        for (let i = 0; i < N; i++) await pool.run(noop);
      },
      withAccount: async () => {
        for (let i = 0; i < N; i++) await pool.withAccount((i % 3) + 1, noop);
      },
    };
    const ns = { run: [], withAccount: [] };
    for (const id of Object.keys(loops)) await loops[id](); // warm-up
    const overheadRounds = pick(smoke, 7, 1);
    for (let round = 0; round < overheadRounds; round++) {
      for (const id of rotate(Object.keys(loops), round)) {
        const start = process.hrtime.bigint();
        await loops[id]();
        ns[id].push(Number(process.hrtime.bigint() - start) / N);
      }
    }

    const med = (xs, key) => median(xs.map((x) => x[key]));
    const maxOf = (xs, key) => Math.max(...xs.map((x) => x[key]));
    const pct = (v) => `${(v * 100).toFixed(0)} %`;
    const runNs = median(ns.run);
    const withNs = median(ns.withAccount);
    return {
      details: {
        burst: { invocations: BURST, accounts: 3, limit: LIMIT, callMs: CALL_MS, rounds, burst },
        badAccount: { calls: BAD_CALLS, workers: 3, rounds, badAccount },
        overhead: { n: N, rounds: overheadRounds, nsPerCall: ns },
      },
      rows: [
        {
          id: 'rotationBurstThrottles',
          bench: '7 rotation',
          metric: `burst of ${BURST} over 3 accounts × limit ${LIMIT}, ${CALL_MS} ms each → throttled calls (max of ${rounds})`,
          credchain: `${maxOf(burst.credchain, 'throttled')} (pool.run, capacity ${LIMIT})`,
          other: `random + applyToEnv ${med(burst.reference, 'throttled')} (median)`,
          ratio: null,
          goal: '= 0',
          met: maxOf(burst.credchain, 'throttled') === 0,
        },
        {
          id: 'rotationBurstMakespan',
          bench: '7 rotation',
          metric: `burst of ${BURST}: makespan (median), calls done`,
          credchain: `${med(burst.credchain, 'ms').toFixed(0)} ms, ${med(burst.credchain, 'ok')} done`,
          other: `${med(burst.reference, 'ms').toFixed(0)} ms, ${med(burst.reference, 'ok')} done`,
          ratio: null,
          goal: '—',
          met: null,
        },
        {
          id: 'rotationBadAccountSuccess',
          bench: '7 rotation',
          metric: `one account always throttling, ${BAD_CALLS} calls (3 workers) → calls that succeed (min)`,
          credchain: pct(Math.min(...badAccount.credchain.map((x) => x.successRate))),
          other: `random + applyToEnv ${pct(med(badAccount.reference, 'successRate'))}`,
          ratio: null,
          goal: '100 %',
          met: badAccount.credchain.every((x) => x.successRate === 1),
        },
        {
          id: 'rotationBadAccountRequests',
          bench: '7 rotation',
          metric: `one account always throttling → requests to it per ${BAD_CALLS} calls (max)`,
          credchain: `${maxOf(badAccount.credchain, 'badRequests')} (all ${BAD_CALLS} at once: ${maxOf(badAccount.credchainAllAtOnce, 'badRequests')})`,
          other: `random + applyToEnv ${med(badAccount.reference, 'badRequests')}`,
          ratio: null,
          goal: '≤ 3',
          met: maxOf(badAccount.credchain, 'badRequests') <= 3,
        },
        {
          id: 'rotationRunOverhead',
          bench: '7 rotation',
          metric: 'pool.run(noop) vs withAccount(n, noop), ns per awaited call',
          credchain: `${runNs.toFixed(0)} ns (+${(runNs - withNs).toFixed(0)} ns)`,
          other: `withAccount ${withNs.toFixed(0)} ns`,
          ratio: pairedRatio(ns.withAccount, ns.run),
          goal: '—',
          met: null,
        },
      ],
    };
  } finally {
    for (const clients of clientCaches) clients.clear();
    await server.stop();
  }
};
