import { defineConfig } from 'vitest/config';
import { generateKeyRingJson } from './shared/secrets/key-ring.ts';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Request logs are INFO; tests keep the output to warnings and errors.
    // One key ring for the run (what Secrets Manager holds in AWS), as the local runtime would make.
    // HROMADA_CHECK_RESPONSES: every answer of the local gateway is checked against its route's declared
    // response (local/response-contract.ts), so the OpenAPI document cannot drift from the handlers.
    env: { LOG_LEVEL: 'WARN', HROMADA_SECRETS: generateKeyRingJson(), HROMADA_CHECK_RESPONSES: '1' },
  },
});
