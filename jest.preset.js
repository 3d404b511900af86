// Shared Jest settings for every workspace. Each package's jest.config.js calls
// preset(__dirname, { engines: [...] }); packages that need real engines get a
// globalSetup that starts (or reuses) them once per run.
const path = require('path');

const ROOT = __dirname;

/** @param {string} dir @param {{engines?: string[], displayName?: string}} [opts] */
module.exports = function preset(dir, opts = {}) {
  const engines = opts.engines ?? [];
  return {
    displayName: opts.displayName ?? path.relative(ROOT, dir),
    rootDir: dir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/test/**/*.test.ts'],
    transform: {
      '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(dir, 'tsconfig.json'), diagnostics: false }],
    },
    moduleNameMapper: {
      // Tests run against library sources, so a test run never needs a prior build.
      '^@lm/([a-z-]+)$': path.join(ROOT, 'libs/$1/src'),
    },
    ...(engines.length
      ? {
          globalSetup: path.join(ROOT, 'libs/testing/src/jest-global-setup.js'),
          globalTeardown: path.join(ROOT, 'libs/testing/src/jest-global-teardown.js'),
          testEnvironmentOptions: { engines },
        }
      : {}),
    // Integration tests talk to real engines; a per-project setup file raises the timeout.
    setupFilesAfterEnv: [path.join(ROOT, 'libs/testing/src/jest-timeout.js')],
  };
};
