import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Infra tests only, without the repo's global setup (no DynamoDB Local needed):
// npx vitest run --config test/infra/vitest.infra.config.ts
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/infra/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
