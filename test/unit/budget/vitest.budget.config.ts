import { defineConfig } from 'vitest/config';

// Runs only the budget domain tests, without the repository's global setup (which starts
// infrastructure these pure tests do not need): npx vitest run --config test/unit/budget/vitest.budget.config.ts
export default defineConfig({
  test: {
    include: ['test/unit/budget/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
