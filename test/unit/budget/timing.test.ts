/**
 * Prints how long the Method of Equal Shares with Add1 takes on the lighter benchmark elections
 * (the 100,000-voter ones are in benchmark.ts). Timings are printed, never asserted.
 */
import { describe, expect, it } from 'vitest';
import { BENCHMARK_SCENARIOS, measure } from './support/benchmark-scenarios.ts';

describe('timings (printed, not asserted)', () => {
  it.each(BENCHMARK_SCENARIOS.filter((s) => !s.heavy).map((s) => [s.name, s.build] as const))('%s', (name, build) => {
    const { result, report } = measure(name, build());
    console.log(report);
    for (const category of result.categories) expect(category.spent).toBeLessThanOrEqual(category.budget);
  });
});
