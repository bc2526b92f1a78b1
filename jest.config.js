/**
 * Unit specs live beside the code; medium specs call the services of the real app (no HTTP) on a
 * real database; e2e specs boot the real web app against a real database.
 * Specs are transpiled file by file (isolatedModules in tsconfig.json): `npm run typecheck` checks the types.
 */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] };

module.exports = {
  // Hooks boot the app and hash passwords: on a loaded machine they take far more than jest's 5 s default.
  testTimeout: 60_000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      rootDir: '.',
      testMatch: ['<rootDir>/src/**/*.spec.ts'],
      transform,
    },
    {
      displayName: 'medium',
      testEnvironment: 'node',
      rootDir: '.',
      testMatch: ['<rootDir>/test/medium/**/*.medium-spec.ts'],
      globalSetup: '<rootDir>/test/helpers/global-setup.ts',
      transform,
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      rootDir: '.',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/helpers/global-setup.ts',
      transform,
    },
  ],
};
