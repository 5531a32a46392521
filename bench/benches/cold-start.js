/**
 * 2. Cold start: wall time of a fresh `node -e` process that
 *   - credchain: requires `@credchain/aws` (packages/aws/dist) and resolves
 *     env credentials with `createCredentialChain().resolve()`;
 *   - SDK: requires `@aws-sdk/credential-providers` and resolves the same
 *     variables with `fromNodeProviderChain()()`;
 *   - the same two by ESM `import` (`--input-type=module`): ours through its
 *     `exports["."].import` entry (dist/index.mjs), the SDK's as Node resolves
 *     the package name for an ESM app;
 *   - DI: only `require('reflect-metadata'); require('tsyringe')` (info);
 *   - bare: `node -e 0`.
 * All get the same controlled environment (plain `AWS_ACCESS_KEY_ID` /
 * `AWS_SECRET_ACCESS_KEY`, empty HOME, metadata endpoint on a closed loopback
 * port) and no `NODE_EXTRA_CA_CERTS`: Node parses that bundle at every start
 * (~+100 ms on machines that set it), which would squeeze every ratio toward 1
 * although no side makes a TLS call. The order rotates every round; ratios
 * are paired per round, then the median.
 *
 * Then the same four (ours / SDK × require / import, as script files) on the
 * other runtimes the consumer test runs — Node 20, 22 and 24 (but the
 * machine's own line), Bun and Deno — taken from the cache the consumer
 * test fills (`~/.cache/credchain-runtimes`, see test/consumer/runtimes.ts).
 * This bench never downloads: a runtime not in the cache gets a row saying
 * so, and the bench works offline.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { pathToFileURL } = require('node:url');
const {
  AWS_PACKAGE,
  CORE_PACKAGE,
  FAKE,
  median,
  pairedRatio,
  pick,
  rotate,
  timedSpawn,
  elapsedMs,
  nowNs,
} = require('../lib/common');

const resolveFrom = (id, from) => require.resolve(id, { paths: [from] });

/** After resolving, optionally print which modules were loaded (diagnostics). */
const REPORT = `
if (process.env.BENCH_REPORT_MODULES) {
  const files = Object.keys(require.cache);
  const has = (s) => files.some((f) => f.includes(s));
  console.log(JSON.stringify({ modules: files.length, ini: has('credential-provider-ini'),
    imds: has('credential-provider-imds'), tsyringe: has('tsyringe'), sso: has('credential-provider-sso') }));
}`;

function scripts() {
  const sdkPath = resolveFrom('@aws-sdk/credential-providers', __dirname);
  const awsEsm = pathToFileURL(path.join(AWS_PACKAGE, 'dist', 'index.mjs')).href;
  const check = `if (c.accessKeyId !== ${JSON.stringify(FAKE.accessKeyId)}) process.exit(3);`;
  const fail = '(e) => { console.error(e); process.exit(4); }';
  return {
    credchain: `const { createCredentialChain } = require(${JSON.stringify(AWS_PACKAGE)});
createCredentialChain().resolve().then((c) => { ${check} ${REPORT} }, ${fail});`,
    sdk: `const { fromNodeProviderChain } = require(${JSON.stringify(sdkPath)});
fromNodeProviderChain()().then((c) => { ${check} ${REPORT} }, ${fail});`,
    credchainEsm: `import { createCredentialChain } from ${JSON.stringify(awsEsm)};
createCredentialChain().resolve().then((c) => { ${check} }, ${fail});`,
    // By package name, from the workspace root: what an ESM app's import gets.
    sdkEsm: `import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
fromNodeProviderChain()().then((c) => { ${check} }, ${fail});`,
    di: `require(${JSON.stringify(resolveFrom('reflect-metadata', CORE_PACKAGE))});
require(${JSON.stringify(resolveFrom('tsyringe', CORE_PACKAGE))});`,
    bare: '0',
    // Diagnostics (details only): where credchain's start-up time goes.
    breakdown: `const t = [performance.now()];
require(${JSON.stringify(resolveFrom('reflect-metadata', CORE_PACKAGE))}); t.push(performance.now());
require(${JSON.stringify(resolveFrom('tsyringe', CORE_PACKAGE))}); t.push(performance.now());
require(${JSON.stringify(CORE_PACKAGE)}); t.push(performance.now());
const { createCredentialChain } = require(${JSON.stringify(AWS_PACKAGE)}); t.push(performance.now());
const chain = createCredentialChain(); t.push(performance.now());
chain.resolve().then((c) => { ${check} t.push(performance.now());
  const names = ['nodeStartup', 'reflectMetadata', 'tsyringe', 'credchainCore', 'credchainAws', 'createChain', 'firstResolve'];
  console.log(JSON.stringify(Object.fromEntries(names.map((n, i) => [n, i === 0 ? t[0] : t[i] - t[i - 1]]))));
}, ${fail});`,
  };
}

