/**
 * 4. Refresh under load, in real time: a provider with 100 ms latency returns
 * credentials that live 1 s, so several refreshes fall inside the 3 s run.
 * Every ~1 ms (a bounded loop of `await sleep(1)`) one call goes to each side,
 * in alternating order, on the same timeline:
 *   - credchain: `ProviderChain` + `ExpiryAwareCache({ advisoryRefreshMs: 500,
 *     mandatoryRefreshMs: 200 })` (background refresh from 500 ms before expiry;
 *     callers wait only from 200 ms before expiry);
 *   - SDK: `memoize(provider, isExpired, requiresRefresh)` with the SDK's own
 *     semantics, isExpired = `expiration - now < window`, window = 500 ms (the
 *     same lead as credchain's advisory window; the SDK's 5 min for 1 h
 *     credentials, scaled).
 * Counted per side: calls that waited more than 20 ms, the worst wait, the
 * provider calls (refreshes) and any call answered with expired credentials.
 * Both sides are primed (one cold resolve each) before the clock starts.
 */
const { CORE_PACKAGE, FAKE, percentile, pick, sleep } = require('../lib/common');

const LATENCY_MS = 100;
const LIFETIME_MS = 1_000;
const ADVISORY_MS = 500;
const MANDATORY_MS = 200;
const SDK_WINDOW_MS = 500;
const SLOW_MS = 20;

module.exports = async function refreshUnderLoad({ smoke }) {
  const { Credentials, ExpiryAwareCache, ProviderChain } = require(CORE_PACKAGE);
  const { memoize } = require('@smithy/property-provider');
  const durationMs = pick(smoke, 3_000, 1_000);
  const maxTicks = durationMs * 2; // bound: never more than 2 ticks per ms

  const slowProvider = () => {
    const p = {
      name: 'slow',
      calls: 0,
      async provide() {
        p.calls++;
        await sleep(LATENCY_MS);
        return new Credentials({ ...FAKE, expiration: new Date(Date.now() + LIFETIME_MS) });
      },
    };
    return p;
  };

  const credchainProvider = slowProvider();
  const chain = new ProviderChain([credchainProvider], {
    cache: new ExpiryAwareCache({
      advisoryRefreshMs: ADVISORY_MS,
      mandatoryRefreshMs: MANDATORY_MS,
    }),
  });
  const sdkProvider = slowProvider();
  const sdk = memoize(
    () => sdkProvider.provide(),
    (c) => c.expiration.getTime() - Date.now() < SDK_WINDOW_MS,
    (c) => c.expiration !== undefined,
  );

  const sides = [
    { id: 'credchain', resolve: () => chain.resolve(), provider: credchainProvider },
    { id: 'sdk', resolve: () => sdk(), provider: sdkProvider },
  ].map((s) => ({ ...s, waits: [], expired: 0, errors: 0, primingCalls: 0 }));

  await Promise.all(sides.map((s) => s.resolve()));
  for (const side of sides) side.primingCalls = side.provider.calls;

  const call = (side) => {
    const start = performance.now();
    return side.resolve().then(
      (c) => {
        const done = performance.now();
        side.waits.push(done - start);
        if (c.expiration.getTime() <= Date.now()) side.expired++;
      },
      () => {
        side.errors++;
      },
    );
  };

  const pending = [];
  const begin = performance.now();
  let ticks = 0;
  while (performance.now() - begin < durationMs && ticks < maxTicks) {
    const [first, second] = ticks % 2 === 0 ? sides : [sides[1], sides[0]];
    pending.push(call(first), call(second));
    ticks++;
    await sleep(1);
  }
  await Promise.all(pending);

  const summary = Object.fromEntries(
    sides.map((s) => [
      s.id,
      {
        calls: s.waits.length,
        waitedOver20ms: s.waits.filter((w) => w > SLOW_MS).length,
        maxWaitMs: Math.max(...s.waits),
        p99WaitMs: percentile(s.waits, 99),
        refreshes: s.provider.calls - s.primingCalls,
        expiredServed: s.expired,
        errors: s.errors,
      },
    ]),
  );
  const c = summary.credchain;
  const s = summary.sdk;
  return {
    details: {
      durationMs,
      ticks,
      providerLatencyMs: LATENCY_MS,
      credentialLifetimeMs: LIFETIME_MS,
      credchainWindows: { advisoryRefreshMs: ADVISORY_MS, mandatoryRefreshMs: MANDATORY_MS },
      sdkExpiryWindowMs: SDK_WINDOW_MS,
      ...summary,
    },
    rows: [
      {
        id: 'refreshUnderLoadSlowCalls',
        bench: '4 refresh under load',
        metric: `${(durationMs / 1000).toFixed(0)} s of calls every ~1 ms (${c.calls}/side) → calls waiting > ${SLOW_MS} ms`,
        credchain: `${c.waitedOver20ms} (max ${c.maxWaitMs.toFixed(1)} ms, ${c.refreshes} refreshes)`,
        other: `SDK ${s.waitedOver20ms} (max ${s.maxWaitMs.toFixed(1)} ms, ${s.refreshes} refreshes)`,
        ratio: null,
        goal: 'credchain 0',
        met: c.waitedOver20ms === 0 && c.expiredServed === 0 && c.errors === 0,
      },
    ],
  };
};
