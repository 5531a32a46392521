/**
 * 3. Thundering herd: 10,000 concurrent cold `resolve()` calls on a fresh
 * `ProviderChain` whose only link counts its calls and answers after a small
 * delay. Goal: 1 provider call. The same herd on the SDK's `memoize(provider)`
 * for comparison, and the time until every caller has its credentials.
 */
const { CORE_PACKAGE, FAKE, median, pairedRatio, pick, rotate, sleep } = require('../lib/common');

const HERD = 10_000;
const DELAY_MS = 10;

module.exports = async function thunderingHerd({ smoke }) {
  const { Credentials, ExpiryAwareCache, ProcessLifetimeCache, ProviderChain } =
    require(CORE_PACKAGE);
  const { memoize } = require('@smithy/property-provider');

  /** A link that counts its calls; fresh per round. */
  const countingProvider = () => {
    const counter = {
      calls: 0,
      name: 'counting',
      async provide() {
        counter.calls++;
        await sleep(DELAY_MS);
        return new Credentials({ ...FAKE, expiration: new Date(Date.now() + 3_600_000) });
      },
    };
    return counter;
  };

  const sides = {
    credchain: () => {
      const provider = countingProvider();
      const chain = new ProviderChain([provider], { cache: new ExpiryAwareCache() });
      return { provider, resolve: () => chain.resolve() };
    },
    credchainProcessLifetime: () => {
      const provider = countingProvider();
      const chain = new ProviderChain([provider], { cache: new ProcessLifetimeCache() });
      return { provider, resolve: () => chain.resolve() };
    },
    sdk: () => {
      const provider = countingProvider();
      const memoized = memoize(
        () => provider.provide(),
        (c) => c.expiration.getTime() - Date.now() < 300_000,
        (c) => c.expiration !== undefined,
      );
      return { provider, resolve: () => memoized() };
    },
  };
  const ids = Object.keys(sides);
  const calls = Object.fromEntries(ids.map((id) => [id, []]));
  const ms = Object.fromEntries(ids.map((id) => [id, []]));
  const rounds = pick(smoke, 9, 2);

  for (let round = 0; round < rounds; round++) {
    for (const id of rotate(ids, round)) {
      const { provider, resolve } = sides[id]();
      const start = process.hrtime.bigint();
      const all = new Array(HERD);
      for (let i = 0; i < HERD; i++) all[i] = resolve();
      const values = await Promise.all(all);
      ms[id].push(Number(process.hrtime.bigint() - start) / 1e6 - DELAY_MS);
      if (values.some((v) => v !== values[0]))
        throw new Error(`${id}: callers got different values`);
      calls[id].push(provider.calls);
    }
  }

  const maxCalls = (id) => Math.max(...calls[id]);
  const settle = (id) => median(ms[id]);
  const speed = pairedRatio(ms.sdk, ms.credchain);
  const f = (v) => `${v.toFixed(1)} ms`;
  return {
    details: {
      herd: HERD,
      providerDelayMs: DELAY_MS,
      rounds,
      providerCallsPerRound: calls,
      settleMsAboveDelay: Object.fromEntries(ids.map((id) => [id, settle(id)])),
      settleSpeedRatio: speed,
    },
    rows: [
      {
        id: 'thunderingHerdProviderCalls',
        bench: '3 thundering herd',
        metric: `${HERD.toLocaleString('en')} concurrent cold resolves → provider calls (max of ${rounds})`,
        credchain: `${maxCalls('credchain')} (ProcessLifetime ${maxCalls('credchainProcessLifetime')})`,
        other: `SDK memoize ${maxCalls('sdk')}`,
        ratio: null,
        goal: '= 1',
        met: maxCalls('credchain') === 1 && maxCalls('credchainProcessLifetime') === 1,
      },
      {
        id: 'thunderingHerdSettle',
        bench: '3 thundering herd',
        metric: `time for all ${HERD.toLocaleString('en')} to settle, beyond the ${DELAY_MS} ms provider delay`,
        credchain: f(settle('credchain')),
        other: `SDK ${f(settle('sdk'))}`,
        ratio: speed,
        goal: '—',
        met: null,
      },
    ],
  };
};