/** The runtimes of the consumer test's matrix, and where its cache keeps each. */
const RUNTIMES = [
  { id: 'node20', kind: 'node', npm: 'node@20', line: '20' },
  { id: 'node22', kind: 'node', npm: 'node@22', line: '22' },
  { id: 'node24', kind: 'node', npm: 'node@24', line: '24' },
  { id: 'bun', kind: 'bun', npm: 'bun@1.4.4' },
  { id: 'deno', kind: 'deno', npm: 'deno@2.9' },
];

/** The consumer test's cache: `$CREDCHAIN_RUNTIMES_CACHE`, `$XDG_CACHE_HOME/…`, else the user's `~/.cache/…`. */
function runtimeCacheDir() {
  if (process.env.CREDCHAIN_RUNTIMES_CACHE) return process.env.CREDCHAIN_RUNTIMES_CACHE;
  // The bench's HOME is an empty temp folder: the real one comes from the user database.
  const cache = process.env.XDG_CACHE_HOME || path.join(os.userInfo().homedir, '.cache');
  return path.join(cache, 'credchain-runtimes');
}

/** A cached runtime (`<cache>/<npm spec>/bin/<kind>`, the link the consumer test makes) and its version. */
function cachedRuntime(spec, cacheDir) {
  const bin = path.join(cacheDir, spec.npm, 'bin', spec.kind);
  if (!fs.existsSync(bin)) return { ...spec, missing: `not in ${cacheDir}` };
  const result = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  const line = (result.stdout ?? '').trim().split('\n')[0] ?? '';
  if (result.status !== 0) return { ...spec, missing: `${bin} --version failed` };
  const version = spec.kind === 'deno' ? line.split(' ')[1] : line;
  return { ...spec, bin, version };
}

/** Ours and the SDK's, by require and by import, as files any runtime runs. */
function writeRuntimeScripts(dir, check, fail) {
  const sdkPath = resolveFrom('@aws-sdk/credential-providers', __dirname);
  const awsEsm = pathToFileURL(path.join(AWS_PACKAGE, 'dist', 'index.mjs')).href;
  const files = {
    'ours.cjs': `const { createCredentialChain } = require(${JSON.stringify(AWS_PACKAGE)});
createCredentialChain().resolve().then((c) => { ${check} }, ${fail});`,
    'sdk.cjs': `const { fromNodeProviderChain } = require(${JSON.stringify(sdkPath)});
fromNodeProviderChain()().then((c) => { ${check} }, ${fail});`,
    'ours.mjs': `import { createCredentialChain } from ${JSON.stringify(awsEsm)};
createCredentialChain().resolve().then((c) => { ${check} }, ${fail});`,
    // By package name, from inside the workspace: what an ESM app's import gets.
    'sdk.mjs': `import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
fromNodeProviderChain()().then((c) => { ${check} }, ${fail});`,
  };
  for (const [name, code] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), code);
}

