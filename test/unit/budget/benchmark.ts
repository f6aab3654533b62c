/**
 * Times the Method of Equal Shares with Add1 on real and synthetic elections, up to 100,000
 * voters. Not a test: run it by hand, `npx tsx test/unit/budget/benchmark.ts [name filter]`.
 */
import { BENCHMARK_SCENARIOS, measure } from './support/benchmark-scenarios.ts';

const filter = process.argv[2] ?? '';
for (const { name, build } of BENCHMARK_SCENARIOS.filter((s) => s.name.includes(filter))) {
  console.log(measure(name, build()).report);
}
