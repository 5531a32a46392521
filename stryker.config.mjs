// @ts-check
/**
 * `pnpm mutate`: mutation testing with StrykerJS, one package at a time
 * (`scripts/mutate.js` sets CREDCHAIN_MUTATE_PACKAGE, and CREDCHAIN_MUTATE_FILES
 * when it mutates only some files). Too long for CI on two
 * cores; run it by hand after changing what it covers (docs/testing.md).
 * Incremental: a re-run tests again only the mutants whose code or covering
 * tests changed since the last run (`reports/stryker-incremental/<package>.json`,
 * kept out of git: ~1.3 MB per package, rewritten on every run, and its
 * timeouts depend on the machine's load).
 */

import { createRequire } from 'node:module';

const { PACKAGES, filesOf } = createRequire(import.meta.url)('./scripts/mutate-targets.js');

const pkg = process.env.CREDCHAIN_MUTATE_PACKAGE ?? 'core';
if (!PACKAGES.includes(pkg)) throw new Error(`unknown CREDCHAIN_MUTATE_PACKAGE ${pkg}`);

// What the run mutates: the files `scripts/mutate.js` chose (`--changed`, a
// path), else every file of the package (`scripts/mutate-targets.js`).
const chosen = process.env.CREDCHAIN_MUTATE_FILES?.split('\n').filter(Boolean);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'pnpm',
  testRunner: 'jest',
  // pnpm keeps the runner out of core's own folder, so name the plugin.
  plugins: ['@stryker-mutator/jest-runner'],
  jest: { configFile: 'jest.stryker.config.js', enableFindRelatedTests: true },
  coverageAnalysis: 'perTest',
  mutate: chosen ?? filesOf(pkg),
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
