// @ts-check
/**
 * `pnpm mutate`: mutation testing with StrykerJS, one package at a time
 * (`scripts/mutate.js` sets CREDCHAIN_MUTATE_PACKAGE). Too long for CI on two
 * cores; run it by hand after changing what it covers (docs/testing.md).
 * Incremental: a re-run tests again only the mutants whose code or covering
 * tests changed since the last run (`reports/stryker-incremental/<package>.json`,
 * kept out of git: ~1.3 MB per package, rewritten on every run, and its
 * timeouts depend on the machine's load).
 */

/** What each package mutates. */
const MUTATE = {
  core: ['packages/core/src/**/*.ts'],
  aws: [
    'packages/aws/src/client-cache/aws-client-cache.ts',
    'packages/aws/src/rotation/parse-accounts.ts',
    'packages/aws/src/providers/env-provider.ts',
    'packages/aws/src/rotation/account-pool.ts',
    'packages/aws/src/rotation/run/*.ts',
    'packages/aws/src/rotation/cool-down-book.ts',
    'packages/aws/src/rotation/pick-history.ts',
    'packages/aws/src/rotation/strategy-set.ts',
  ],
  cli: ['packages/cli/src/env/find-malformed-env-lines.ts'],
};

const pkg = /** @type {keyof typeof MUTATE} */ (process.env.CREDCHAIN_MUTATE_PACKAGE ?? 'core');
if (!(pkg in MUTATE)) throw new Error(`unknown CREDCHAIN_MUTATE_PACKAGE ${pkg}`);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'pnpm',
  testRunner: 'jest',
  // pnpm keeps the runner out of core's own folder, so name the plugin.
  plugins: ['@stryker-mutator/jest-runner'],
  jest: { configFile: 'jest.stryker.config.js', enableFindRelatedTests: true },
  coverageAnalysis: 'perTest',
  mutate: [...MUTATE[pkg], '!**/*.spec.ts', '!**/index.ts'],
  ignorePatterns: ['dist', 'coverage', 'reports', 'bench/results', 'docs/api', '**/*.tsbuildinfo'],
  incremental: true,
  incrementalFile: `reports/stryker-incremental/${pkg}.json`,
  concurrency: 1,
  timeoutMS: 10000,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: `reports/mutation/${pkg}.json` },
  htmlReporter: { fileName: `reports/mutation/${pkg}.html` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
