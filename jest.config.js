// @ts-check
/** One jest run covers every package, the examples and the integration tests. */
const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
    },
    module: { type: 'commonjs' },
  },
];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/examples', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: { '^.+\\.ts$': swc },
  // Tests run against the sources; the CLI end-to-end tests spawn the built bin.
  moduleNameMapper: {
    '^@credchain/(core|aws|redis|opentelemetry|cli)$': '<rootDir>/packages/$1/src/index.ts',
  },
  setupFiles: ['<rootDir>/test/support/jest-setup.js'],
  testTimeout: 20000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
