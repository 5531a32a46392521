/**
 * 5. Fail-fast off EC2: time to an error when instance metadata is
 *   - refused: a 127.0.0.1 port where nothing listens;
 *   - never answering: a 127.0.0.1 TCP server that accepts and stays silent.
 * credchain: `createCredentialChain({ env: { REMOTION_SKIP_AWS_CREDENTIALS_CHECK:
 * '1', HOME, AWS_EC2_METADATA_SERVICE_ENDPOINT } }).resolve()`; SDK:
 * `fromNodeProviderChain()()` with its defaults. Each side runs in its own
 * process whose whole environment is PATH, an empty HOME and the endpoint, so
 * neither can find real credentials and nothing but 127.0.0.1 is contacted.
 * The time is measured inside the child, from building the chain to its error.
 */
const fs = require('node:fs');
const path = require('node:path');
const {
  benchHome,
  controlledEnv,
  median,
  pairedRatio,
  pick,
  refusedEndpoint,
  rotate,
  startHangingServer,
  timedSpawnAsync,
} = require('../lib/common');

const CHILD = path.join(__dirname, '..', 'children', 'fail-fast-side.js');
const DESIGN_BUDGET_MS = 1_500;

async function runSide(side, endpoint, home) {
  const env = controlledEnv(home, { AWS_EC2_METADATA_SERVICE_ENDPOINT: endpoint });
  delete env.USERPROFILE;
  delete env.BENCH_HOME;
  // Asynchronous: the silent server in this process must accept meanwhile.
  const { stdout } = await timedSpawnAsync([CHILD, side], env, { timeoutMs: 30_000 });
  const result = JSON.parse(stdout.trim().split('\n').pop());
  if (result.resolved) throw new Error(`${side} unexpectedly resolved credentials`);
  return result;
}

module.exports = async function failFast({ smoke }) {
  const ownHome = !process.env.BENCH_HOME;
  const home = benchHome();
  const rounds = pick(smoke, 5, 1);
  const hanging = await startHangingServer();
  const scenarios = {
    refused: { endpoint: await refusedEndpoint() },
    hang: { endpoint: hanging.endpoint },
  };
  const sides = ['credchain', 'sdk'];
  try {
    for (const scenario of Object.values(scenarios)) {
      scenario.ms = { credchain: [], sdk: [] };
      scenario.sinceStart = { credchain: [], sdk: [] };
      scenario.errors = {};
      for (let round = 0; round < rounds; round++) {
        for (const side of rotate(sides, round)) {
          const accepted = hanging.accepted();
          const result = await runSide(side, scenario.endpoint, home);
          if (scenario === scenarios.hang) {
            // Proof that the side really asked the (loopback) metadata endpoint.
            scenario.connections = scenario.connections ?? { credchain: 0, sdk: 0 };
            scenario.connections[side] += hanging.accepted() - accepted;
          }
          scenario.ms[side].push(result.ms);
          scenario.sinceStart[side].push(result.sinceStartMs);
          scenario.errors[side] = result.error;
        }
      }
    }
  } finally {
    await hanging.stop();
    if (ownHome) fs.rmSync(home, { recursive: true, force: true });
  }

  const f = (v) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`);
  const details = { rounds, designBudgetMs: DESIGN_BUDGET_MS };
  const rows = [];
  for (const [name, scenario] of Object.entries(scenarios)) {
    const c = median(scenario.ms.credchain);
    const s = median(scenario.ms.sdk);
    const ratio = pairedRatio(scenario.ms.sdk, scenario.ms.credchain);
    const cStart = median(scenario.sinceStart.credchain);
    const sStart = median(scenario.sinceStart.sdk);
    const startRatio = pairedRatio(scenario.sinceStart.sdk, scenario.sinceStart.credchain);
    details[name] = {
      medianMs: { credchain: c, sdk: s },
      speedRatio: ratio,
      medianSinceProcessStartMs: { credchain: cStart, sdk: sStart },
      sinceProcessStartSpeedRatio: startRatio,
      samplesMs: scenario.ms,
      samplesSinceProcessStartMs: scenario.sinceStart,
      errors: scenario.errors,
      ...(scenario.connections ? { connectionsToSilentEndpoint: scenario.connections } : {}),
    };
    const id = name === 'hang' ? 'failFastSilent' : 'failFastRefused';
    rows.push({
      id,
      bench: '5 fail-fast off EC2',
      metric: `metadata ${name === 'hang' ? 'never answers' : 'refused'} → time to error`,
      credchain: f(c),
      other: `SDK ${f(s)}`,
      ratio,
      goal: `≤ ${DESIGN_BUDGET_MS / 1000} s (DESIGN)`,
      met: c <= DESIGN_BUDGET_MS,
    });
    rows.push({
      id: `${id}SinceProcessStart`,
      bench: '5 fail-fast off EC2',
      metric: 'same, counted from process start (incl. require) (info)',
      credchain: f(cStart),
      other: `SDK ${f(sStart)}`,
      ratio: startRatio,
      goal: '—',
      met: null,
    });
  }
  return { details, rows };
};
