// @ts-check
/**
 * The jest configuration `pnpm mutate` (StrykerJS) runs: the specs beside the
 * code, against the sources. The integration tests in test/ are left out:
 * they build chains in `beforeAll` hooks, outside any test, which makes
 * Stryker treat most mutants as "static" and run every test for each of them
 * (hours on two cores instead of minutes); the CLI end-to-end tests spawn the
 * built bin, which mutants never reach anyway.
 */
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/packages'],
  reporters: ['default'],
};
