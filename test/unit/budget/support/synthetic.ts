import type { Ballot } from '#shared/domain/budget/ballot.ts';
import type { TallyInput, TallyProject, WinnerRule } from '#shared/domain/budget/tally.ts';

/** Small seeded PRNG (mulberry32), so synthetic elections are the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * An approval election shaped like real ones: project popularity falls off (a few favourites,
 * a long tail), voters approve 1 to maxApprovals projects, costs from 5,000 to 500,000 (times
 * costScale), and a budget that funds about a third of the total cost.
 */
export function syntheticApprovalElection(options: {
  voters: number;
  projects: number;
  maxApprovals: number;
  seed: number;
  rule: WinnerRule;
  costScale?: number;
}): TallyInput {
  const random = seededRandom(options.seed);
  const costScale = options.costScale ?? 1;
  const projects: TallyProject[] = Array.from({ length: options.projects }, (_, i) => ({
    id: `p${i + 1}`,
    cost: (5_000 + Math.floor(random() * 99) * 5_000) * costScale,
  }));
  const popularity = projects.map((_, i) => 1 / (1 + i * 0.15) + random() * 0.3);
  const totalPopularity = popularity.reduce((a, b) => a + b, 0);
  const pick = () => {
    let r = random() * totalPopularity;
    for (let i = 0; i < popularity.length; i++) {
      r -= popularity[i]!;
      if (r <= 0) return i;
    }
    return popularity.length - 1;
  };
  const ballots: Ballot[] = Array.from({ length: options.voters }, () => {
    const size = 1 + Math.floor(random() * options.maxApprovals);
    const chosen = new Set<number>();
    while (chosen.size < size) chosen.add(pick());
    return { projects: [...chosen].map((i) => projects[i]!.id) };
  });
  const totalCost = projects.reduce((sum, p) => sum + p.cost, 0);
  return {
    ballotRules: { type: 'approval', projects: { min: 1, max: options.maxApprovals } },
    projects,
    ballots,
    budget: { total: Math.floor(totalCost / 3) },
    rule: options.rule,
  };
}
