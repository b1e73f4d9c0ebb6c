import { defineConfig } from 'vitest/config';

// Pure unit tests run once; every database and HTTP test runs twice, once on SQLite and once on
// PostgreSQL, each on a freshly created and migrated database of its own.
const databaseTests = ['test/**/*.test.ts', 'src/**/*.db.test.ts'];

export default defineConfig({
  test: {
    reporters: ['default'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts'],
          exclude: ['src/**/*.db.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: databaseTests,
          env: { KUMPPANI_TEST_DIALECT: 'sqlite' },
          globalSetup: ['test/helpers/redis-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: databaseTests,
          env: { KUMPPANI_TEST_DIALECT: 'postgres' },
          globalSetup: ['test/helpers/postgres-setup.ts', 'test/helpers/redis-setup.ts'],
        },
      },
    ],
  },
});
