import { defineConfig } from 'vitest/config';

// Unit and integration tests run under Node. e2e (Playwright) and bench live apart.
export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // A throwaway PostgreSQL for the central and sync tests when DATABASE_URL is not set (started on demand).
    globalSetup: ['tests/support/postgres-global.ts'],
  },
});
