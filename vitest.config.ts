import { defineConfig } from 'vitest/config';

// Unit and integration tests run under Node. e2e (Playwright) and bench live apart.
export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    // Generous: `npm test` runs this suite beside the e2e run on 2 cores, so a test that takes 10 s alone can
    // take several times that; a timeout only decides how long a hung test is waited for.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // A throwaway PostgreSQL for the central and sync tests when DATABASE_URL is not set (started on demand).
    // The workstation CLI bundled once for the tests that run it as a child process.
    globalSetup: ['tests/support/postgres-global.ts', 'tests/support/cli-bundle-global.ts'],
  },
});
