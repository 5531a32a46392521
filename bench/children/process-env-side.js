/**
 * One side of benchmark 10, in its own process, set up once as an app is
 * (the scoped process.env installed for the whole run, a pool's scope already
 * opened once): `node process-env-side.js <side> <reads> <batches>`. Prints
 * one JSON line: `{ ns }`, the median ns per read over the batches after a
 * warm-up. Sides:
 *   native         nothing installed, a variable no scope sets
 *   nativeKey      nothing installed, the variable a scope sets
 *   outside        installed, outside any scope, a variable no scope sets
 *   outsideKey     installed, outside any scope, the variable a scope sets
 *   insideHit      installed, inside a scope, the variable it sets
 *   insidePass     installed, inside a scope, a variable it does not set
 */
const { CORE_PACKAGE, median } = require('../lib/common');

const [side, readsArg, batchesArg] = process.argv.slice(2);
const reads = Number(readsArg);
const batches = Number(batchesArg);
const { EnvironmentScope, installScopedProcessEnv } = require(CORE_PACKAGE);

process.env.BENCH_KEY_VAR = 'process-wide-value';
process.env.BENCH_PLAIN_VAR = 'never-scoped';
const scope = new Map([['BENCH_KEY_VAR', 'scoped-value']]);
const SIDES = {
  native: { install: false, name: 'BENCH_PLAIN_VAR', inside: false },
  nativeKey: { install: false, name: 'BENCH_KEY_VAR', inside: false },
  outside: { install: true, name: 'BENCH_PLAIN_VAR', inside: false },
  outsideKey: { install: true, name: 'BENCH_KEY_VAR', inside: false },
  insideHit: { install: true, name: 'BENCH_KEY_VAR', inside: true },
  insidePass: { install: true, name: 'BENCH_PLAIN_VAR', inside: true },
};
const setup = SIDES[side];
if (setup === undefined) throw new Error(`unknown side ${side}`);
if (setup.install) installScopedProcessEnv();
// As in an app with a pool: a scope has run (AsyncLocalStorage is enabled).
EnvironmentScope.run(scope, () => undefined);

const loop = new Function(
  'n',
  `let total = 0; for (let i = 0; i < n; i++) total += process.env.${setup.name}.length; return total;`,
);
const batch = () => {
  const start = process.hrtime.bigint();
  const total = loop(reads);
  const ns = Number(process.hrtime.bigint() - start) / reads;
  if (!(total > 0)) throw new Error('a side read nothing');
  return ns;
};
const timed = () => {
  for (let i = 0; i < 3; i++) batch();
  return Array.from({ length: batches }, batch);
};
const ns = setup.inside ? EnvironmentScope.run(scope, timed) : timed();
process.stdout.write(`${JSON.stringify({ ns: median(ns) })}\n`);
