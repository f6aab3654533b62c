import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Request logs are INFO; tests keep the output to warnings and errors.
    env: { LOG_LEVEL: 'WARN' },
  },
});
