// Regions started in a test process keep their records on the PostgreSQL server (see
// tests/support/test-databases.ts); CROSSGATE_TEST_DATABASES=pglite keeps them embedded.
process.env.CROSSGATE_TEST_DATABASES ??= 'server';

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
    // jose 6 ships ES modules only; Jest's CommonJS runtime needs them compiled.
    '/node_modules/jose/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  testMatch: ['<rootDir>/tests/**/*.test.ts'],
  testTimeout: 180000,
  // Two workers on the two-core CI machine; the longest files start first (see the sequencer).
  maxWorkers: 2,
  testSequencer: '<rootDir>/tests/support/sequencer.js',
  // Scratch databases of killed runs (tests/support/test-databases.ts) are dropped first.
  globalSetup: '<rootDir>/tests/support/global-setup.ts',
};
