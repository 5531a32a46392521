/**
 * Shared helpers of the benchmarks: paths, the smoke switch, statistics,
 * a controlled child environment and loopback-only servers.
 */
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const AWS_PACKAGE = path.join(ROOT, 'packages', 'aws');
const CORE_PACKAGE = path.join(ROOT, 'packages', 'core');

/** Fake keys: the benchmarks never sign anything with them. */
const FAKE = Object.freeze({
  accessKeyId: 'AKIAFAKEBENCH0000001',
  secretAccessKey: 'fakeBenchSecretKeyThatIsNotARealSecret01',
});

/** Smoke mode: `--smoke` or `BENCH_SMOKE=1` (tiny counts, never judged). */
function isSmoke(argv = process.argv) {
  return argv.includes('--smoke') || /^(1|true|yes)$/i.test(process.env.BENCH_SMOKE ?? '');
}

/** Picks the full or the smoke value. */
const pick = (smoke, full, small) => (smoke ? small : full);

function median(values) {
  const xs = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return Number.NaN;
  const mid = xs.length >> 1;
  return xs.length % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}

function percentile(values, p) {
  const xs = [...values].sort((a, b) => a - b);
  if (xs.length === 0) return Number.NaN;
  return xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
}

/** Median of per-round ratios a[i] / b[i] (paired, so drift cancels out). */
function pairedRatio(numerators, denominators) {
  return median(numerators.map((n, i) => n / denominators[i]));
}

/** Rotates `items` by `round`, so each side goes first in turn. */
function rotate(items, round) {
  const k = round % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const nowNs = () => process.hrtime.bigint();
const elapsedMs = (startNs) => Number(process.hrtime.bigint() - startNs) / 1e6;

/** An empty HOME for every child, so no real AWS config is ever found. */
function benchHome() {
  if (process.env.BENCH_HOME && fs.existsSync(process.env.BENCH_HOME)) {
    return process.env.BENCH_HOME;
  }
  return fs.mkdtempSync(path.join(os.tmpdir(), 'credchain-bench-home-'));
}

/**
 * The only variables a bench child gets. No container, web identity or
 * profile variables reach it; instance metadata points at a loopback port
 * where nothing listens, unless `extra` says otherwise.
 */
function controlledEnv(home, extra = {}) {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    USERPROFILE: home,
    AWS_EC2_METADATA_SERVICE_ENDPOINT: 'http://127.0.0.1:1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    BENCH_HOME: home,
  };
  if (process.env.TMPDIR) env.TMPDIR = process.env.TMPDIR;
  if (process.env.BENCH_SMOKE) env.BENCH_SMOKE = process.env.BENCH_SMOKE;
  // Where the consumer test caches the other runtimes (cold start reads them).
  for (const name of ['CREDCHAIN_RUNTIMES_CACHE', 'XDG_CACHE_HOME']) {
    if (process.env[name]) env[name] = process.env[name];
  }
  return { ...env, ...extra };
}

/** Refuses to run against a stale or missing build. */
function requireBuilt() {
  for (const pkg of [CORE_PACKAGE, AWS_PACKAGE]) {
    if (!fs.existsSync(path.join(pkg, 'dist', 'index.js'))) {
      throw new Error(
        `${path.relative(ROOT, pkg)}/dist is missing: run \`pnpm build\` (or \`pnpm bench\`, which builds first)`,
      );
    }
  }
}

/**
 * Runs `node …args` synchronously and returns its wall time in ms. Throws
 * when it fails (a benchmark that crashes must not report a number).
 */
function timedSpawn(args, env, { timeoutMs = 60_000, cwd = ROOT } = {}) {
  const start = nowNs();
  const result = spawnSync(process.execPath, args, {
    env,
    cwd,
    timeout: timeoutMs,
    encoding: 'utf8',
  });
  const ms = elapsedMs(start);
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(
      `node ${args.map((a) => (a.length > 60 ? `${a.slice(0, 60)}…` : a)).join(' ')} exited ${result.status ?? result.signal}: ${result.stderr.trim().slice(0, 800)}`,
    );
  }
  return { ms, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Like {@link timedSpawn}, but asynchronous: the parent's event loop keeps
 * running (its loopback servers must accept connections meanwhile).
 */
function timedSpawnAsync(args, env, { timeoutMs = 60_000, cwd = ROOT } = {}) {
  return new Promise((resolve, reject) => {
    const start = nowNs();
    const child = spawn(process.execPath, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const ms = elapsedMs(start);
      if (code === 0) resolve({ ms, stdout, stderr });
      else
        reject(
          new Error(
            `node ${args.join(' ')} exited ${code ?? signal}: ${stderr.trim().slice(0, 800)}`,
          ),
        );
    });
  });
}

/** A TCP server on 127.0.0.1 that accepts connections and never answers. */
async function startHangingServer() {
  const sockets = new Set();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    endpoint: `http://127.0.0.1:${server.address().port}`,
    accepted: () => accepted,
    stop: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A 127.0.0.1 port where nothing listens (bound, then closed). */
async function refusedEndpoint() {
  const server = net.createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  await new Promise((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

module.exports = {
  ROOT,
  AWS_PACKAGE,
  CORE_PACKAGE,
  FAKE,
  isSmoke,
  pick,
  median,
  percentile,
  pairedRatio,
  rotate,
  sleep,
  nowNs,
  elapsedMs,
  benchHome,
  controlledEnv,
  requireBuilt,
  timedSpawn,
  timedSpawnAsync,
  startHangingServer,
  refusedEndpoint,
};
