/**
 * 9. Role cache: role sessions shared across processes through the AWS CLI's
 * cache (`~/.aws/cli/cache`). A role profile (`role_arn` + `source_profile`)
 * against a loopback STS that answers AssumeRole after 300 ms.
 *   - STS calls for 3 sequential and 8 concurrent runs on a cold cache:
 *     `credchain exec -- true` vs a process resolving the same profile with
 *     the SDK's `fromIni` (no cross-process cache).
 *   - Wall time of `credchain exec -- true` with the session cached vs
 *     `credchain --no-role-cache exec -- true` (one AssumeRole each run).
 * Each scenario gets its own empty HOME, so every cache starts cold.
 */
const fs = require('node:fs');
const path = require('node:path');
const {
  ROOT,
  benchHome,
  controlledEnv,
  median,
  pairedRatio,
  pick,
  rotate,
  timedSpawnAsync,
} = require('../lib/common');
const { startLoopbackSts } = require('../lib/loopback-sts');

const CLI = path.join(ROOT, 'packages', 'cli', 'bin', 'credchain.js');
const SDK_CHILD = path.join(__dirname, '..', 'children', 'sdk-assume-role.js');
const STS_DELAY_MS = 300;

/** A fresh HOME with a role profile whose source is a static key pair. */
function roleHome(parent, name, stsUrl) {
  const home = path.join(parent, name);
  fs.mkdirSync(path.join(home, '.aws'), { recursive: true });
  fs.writeFileSync(
    path.join(home, '.aws', 'credentials'),
    '[base]\naws_access_key_id = AKIAFAKEBENCH0000001\naws_secret_access_key = fakeBenchSecretKeyThatIsNotARealSecret01\n',
    { mode: 0o600 },
  );
  fs.writeFileSync(
    path.join(home, '.aws', 'config'),
    '[profile role]\nrole_arn = arn:aws:iam::123456789012:role/credchain-bench\nsource_profile = base\n',
    { mode: 0o600 },
  );
  const env = controlledEnv(home, {
    AWS_PROFILE: 'role',
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_STS: stsUrl,
  });
  delete env.BENCH_HOME;
  return env;
}

const credchainExec = (env, flags = []) =>
  timedSpawnAsync(['--', CLI, ...flags, 'exec', '--', 'true'], env, { timeoutMs: 60_000 });
const sdkResolve = (env) => timedSpawnAsync([SDK_CHILD], env, { timeoutMs: 60_000 });

/** AssumeRole calls made by `run` (sequential or concurrent), on a fresh HOME. */
async function countCalls(sts, parent, name, run) {
  const env = roleHome(parent, name, sts.url);
  const before = sts.assumeRoleCalls();
  await run(env);
  return sts.assumeRoleCalls() - before;
}

module.exports = async function roleCache({ smoke }) {
  if (!fs.existsSync(path.join(ROOT, 'packages', 'cli', 'dist', 'run.js'))) {
    throw new Error('packages/cli/dist is missing: run `pnpm build` (or `pnpm bench`)');
  }
  const ownHome = !process.env.BENCH_HOME;
  const parent = fs.mkdtempSync(path.join(benchHome(), 'role-cache-'));
  const sts = await startLoopbackSts({ delayMs: STS_DELAY_MS });
  // Smoke: fewer processes, and no SDK side (it only proves the bench runs).
  const rounds = pick(smoke, 7, 1);
  const SEQUENTIAL = pick(smoke, 3, 2);
  const CONCURRENT = pick(smoke, 8, 2);
  const calls = {};
  const ms = { cached: [], sts: [] };
  try {
    const sequential = async (start) => {
      for (let i = 0; i < SEQUENTIAL; i++) await start();
    };
    const concurrent = (start) => Promise.all(Array.from({ length: CONCURRENT }, start));
    calls.credchainSequential = await countCalls(sts, parent, 'c-seq', (env) =>
      sequential(() => credchainExec(env)),
    );
    calls.sdkSequential = smoke
      ? Number.NaN
      : await countCalls(sts, parent, 's-seq', (env) => sequential(() => sdkResolve(env)));
    calls.credchainConcurrent = await countCalls(sts, parent, 'c-con', (env) =>
      concurrent(() => credchainExec(env)),
    );
    calls.sdkConcurrent = smoke
      ? Number.NaN
      : await countCalls(sts, parent, 's-con', (env) => concurrent(() => sdkResolve(env)));

    // Timing: one HOME whose cache is warm (one run fills it), and runs that
    // bypass it; the order alternates each round.
    const env = roleHome(parent, 'timing', sts.url);
    await credchainExec(env);
    for (let round = 0; round < rounds; round++) {
      for (const side of rotate(['cached', 'sts'], round)) {
        const { ms: took } = await credchainExec(env, side === 'sts' ? ['--no-role-cache'] : []);
        ms[side].push(took);
      }
    }
  } finally {
    await sts.stop();
    fs.rmSync(parent, { recursive: true, force: true });
    if (ownHome) fs.rmSync(path.dirname(parent), { recursive: true, force: true });
  }

  const f = (v) => `${v.toFixed(0)} ms`;
  const speed = pairedRatio(ms.sts, ms.cached);
  return {
    details: { stsDelayMs: STS_DELAY_MS, rounds, assumeRoleCalls: calls, execMs: ms },
    rows: [
      {
        id: 'roleCacheSequentialCalls',
        bench: '9 role cache',
        metric: `${SEQUENTIAL} sequential runs of a role profile → AssumeRole calls`,
        credchain: `${calls.credchainSequential} (credchain exec)`,
        other: smoke ? 'SDK not run (smoke)' : `SDK fromIni ${calls.sdkSequential}`,
        ratio: calls.sdkSequential / calls.credchainSequential,
        goal: '= 1',
        met: calls.credchainSequential === 1,
      },
      {
        id: 'roleCacheConcurrentCalls',
        bench: '9 role cache',
        metric: `${CONCURRENT} concurrent runs on a cold cache → AssumeRole calls`,
        credchain: `${calls.credchainConcurrent} (credchain exec)`,
        other: smoke ? 'SDK not run (smoke)' : `SDK fromIni ${calls.sdkConcurrent}`,
        ratio: calls.sdkConcurrent / calls.credchainConcurrent,
        goal: '= 1',
        met: calls.credchainConcurrent === 1,
      },
      {
        id: 'roleCacheExecTime',
        bench: '9 role cache',
        metric: `credchain exec -- true: session cached vs --no-role-cache (STS ${STS_DELAY_MS} ms)`,
        credchain: f(median(ms.cached)),
        other: `no cache ${f(median(ms.sts))}`,
        ratio: speed,
        goal: '—',
        met: null,
      },
    ],
  };
};
