import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/**/*.test.ts',
      'src/**/*.test.ts',
      'storage/**/*.test.ts',
      'adapters/**/*.test.ts',
      'cli/**/*.test.ts',
      'runtime/**/*.test.ts',
    ],
    testTimeout: 20_000,
    pool: 'forks',
    // every log line of the run is scanned for secrets (test/helpers/secrets.ts); PostgreSQL for the storage
    // contract tests (test/helpers/postgres.global.ts)
    globalSetup: ['test/helpers/secretScan.global.ts', 'test/helpers/postgres.global.ts'],
    setupFiles: ['test/helpers/secretScan.setup.ts'],
  },
});
