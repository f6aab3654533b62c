import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** The tests of the local runtime's own machinery (DynamoDB Local, stream poller, filters). */
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['test/local/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
