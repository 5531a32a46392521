/**
 * 1. Warm resolve: ns per awaited call of
 *   - credchain: `createCredentialChain({ env: { REMOTION_AWS_… } }).resolve()`
 *   - credchain (process.env): `createCredentialChain().resolve()` reading `process.env`
 *   - SDK: `memoize(fromEnv())` with the plain `AWS_…` variables in `process.env`
 *   - floor: `Promise.resolve(obj)` (the floor: one new promise per call)
 *   - stored promise: the same resolved promise every call (details only)
 * Each side is measured by its own loop function (so every call site stays
 * monomorphic), in batches of N awaits, alternating the sides each round.
 */
const { AWS_PACKAGE, FAKE, median, pairedRatio, pick, rotate } = require('../lib/common');

/** A fresh `async` loop of `n` awaits of `fn()` (its own feedback, per side). */
function makeLoop() {
  // `new Function`: one distinct function per side, so each call site keeps its own feedback.
  return new Function(
    'fn',
    'n',
    'return (async () => { let last; for (let i = 0; i < n; i++) last = await fn(); return last; })();',
  );
}

async function timeBatch(loop, fn, n) {
  const start = process.hrtime.bigint();
  const last = await loop(fn, n);
  const ns = Number(process.hrtime.bigint() - start) / n;
  if (last?.accessKeyId !== FAKE.accessKeyId) throw new Error('a side resolved the wrong value');
  return ns;
}

module.exports = async function warmResolve({ smoke }) {
  const { createCredentialChain } = require(AWS_PACKAGE);
  const { fromEnv } = require('@aws-sdk/credential-providers');
  const { memoize } = require('@smithy/property-provider');

  // The SDK reads the plain variables from process.env; fake keys only.
  process.env.AWS_ACCESS_KEY_ID = FAKE.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = FAKE.secretAccessKey;
  // The process.env variant of credchain resolves the same plain pair (link `env`).

  const chain = createCredentialChain({
    env: {
      REMOTION_AWS_ACCESS_KEY_ID: FAKE.accessKeyId,
      REMOTION_AWS_SECRET_ACCESS_KEY: FAKE.secretAccessKey,
    },
  });
  const processChain = createCredentialChain();
  const sdk = memoize(fromEnv());
  const floorValue = { accessKeyId: FAKE.accessKeyId, secretAccessKey: FAKE.secretAccessKey };
  const storedPromise = Promise.resolve(floorValue);

  const sides = [
    { id: 'credchain', fn: () => chain.resolve(), loop: makeLoop(), ns: [] },
    { id: 'credchainProcessEnv', fn: () => processChain.resolve(), loop: makeLoop(), ns: [] },
    { id: 'sdk', fn: () => sdk(), loop: makeLoop(), ns: [] },
    { id: 'floor', fn: () => Promise.resolve(floorValue), loop: makeLoop(), ns: [] },
    // Not in the table: the true lower bound (no allocation per call).
    { id: 'storedPromise', fn: () => storedPromise, loop: makeLoop(), ns: [] },
  ];
  const n = pick(smoke, 200_000, 5_000);
  const rounds = pick(smoke, 21, 3);
  const warmup = pick(smoke, 3, 1);

  for (let round = 0; round < warmup; round++) {
    for (const side of sides) await timeBatch(side.loop, side.fn, n);
  }
  for (let round = 0; round < rounds; round++) {
    for (const side of rotate(sides, round)) side.ns.push(await timeBatch(side.loop, side.fn, n));
  }

  const by = Object.fromEntries(sides.map((s) => [s.id, s]));
  const med = (id) => median(by[id].ns);
  const vsSdk = pairedRatio(by.sdk.ns, by.credchain.ns);
  const vsFloor = pairedRatio(by.floor.ns, by.credchain.ns);
  const processVsSdk = pairedRatio(by.sdk.ns, by.credchainProcessEnv.ns);
  const ns = (v) => `${v.toFixed(1)} ns/call`;

  return {
    details: {
      callsPerBatch: n,
      rounds,
      medianNsPerCall: Object.fromEntries(sides.map((s) => [s.id, med(s.id)])),
      speedRatioVsSdk: vsSdk,
      speedRatioVsFloor: vsFloor,
      processEnvSpeedRatioVsSdk: processVsSdk,
    },
    rows: [
      {
        id: 'warmResolveVsSdk',
        bench: '1 warm resolve',
        metric: 'resolve() vs SDK memoize(fromEnv())',
        credchain: ns(med('credchain')),
        other: `SDK ${ns(med('sdk'))}`,
        ratio: vsSdk,
        goal: '≥ 1.0',
        met: vsSdk >= 1.0,
      },
      {
        id: 'warmResolveVsFloor',
        bench: '1 warm resolve',
        metric: 'resolve() vs floor Promise.resolve(obj)',
        credchain: ns(med('credchain')),
        other: `floor ${ns(med('floor'))}`,
        ratio: vsFloor,
        goal: '≥ 0.5',
        met: vsFloor >= 0.5,
      },
      {
        id: 'warmResolveProcessEnvVsSdk',
        bench: '1 warm resolve',
        metric: 'createCredentialChain() on process.env vs SDK (info)',
        credchain: ns(med('credchainProcessEnv')),
        other: `SDK ${ns(med('sdk'))}`,
        ratio: processVsSdk,
        goal: '—',
        met: null,
      },
    ],
  };
};
