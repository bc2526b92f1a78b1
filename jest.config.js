/**
 * Unit specs live beside the code; medium specs call the services of the real app (no HTTP) on a
 * real database; e2e specs boot the real web app against a real database.
 * Specs are transpiled file by file (isolatedModules in tsconfig.json): `npm run typecheck` checks the types.
 */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] };

/**
 * Suites that run on one database only. CI runs `npm test` twice, on PostgreSQL + Redis
 * (DATABASE_URL=postgres://...) and on the embedded defaults (SQLite, no Redis); a suite whose
 * subject does not depend on the database runs in one of the two, and the other still runs every
 * suite that reads or writes through the database. ALL_SUITES=1 runs them all on either.
 * (The fault suites need PostgreSQL and Redis and skip themselves elsewhere.)
 */
const ONE_DATABASE_ONLY = {
  // Hostile input: PostgreSQL is the strict one (uuid and integer columns, NUL bytes, varchar lengths).
  postgres: ['test/e2e/fuzz.e2e-spec.ts'],
  // Refused before any query (CSRF, request shapes), headers and assets, the sign-in timing at the
  // production argon2 cost, and the entry points' configuration checks (which never reach a database).
  sqlite: ['test/e2e/security.e2e-spec.ts', 'test/e2e/request-shapes.e2e-spec.ts', 'test/e2e/startup.e2e-spec.ts'],
};
const database = (process.env.DATABASE_URL || '').startsWith('postgres') ? 'postgres' : 'sqlite';
const otherDatabaseOnly = process.env.ALL_SUITES
  ? []
  : Object.entries(ONE_DATABASE_ONLY)
      .filter(([name]) => name !== database)
      .flatMap(([, files]) => files.map((file) => `<rootDir>/${file.replace(/\./g, '\\.')}$`));

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
      testPathIgnorePatterns: ['/node_modules/', ...otherDatabaseOnly],
      globalSetup: '<rootDir>/test/helpers/global-setup.ts',
      transform,
    },
  ],
};
