/**
 * Five projects: `unit` (specs beside the code, no I/O), `gateway-app` (the whole gateway module booted
 * in-process and called over HTTP, its service clients and audit publisher mocked), `integration` (one
 * service's code against a scratch database on the real Postgres), `e2e` (all processes, real Postgres
 * and RabbitMQ, over HTTP), and `browser` (the web console in Chromium, on such a platform).
 */
const moduleNameMapper = {
  '^@app/(contracts|entry-store|permissions|service-kit|tokens)(/.*)?$': '<rootDir>/libs/$1/src$2',
  '^@kv-service/client$': '<rootDir>/libs/client/src',
};
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] };
const setupFiles = ['reflect-metadata'];

module.exports = {
  projects: [
    {
      displayName: 'unit',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/apps/**/*.spec.ts', '<rootDir>/libs/**/*.spec.ts', '<rootDir>/scripts/**/*.spec.ts'],
      moduleNameMapper,
      setupFiles,
      transform,
    },
    {
      displayName: 'gateway-app',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/apps/gateway/test/**/*.app-spec.ts'],
      moduleNameMapper,
      setupFiles,
      transform,
    },
    {
      displayName: 'integration',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/apps/*/test/**/*.int-spec.ts', '<rootDir>/libs/*/test/**/*.int-spec.ts'],
      moduleNameMapper,
      setupFiles,
      transform,
    },
    {
      displayName: 'e2e',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      moduleNameMapper,
      setupFiles,
      transform,
    },
    {
      // The web console in Debian's Chromium (playwright-core), against a platform of its own as the e2e tests'.
      displayName: 'browser',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      moduleNameMapper,
      setupFiles,
      transform,
    },
  ],
  // Jest reads the timeout only here, not per project (a project's own `testTimeout` is ignored and
  // leaves 5 s): enough for the integration and e2e hooks that seed data or boot processes.
  testTimeout: 60000,
};
