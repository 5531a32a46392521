/**
 * 10. process.env reads with `installScopedProcessEnv()` (the pool's
 * `processEnv: 'scoped'`), ns per read of `process.env.X`:
 *   - native: the real `process.env` (nothing installed);
 *   - scoped, outside any scope: the proxy, no overlay (what every read in
 *     the process pays once it is installed);
 *   - scoped, inside a scope: a variable the scope sets (what Remotion's
 *     client reads inside `pool.run`), and one it does not (passed through).
 * Each round measures native with the proxy uninstalled, then installs it
 * for the other sides, so the sides alternate within one process.
 */
const { CORE_PACKAGE, median, pairedRatio, pick } = require('../lib/common');

/** A loop of `n` reads of one variable, its own function per side. */
function makeLoop() {
  return new Function(
    'n',
    'let total = 0; for (let i = 0; i < n; i++) total += process.env.BENCH_SCOPED_VAR.length; return total;',
  );
}

function timeReads(loop, n) {
  const start = process.hrtime.bigint();
  const total = loop(n);
  const ns = Number(process.hrtime.bigint() - start) / n;
  if (!(total > 0)) throw new Error('a side read nothing');
  return ns;
}

module.exports = async function processEnv({ smoke }) {
  const { EnvironmentScope, installScopedProcessEnv } = require(CORE_PACKAGE);
  process.env.BENCH_SCOPED_VAR = 'process-wide-value';
  process.env.BENCH_OTHER_VAR = 'x';
  const overlay = new Map([['BENCH_SCOPED_VAR', 'scoped-value']]);
  const passOverlay = new Map([['BENCH_OTHER_VAR', 'scoped-other']]);
  const sides = {
    native: { loop: makeLoop(), ns: [] },
    outside: { loop: makeLoop(), ns: [] },
    insideHit: { loop: makeLoop(), ns: [] },
    insidePass: { loop: makeLoop(), ns: [] },
  };
  const n = pick(smoke, 200_000, 2_000);
  const rounds = pick(smoke, 15, 2);
  const measure = (record) => {
    sides.native.ns.push(timeReads(sides.native.loop, n) * (record ? 1 : Number.NaN));
    const uninstall = installScopedProcessEnv();
    try {
      sides.outside.ns.push(timeReads(sides.outside.loop, n) * (record ? 1 : Number.NaN));
      EnvironmentScope.run(overlay, () =>
        sides.insideHit.ns.push(timeReads(sides.insideHit.loop, n) * (record ? 1 : Number.NaN)),
      );
      EnvironmentScope.run(passOverlay, () =>
        sides.insidePass.ns.push(timeReads(sides.insidePass.loop, n) * (record ? 1 : Number.NaN)),
      );
    } finally {
      uninstall();
    }
  };
  for (let round = 0; round < pick(smoke, 3, 1); round++) measure(false);
  for (const side of Object.values(sides)) side.ns.length = 0;
  for (let round = 0; round < rounds; round++) measure(true);

  const med = (id) => median(sides[id].ns);
  const vsNative = (id) => pairedRatio(sides.native.ns, sides[id].ns);
  const ns = (v) => `${v.toFixed(1)} ns/read`;
  const row = (id, metric, goal, met) => ({
    id: `processEnv_${id}`,
    bench: '10 process.env',
    metric,
    credchain: ns(med(id)),
    other: `native ${ns(med('native'))}`,
    ratio: vsNative(id),
    goal,
    met,
  });
  return {
    details: {
      readsPerBatch: n,
      rounds,
      medianNsPerRead: Object.fromEntries(Object.keys(sides).map((id) => [id, med(id)])),
    },
    rows: [
      row(
        'outside',
        'scoped process.env, outside any scope vs native read',
        '≈ 1 (≥ 0.8)',
        vsNative('outside') >= 0.8,
      ),
      row(
        'insideHit',
        'scoped process.env, inside a scope (a scoped variable) vs native (info)',
        '—',
        null,
      ),
      row(
        'insidePass',
        'scoped process.env, inside a scope (another variable) vs native (info)',
        '—',
        null,
      ),
    ],
  };
};