/** Paired cold starts of the four scripts on one runtime; ratios ours ÷ SDK. */
function measureRuntime(runtime, dir, env, rounds) {
  const sides = ['ours.cjs', 'sdk.cjs', 'ours.mjs', 'sdk.mjs'];
  const once = (file) => {
    const args = runtime.kind === 'deno' ? ['run', '-A', file] : [file];
    const start = nowNs();
    const result = spawnSync(runtime.bin, args, {
      cwd: dir,
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    const ms = elapsedMs(start);
    if (result.status !== 0) {
      throw new Error(
        `${runtime.id} ${file} exited ${result.status ?? result.signal}: ${(result.stderr ?? '').slice(0, 800)}`,
      );
    }
    return ms;
  };
  for (const side of sides) once(side);
  const ms = Object.fromEntries(sides.map((s) => [s, []]));
  for (let round = 0; round < rounds; round++) {
    for (const side of rotate(sides, round)) ms[side].push(once(side));
  }
  return {
    version: runtime.version,
    medianMs: Object.fromEntries(sides.map((s) => [s, median(ms[s])])),
    oursOverSdk: {
      cjs: pairedRatio(ms['ours.cjs'], ms['sdk.cjs']),
      esm: pairedRatio(ms['ours.mjs'], ms['sdk.mjs']),
    },
    samplesMs: ms,
  };
}

/** The rows (and details) of the other runtimes. */
function runtimeRows(smoke, env, check, fail) {
  const machineLine = process.versions.node.split('.')[0];
  const cacheDir = runtimeCacheDir();
  const { version: sdkVersion } = require(
    resolveFrom('@aws-sdk/credential-providers/package.json', __dirname),
  );
  // Inside the repository (the scripts resolve its packages); bench/results
  // does not exist yet in a fresh clone.
  const results = path.join(__dirname, '..', 'results');
  fs.mkdirSync(results, { recursive: true });
  const dir = fs.mkdtempSync(path.join(results, '.cold-start-'));
  const rows = [];
  const details = {};
  try {
    writeRuntimeScripts(dir, check, fail);
    for (const spec of RUNTIMES.filter((r) => r.line !== machineLine)) {
      const runtime = cachedRuntime(spec, cacheDir);
      if (runtime.missing) {
        details[spec.id] = { missing: runtime.missing };
        rows.push({
          id: `coldStartRuntime.${spec.id}`,
          bench: '2 cold start',
          metric: `${spec.id}: not measured, not cached (${runtime.missing}); \`pnpm test\` installs it (its consumer test)`,
          credchain: '—',
          other: '—',
          ratio: null,
          goal: '—',
          met: null,
        });
        continue;
      }
      const measured = measureRuntime(runtime, dir, env, pick(smoke, 9, 2));
      details[spec.id] = measured;
      const goal = spec.kind === 'node' ? 0.8 : 1.0;
      for (const [format, label] of [
        ['cjs', 'require'],
        ['esm', 'import'],
      ]) {
        const oursOverSdk = measured.oursOverSdk[format];
        const ext = format === 'cjs' ? 'cjs' : 'mjs';
        rows.push({
          id: `coldStart${format === 'cjs' ? '' : 'Esm'}.${spec.id}`,
          bench: '2 cold start',
          metric: `${spec.kind === 'node' ? 'node ' : `${spec.kind} `}${runtime.version}: ${label} + resolve (ours ÷ SDK ${sdkVersion} = ${oursOverSdk.toFixed(2)})`,
          credchain: `${measured.medianMs[`ours.${ext}`].toFixed(1)} ms`,
          other: `SDK ${measured.medianMs[`sdk.${ext}`].toFixed(1)} ms`,
          ratio: 1 / oursOverSdk,
          goal: `≥ ${(1 / goal).toFixed(2)} (ours ÷ SDK ≤ ${goal.toFixed(2)})`,
          met: oursOverSdk <= goal,
        });
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { rows, details: { cacheDir, sdkVersion, runtimes: details } };
}

module.exports = async function coldStart({ smoke }) {
  const code = scripts();
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: FAKE.accessKeyId,
    AWS_SECRET_ACCESS_KEY: FAKE.secretAccessKey,
  };
  delete env.NODE_EXTRA_CA_CERTS;
  const sides = ['credchain', 'sdk', 'credchainEsm', 'sdkEsm', 'di', 'bare'];
  const argsOf = (side) =>
    side.endsWith('Esm') ? ['--input-type=module', '-e', code[side]] : ['-e', code[side]];
  const ms = Object.fromEntries(sides.map((s) => [s, []]));
  const rounds = pick(smoke, 15, 3);

  // One untimed round first: fills the OS file cache for every side.
  for (const side of sides) timedSpawn(argsOf(side), env);
  for (let round = 0; round < rounds; round++) {
    for (const side of rotate(sides, round)) ms[side].push(timedSpawn(argsOf(side), env).ms);
  }

  const phases = [];
  for (let i = 0; i < pick(smoke, 5, 1); i++) {
    phases.push(JSON.parse(timedSpawn(['-e', code.breakdown], env).stdout.trim()));
  }
  const breakdownMs = Object.fromEntries(
    Object.keys(phases[0]).map((k) => [k, median(phases.map((p) => p[k]))]),
  );

  const modules = {};
  for (const side of ['credchain', 'sdk']) {
    const out = timedSpawn(['-e', code[side]], { ...env, BENCH_REPORT_MODULES: '1' }).stdout;
    modules[side] = JSON.parse(out.trim().split('\n').pop());
  }

  const check = `if (c.accessKeyId !== ${JSON.stringify(FAKE.accessKeyId)}) process.exit(3);`;
  const fail = '(e) => { console.error(e); process.exit(4); }';
  const other = runtimeRows(smoke, { ...env, NO_COLOR: '1', DENO_NO_PROMPT: '1' }, check, fail);

  const med = Object.fromEntries(sides.map((s) => [s, median(ms[s])]));
  const overhead = (side) => ms[side].map((t, i) => t - ms.bare[i]);
  const credchainOverhead = median(overhead('credchain'));
  const sdkOverhead = median(overhead('sdk'));
  const diOverhead = median(overhead('di'));
  const speed = pairedRatio(ms.sdk, ms.credchain);
  const timeRatio = pairedRatio(ms.credchain, ms.sdk);
  const esmSpeed = pairedRatio(ms.sdkEsm, ms.credchainEsm);
  const esmTimeRatio = pairedRatio(ms.credchainEsm, ms.sdkEsm);
  // Ours by import ÷ ours by require: what an ESM user pays over a CJS user.
  const esmGap = pairedRatio(ms.credchainEsm, ms.credchain);
  const sdkEsmGap = pairedRatio(ms.sdkEsm, ms.sdk);
  // The issue's goal, ours ÷ SDK ≤ 0.80, in this table's convention (SDK ÷ ours).
  const GOAL = 1 / 0.8;
  const overheadSpeed = sdkOverhead / credchainOverhead;
  const f = (v) => `${v.toFixed(1)} ms`;

  return {
    details: {
      rounds,
      medianMs: med,
      overheadAboveBareMs: { credchain: credchainOverhead, sdk: sdkOverhead, di: diOverhead },
      speedRatio: speed,
      timeRatioCredchainOverSdk: timeRatio,
      esm: {
        speedRatio: esmSpeed,
        timeRatioCredchainOverSdk: esmTimeRatio,
        credchainImportOverRequire: esmGap,
        sdkImportOverRequire: sdkEsmGap,
      },
      nodeExtraCaCerts: 'unset',
      overheadSpeedRatio: overheadSpeed,
      modulesLoaded: modules,
      credchainBreakdownMs: breakdownMs,
      samplesMs: ms,
      otherRuntimes: other.details,
    },
    rows: [
      {
        id: 'coldStart',
        bench: '2 cold start',
        metric: `require + resolve env creds (wall; ours ÷ SDK = ${timeRatio.toFixed(2)})`,
        credchain: f(med.credchain),
        other: `SDK ${f(med.sdk)}`,
        ratio: speed,
        goal: '≥ 1.25 (ours ÷ SDK ≤ 0.80)',
        met: speed >= GOAL,
      },
      {
        id: 'coldStartEsm',
        bench: '2 cold start',
        metric: `import + resolve env creds (wall; ours ÷ SDK = ${esmTimeRatio.toFixed(2)})`,
        credchain: f(med.credchainEsm),
        other: `SDK ${f(med.sdkEsm)}`,
        ratio: esmSpeed,
        goal: '≥ 1.25 (ours ÷ SDK ≤ 0.80)',
        met: esmSpeed >= GOAL,
      },
      {
        id: 'coldStartEsmGap',
        bench: '2 cold start',
        metric: `ESM vs CJS: ours by import ÷ by require (SDK: ${sdkEsmGap.toFixed(2)}) (info)`,
        credchain: `${esmGap.toFixed(2)}×`,
        other: `SDK ${sdkEsmGap.toFixed(2)}×`,
        ratio: null,
        goal: '—',
        met: null,
      },
      {
        id: 'coldStartOverheadAboveBare',
        bench: '2 cold start',
        metric: `overhead above bare node (${f(med.bare)})`,
        credchain: `+${f(credchainOverhead)}`,
        other: `SDK +${f(sdkOverhead)}`,
        ratio: overheadSpeed,
        goal: '—',
        met: null,
      },
      {
        id: 'coldStartDiOverhead',
        bench: '2 cold start',
        metric: 'of which reflect-metadata + tsyringe (info)',
        credchain: `+${f(diOverhead)}`,
        other: '—',
        ratio: null,
        goal: '—',
        met: null,
      },
      ...other.rows,
    ],
  };
};
