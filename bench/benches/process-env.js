/**
 * 10. process.env reads with `installScopedProcessEnv()` (the pool's
 * `processEnv: 'scoped'`), ns per read of `process.env.X`. Each side runs in
 * its own process, set up once as an app is (installed for the whole run,
 * a scope already opened once), the sides taking turns over the rounds:
 *   - native: the real `process.env` (nothing installed);
 *   - scoped, outside any scope: a variable no scope ever set (NODE_ENV,
 *     PATH, …: read straight through), and the variable a scope did set
 *     (the pool's key variables: the scope is looked up, one
 *     AsyncLocalStorage read);
 *   - scoped, inside a scope: the variable it sets (what Remotion's client
 *     reads inside `pool.run`), and one it does not (passed through).
 * (Installing and uninstalling in one process, to alternate the sides there,
 * measured V8's inline caches flipping between the two objects instead.)
 */
const path = require('node:path');
const { median, pairedRatio, pick, rotate, timedSpawn } = require('../lib/common');

const CHILD = path.join(__dirname, '..', 'children', 'process-env-side.js');
const SIDES = ['native', 'nativeKey', 'outside', 'outsideKey', 'insideHit', 'insidePass'];

module.exports = async function processEnv({ smoke }) {
  const reads = pick(smoke, 200_000, 2_000);
  const batches = pick(smoke, 15, 2);
  const rounds = pick(smoke, 5, 1);
  const ns = Object.fromEntries(SIDES.map((side) => [side, []]));
  for (let round = 0; round < rounds; round++) {
    for (const side of rotate(SIDES, round)) {
      const { stdout } = timedSpawn([CHILD, side, String(reads), String(batches)], process.env);
      ns[side].push(JSON.parse(stdout.trim().split('\n').pop()).ns);
    }
  }
  const med = (side) => median(ns[side]);
  const vsNative = (side, native) => pairedRatio(ns[native], ns[side]);
  const perRead = (v) => `${v.toFixed(1)} ns/read`;
  const row = (side, native, metric, goal) => {
    const ratio = vsNative(side, native);
    return {
      id: `processEnv_${side}`,
      bench: '10 process.env',
      metric,
      credchain: perRead(med(side)),
      other: `native ${perRead(med(native))}`,
      ratio,
      goal,
      met: goal === '—' ? null : ratio >= 0.8,
    };
  };
  return {
    details: {
      readsPerBatch: reads,
      batchesPerProcess: batches,
      rounds,
      medianNsPerRead: Object.fromEntries(SIDES.map((side) => [side, med(side)])),
    },
    rows: [
      row(
        'outside',
        'native',
        'scoped process.env, outside any scope, a variable no scope sets (NODE_ENV, …) vs native',
        '≈ 1 (≥ 0.8)',
      ),
      row(
        'outsideKey',
        'nativeKey',
        'scoped process.env, outside any scope, a variable scopes set (the pool keys) vs native',
        '≈ 1 (≥ 0.8)',
      ),
      row(
        'insideHit',
        'nativeKey',
        'scoped process.env, inside a scope (a scoped variable) vs native (info)',
        '—',
      ),
      row(
        'insidePass',
        'native',
        'scoped process.env, inside a scope (another variable) vs native (info)',
        '—',
      ),
    ],
  };
};
