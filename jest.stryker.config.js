// @ts-check
/**
 * The jest configuration `pnpm mutate` (StrykerJS) runs: the specs of the one
 * package being mutated (`CREDCHAIN_MUTATE_PACKAGE`), against the sources.
 *
 * - One package's specs, not the whole workspace: Stryker's jest runner loads
 *   every related spec file for each mutant, and core is imported by every
 *   spec; with all of them a core mutant costs ~9 s instead of ~1 s. It also
 *   means a package's score is earned by its own tests.
 * - No integration tests (test/): they build chains in `beforeAll` hooks,
 *   outside any test, which makes Stryker treat most mutants as "static" and
 *   run every test for each of them; the CLI end-to-end tests spawn the built
 *   bin, which mutants never reach.
 * - A 5 s test timeout instead of 20 s: every spec of core and aws passes
 *   with it on two busy cores (the slowest wait out real timers for a second
 *   or two), so a test still waiting after 5 s is one a mutant made hang. It then fails (the mutant is "killed") instead of several
 *   such tests adding up past Stryker's own timeout ("timeout").
 */
const base = require('./jest.config.js');

const pkg = process.env.CREDCHAIN_MUTATE_PACKAGE ?? 'core';

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  // test/support is a root too, so that jest's related-test search follows a
  // spec through its helpers (the CLI's specs reach main() through
  // test/support/cli-in-process.ts); its own specs are not run here.
  roots: [`<rootDir>/packages/${pkg}`, '<rootDir>/test/support'],
  testPathIgnorePatterns: [...(base.testPathIgnorePatterns ?? []), '<rootDir>/test/support/'],
  reporters: ['default'],
  testTimeout: 5000,
};
