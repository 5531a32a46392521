// Runs StrykerJS over each package in turn: `pnpm mutate [core|aws|cli ...]
// [-- stryker options]`, e.g. `pnpm mutate core -- --concurrency 2`.
// See docs/testing.md.
const { spawnSync } = require('node:child_process');

const PACKAGES = ['core', 'aws', 'cli'];
const args = process.argv.slice(2);
const split = args.indexOf('--');
const names = split === -1 ? args : args.slice(0, split);
const extra = split === -1 ? [] : args.slice(split + 1);
const chosen = names.length > 0 ? names : PACKAGES;
for (const name of chosen) {
  if (!PACKAGES.includes(name)) {
    console.error(`mutate: unknown package ${name} (expected ${PACKAGES.join(', ')})`);
    process.exit(2);
  }
}
for (const name of chosen) {
  console.log(`\n== mutate ${name}`);
  const result = spawnSync('stryker', ['run', ...extra], {
    stdio: 'inherit',
    env: { ...process.env, CREDCHAIN_MUTATE_PACKAGE: name },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
