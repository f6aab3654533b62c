/**
 * The Method of Equal Shares as a winner rule: one MES run, or the Add1 completion, and the
 * optional comparison with greedy. The MES run itself is in equal-shares-engine.ts.
 *
 * Add1 completion: MES usually leaves money unspent, so it is rerun with a larger share per voter,
 * starting from floor(budget / voters) and adding one currency unit per voter each step; the last
 * outcome whose cost fits the real budget is kept (stop when the next step would not fit).
 * The `add1-exhaustive` variant also stops as soon as the outcome is exhaustive: no unselected
 * project fits in the money left (equalshares.net's "exhaustive" option, pabutools'
 * exhaustive_stop). Both also stop once every project with a supporter is funded, since no
 * further step can fund more; this also bounds the loop.
 */

import type { CountedProject } from '#shared/domain/budget/counting.ts';
import { approvalProfile, EqualSharesEngine, gcd, type ApprovalProfile } from './equal-shares-engine.ts';
import { selectGreedy } from './greedy.ts';

export type EqualSharesUtility = 'cost' | 'approval';
export type EqualSharesCompletion = 'none' | 'add1' | 'add1-exhaustive';

export interface EqualSharesOptions {
  /** 'cost': price is the payment per unit of cost (equalshares.net, Pabulib); 'approval': the payment. */
  readonly utility: EqualSharesUtility;
  readonly completion: EqualSharesCompletion;
  /**
   * 'greedy': also compute greedy (by votes, skipping what does not fit, ties in list order) and
   * take its outcome if strictly more voters prefer it, where a voter prefers the outcome that
   * funds more of the projects they approved (equalshares.net's "satisfaction" comparison, as in
   * Pabulib's equalshares/add1-comparison). Voters indifferent between the two are not counted.
   */
  readonly comparison: 'none' | 'greedy';
}

export interface EqualSharesOutcome {
  readonly winners: readonly CountedProject[];
  readonly voters: number;
  /** Share per voter in the final MES run: budget / voters, or the Add1 amount. */
  readonly perVoterBudget: { readonly numerator: number; readonly denominator: number };
  /** Number of one-unit increments Add1 kept. */
  readonly add1Steps: number;
  readonly equalSharesWinners: readonly CountedProject[];
  readonly comparison?: {
    readonly greedyWinners: readonly CountedProject[];
    readonly prefersEqualShares: number;
    readonly prefersGreedy: number;
    readonly chosen: 'equal-shares' | 'greedy';
  };
}

function totalCost(projects: readonly CountedProject[], chosen: readonly number[]): number {
  return chosen.reduce((sum, j) => sum + projects[j]!.cost, 0);
}

/** Voters who see more of their approved projects funded by a than by b, and vice versa. */
function countPreferences(
  profile: ApprovalProfile,
  a: readonly number[],
  b: readonly number[],
): { prefersA: number; prefersB: number } {
  const fundedInA = new Int32Array(profile.groupWeights.length);
  const fundedInB = new Int32Array(profile.groupWeights.length);
  for (const j of a) for (const group of profile.supporters[j]!) fundedInA[group]! += 1;
  for (const j of b) for (const group of profile.supporters[j]!) fundedInB[group]! += 1;
  let prefersA = 0;
  let prefersB = 0;
  profile.groupWeights.forEach((weight, group) => {
    if (fundedInA[group]! > fundedInB[group]!) prefersA += weight;
    else if (fundedInB[group]! > fundedInA[group]!) prefersB += weight;
  });
  return { prefersA, prefersB };
}

/**
 * Runs MES (with the chosen completion and comparison) on one budget.
 * `approvals[v]` lists the indices into `projects` approved by voter v.
 */
export function selectEqualShares(
  projects: readonly CountedProject[],
  approvals: readonly (readonly number[])[],
  budget: number,
  options: EqualSharesOptions,
  tieBreak: (a: CountedProject, b: CountedProject) => number,
): EqualSharesOutcome {
  const profile = approvalProfile(projects.length, approvals);
  const engine = new EqualSharesEngine(
    profile,
    projects.map((p) => p.cost),
    options.utility,
    (a, b) => tieBreak(projects[a]!, projects[b]!),
  );
  const voters = profile.voterCount;

  let chosen: number[] = [];
  let perVoterBudget = { numerator: 0, denominator: 1 };
  let add1Steps = 0;
  if (voters > 0 && options.completion === 'none') {
    const divisor = gcd(budget, voters);
    perVoterBudget = { numerator: budget / divisor, denominator: voters / divisor };
    chosen = engine.winners({ num: BigInt(budget), den: BigInt(voters) });
  } else if (voters > 0) {
    const supported = profile.supporters.filter((groups) => groups.length > 0).length;
    const isExhaustive = (outcome: readonly number[]) => {
      const left = budget - totalCost(projects, outcome);
      return projects.every((p, j) => p.cost > left || outcome.includes(j));
    };
    let perVoter = Math.floor(budget / voters);
    chosen = engine.winners({ num: BigInt(perVoter), den: 1n });
    while (chosen.length < supported && !(options.completion === 'add1-exhaustive' && isExhaustive(chosen))) {
      const next = engine.winners({ num: BigInt(perVoter + 1), den: 1n });
      if (totalCost(projects, next) > budget) break;
      perVoter += 1;
      add1Steps += 1;
      chosen = next;
    }
    perVoterBudget = { numerator: perVoter, denominator: 1 };
  }

  const equalSharesWinners = chosen.map((j) => projects[j]!);
  const outcome = { winners: equalSharesWinners, voters, perVoterBudget, add1Steps, equalSharesWinners };
  if (options.comparison === 'none') return outcome;

  const greedy = selectGreedy(
    projects,
    budget,
    { rankBy: 'votes', whenTooExpensive: 'skip', minimum: 0, maxWinners: Number.POSITIVE_INFINITY },
    (a, b) => a.listIndex - b.listIndex,
  ).winners;
  const indexOf = new Map(projects.map((p, j) => [p, j]));
  const { prefersA: prefersGreedy, prefersB: prefersEqualShares } = countPreferences(
    profile,
    greedy.map((p) => indexOf.get(p)!),
    chosen,
  );
  const chosenRule = prefersGreedy > prefersEqualShares ? 'greedy' : 'equal-shares';
  return {
    ...outcome,
    winners: chosenRule === 'greedy' ? greedy : equalSharesWinners,
    comparison: { greedyWinners: greedy, prefersEqualShares, prefersGreedy, chosen: chosenRule },
  };
}
