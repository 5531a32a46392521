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
 */
const path = require('node:path');
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
  // The goal, ours ÷ SDK ≤ 0.80, in this table's convention (SDK ÷ ours).
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
    ],
  };
};
