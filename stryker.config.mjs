// @ts-check
/**
 * `pnpm mutate`: mutation testing with StrykerJS (see docs/testing.md).
 * Too long for CI on two cores; run it by hand after changing what it covers.
 * Incremental: only mutants whose code or covering tests changed since the
 * committed `stryker-incremental.json` are run again.
 *
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  packageManager: 'pnpm',
  testRunner: 'jest',
  // pnpm keeps the runner out of core's own folder, so name the plugin.
  plugins: ['@stryker-mutator/jest-runner'],
  jest: { configFile: 'jest.stryker.config.js', enableFindRelatedTests: true },
  coverageAnalysis: 'perTest',
  mutate: [
    'packages/core/src/**/*.ts',
    'packages/aws/src/client-cache/aws-client-cache.ts',
    'packages/aws/src/rotation/parse-accounts.ts',
    'packages/aws/src/providers/env-provider.ts',
    'packages/aws/src/rotation/account-pool.ts',
    'packages/cli/src/env/find-malformed-env-lines.ts',
    '!**/*.spec.ts',
    '!**/index.ts',
  ],
  ignorePatterns: ['dist', 'coverage', 'reports', 'bench/results', 'docs/api', '**/*.tsbuildinfo'],
  incremental: true,
  incrementalFile: 'stryker-incremental.json',
  concurrency: 1,
  timeoutMS: 10000,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
