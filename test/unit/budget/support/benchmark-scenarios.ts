import { fromPabulib } from '#shared/domain/budget/from-pabulib.ts';
import { parsePabulib } from '#shared/domain/budget/pabulib.ts';
import { tally, type TallyInput, type TallyResult } from '#shared/domain/budget/tally.ts';
import { readPabulibFile } from './elections.ts';
import { syntheticApprovalElection } from './synthetic.ts';

const rule = { name: 'equal-shares', utility: 'cost', completion: 'add1', comparison: 'none' } as const;

/** Elections counted with the Method of Equal Shares and Add1, the slowest rule. */
export const BENCHMARK_SCENARIOS: { name: string; heavy: boolean; build: () => TallyInput }[] = [
  {
    name: 'Świecie 2023 (2,553 voters, 22 projects)',
    heavy: false,
    build: () => fromPabulib(parsePabulib(readPabulibFile('Poland_Swiecie_2023.pb'))),
  },
  {
    name: '7,000 voters x 60 projects, up to 5 approvals',
    heavy: false,
    build: () => syntheticApprovalElection({ voters: 7_000, projects: 60, maxApprovals: 5, seed: 1, rule }),
  },
  {
    name: '7,000 voters x 60 projects, up to 10 approvals',
    heavy: false,
    build: () => syntheticApprovalElection({ voters: 7_000, projects: 60, maxApprovals: 10, seed: 1, rule }),
  },
  {
    name: '100,000 voters x 100 projects, up to 5 approvals',
    heavy: true,
    build: () => syntheticApprovalElection({ voters: 100_000, projects: 100, maxApprovals: 5, seed: 2, rule }),
  },
  {
    name: '100,000 voters x 100 projects, up to 10 approvals',
    heavy: true,
    build: () => syntheticApprovalElection({ voters: 100_000, projects: 100, maxApprovals: 10, seed: 2, rule }),
  },
  {
    name: '100,000 voters x 100 projects, up to 10 approvals, about 500 per voter',
    heavy: true,
    build: () => syntheticApprovalElection({ voters: 100_000, projects: 100, maxApprovals: 10, seed: 2, rule, costScale: 6 }),
  },
];

/**
 * Counts the election and describes how long it took: wall and CPU time (CPU time is steadier
 * on a busy machine), Add1 steps, distinct ballots and the process memory.
 */
export function measure(name: string, input: TallyInput): { result: TallyResult; report: string } {
  const distinctBallots = new Set(input.ballots.map((b) => [...b.projects].sort().join())).size;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const result = tally(input);
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const explanation = result.categories[0]!.explanation;
  const steps = explanation.kind === 'equal-shares' ? explanation.add1Steps : 0;
  const megabytes = Math.round(process.memoryUsage().rss / 2 ** 20);
  const report =
    `${name}: ${seconds.toFixed(2)} s (cpu ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s), ` +
    `${steps} Add1 steps, ${distinctBallots} distinct ballots, ${result.winners.length} winners, rss ${megabytes} MB`;
  return { result, report };
}
