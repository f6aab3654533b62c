/**
 * Counting a participatory budget: from ballots to funded projects under an explicit winner rule.
 *
 * The rule, its parameters and its tie-breaking order are plain serializable data, stored in the
 * result next to the outcome so that anyone can recount from the published anonymous ballots.
 * When the budget is split by category, each category is counted on its own with its own money.
 */

import type { Ballot, BallotRules } from './ballot.ts';
import { countVotes, type CountedProject, type TallyProject } from './counting.ts';
import { selectEqualShares, type EqualSharesCompletion, type EqualSharesUtility } from './rules/equal-shares.ts';
import { selectGreedy, type GreedyDecision, type GreedyOptions, type RankBy } from './rules/greedy.ts';
import {
  EQUAL_SHARES_TIE_BREAKING,
  GREEDY_TIE_BREAKING,
  normalizeTieBreaking,
  tieBreakComparator,
  type TieBreaker,
} from './tie-breaking.ts';

export type { TallyProject } from './counting.ts';
export type { GreedyDecision, RankBy } from './rules/greedy.ts';
export type { EqualSharesCompletion, EqualSharesUtility } from './rules/equal-shares.ts';

/** Most votes (or points) first; skip projects that do not fit the money left. Pabulib `greedy`. */
export interface GreedyRule {
  readonly name: 'greedy';
  readonly rankBy: RankBy;
  readonly tieBreaking?: readonly TieBreaker[];
}

/** As greedy, but stop at the first project that does not fit. Pabulib `greedy-no-skip`. */
export interface GreedyNoSkipRule {
  readonly name: 'greedy-no-skip';
  readonly rankBy: RankBy;
  readonly tieBreaking?: readonly TieBreaker[];
}

/** Greedy among projects with at least `minimum` votes (or points). Pabulib `greedy-threshold`. */
export interface GreedyThresholdRule {
  readonly name: 'greedy-threshold';
  readonly rankBy: RankBy;
  readonly minimum: number;
  readonly tieBreaking?: readonly TieBreaker[];
}

/**
 * Greedy within each budget category, with at most `winners` projects and at least `minimum`
 * votes (or points) per project in that category. Ternopil: e.g. small { minimum: 300 },
 * large { minimum: 500 }, each category with its own money.
 */
export interface FixedWinnersPerCategoryRule {
  readonly name: 'fixed-winners-per-category';
  readonly rankBy: RankBy;
  readonly categories: Readonly<Record<string, { readonly winners: number; readonly minimum: number }>>;
  readonly tieBreaking?: readonly TieBreaker[];
}

/** Method of Equal Shares; see rules/equal-shares.ts. Approval-type ballots only. */
export interface EqualSharesRule {
  readonly name: 'equal-shares';
  readonly utility: EqualSharesUtility;
  readonly completion: EqualSharesCompletion;
  readonly comparison: 'none' | 'greedy';
  readonly tieBreaking?: readonly TieBreaker[];
}

export type WinnerRule =
  | GreedyRule
  | GreedyNoSkipRule
  | GreedyThresholdRule
  | FixedWinnersPerCategoryRule
  | EqualSharesRule;

/** A rule as stored with its result: the tie-breaking order always spelled out. */
export type ResolvedWinnerRule = WinnerRule & { readonly tieBreaking: readonly TieBreaker[] };

export interface CategoryBudget {
  readonly category: string;
  readonly amount: number;
}

/** The whole budget, or one amount per category (every project then belongs to one of them). */
export type BudgetLimit = { readonly total: number } | { readonly perCategory: readonly CategoryBudget[] };

export interface TallyInput {
  readonly ballotRules: BallotRules;
  /** Admitted projects, in the official list order (which breaks ties last). */
  readonly projects: readonly TallyProject[];
  readonly ballots: readonly Ballot[];
  readonly budget: BudgetLimit;
  readonly rule: WinnerRule;
}

export interface ProjectCount {
  readonly projectId: string;
  readonly cost: number;
  readonly votes: number;
  readonly score: number;
}

export type RuleExplanation =
  | {
      readonly kind: 'greedy';
      /** Every project of the category in ranking order, with what happened to it. */
      readonly decisions: readonly { readonly projectId: string; readonly decision: GreedyDecision }[];
    }
  | {
      readonly kind: 'equal-shares';
      readonly voters: number;
      /** Exact share per voter in the final MES run (budget / voters, or the Add1 amount). */
      readonly perVoterBudget: { readonly numerator: number; readonly denominator: number };
      readonly add1Steps: number;
      /** MES outcome in the order bought (before any comparison step). */
      readonly equalSharesWinners: readonly string[];
      readonly comparison?: {
        readonly greedyWinners: readonly string[];
        readonly prefersEqualShares: number;
        readonly prefersGreedy: number;
        readonly chosen: 'equal-shares' | 'greedy';
      };
    };

export interface CategoryResult {
  /** null when the budget is not split by category. */
  readonly category: string | null;
  readonly budget: number;
  readonly spent: number;
  /** In selection order. */
  readonly winners: readonly ProjectCount[];
  readonly explanation: RuleExplanation;
}

export interface TallyResult {
  /** Funded project ids in selection order (category by category when split). */
  readonly winners: readonly string[];
  readonly totalCost: number;
  readonly categories: readonly CategoryResult[];
  /** Votes and points of every project, in list order. */
  readonly counts: readonly ProjectCount[];
  /** Everything needed to recount. */
  readonly parameters: {
    readonly ballotRules: BallotRules;
    readonly budget: BudgetLimit;
    readonly rule: ResolvedWinnerRule;
  };
}

export class TallyInputError extends Error {
  override readonly name = 'TallyInputError';
}

const APPROVAL_TYPES: ReadonlySet<BallotRules['type']> = new Set(['approval', 'knapsack', 'choose-1']);

function isAmount(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

function checkInput(input: TallyInput): void {
  const { budget, projects, ballots, rule, ballotRules } = input;
  const categories = 'total' in budget ? undefined : budget.perCategory.map((c) => c.category);
  if ('total' in budget) {
    if (!isAmount(budget.total)) throw new TallyInputError(`budget ${budget.total} is not a whole non-negative amount`);
  } else {
    if (new Set(categories).size !== budget.perCategory.length) throw new TallyInputError('a budget category is listed twice');
    for (const { category, amount } of budget.perCategory) {
      if (!isAmount(amount)) throw new TallyInputError(`budget of category "${category}" is not a whole non-negative amount`);
    }
  }

  const ids = new Set<string>();
  for (const project of projects) {
    if (project.id === '' || ids.has(project.id)) throw new TallyInputError(`project id "${project.id}" is empty or repeated`);
    ids.add(project.id);
    if (!Number.isSafeInteger(project.cost) || project.cost <= 0) {
      throw new TallyInputError(`project "${project.id}" must cost a whole positive amount, not ${project.cost}`);
    }
    if (categories && !categories.includes(project.category ?? '')) {
      throw new TallyInputError(`project "${project.id}" has no budget category among ${categories.join(', ')}`);
    }
  }

  ballots.forEach((ballot, index) => {
    const seen = new Set<string>();
    for (const id of ballot.projects) {
      if (!ids.has(id)) throw new TallyInputError(`ballot ${index + 1} names unknown project "${id}"`);
      if (seen.has(id)) throw new TallyInputError(`ballot ${index + 1} names project "${id}" twice`);
      seen.add(id);
    }
    if (ballotRules.type === 'ordinal' && ballot.projects.length > ballotRules.maxLength) {
      throw new TallyInputError(`ballot ${index + 1} ranks ${ballot.projects.length} projects, more than the maximum of ${ballotRules.maxLength}`);
    }
    if (ballotRules.type === 'cumulative') {
      const points = ballot.points ?? [];
      if (points.length !== ballot.projects.length || !points.every((p) => Number.isSafeInteger(p) && p >= 0)) {
        throw new TallyInputError(`ballot ${index + 1} must give whole points to each project it names`);
      }
    }
  });

  if (ballotRules.type === 'ordinal' && ballotRules.pointsByPosition) {
    if (ballotRules.pointsByPosition.length < ballotRules.maxLength) {
      throw new TallyInputError('ordinal pointsByPosition must give points for every position up to maxLength');
    }
  }
  if (rule.name === 'greedy-threshold' && !isAmount(rule.minimum)) {
    throw new TallyInputError('greedy-threshold minimum must be a whole non-negative number');
  }
  if (rule.name === 'fixed-winners-per-category') {
    if (!categories) throw new TallyInputError('fixed-winners-per-category needs a budget per category');
    for (const category of categories) {
      const settings = Object.hasOwn(rule.categories, category) ? rule.categories[category] : undefined;
      if (!settings || !Number.isSafeInteger(settings.winners) || settings.winners < 0 || !isAmount(settings.minimum)) {
        throw new TallyInputError(`fixed-winners-per-category needs whole winners and minimum for category "${category}"`);
      }
    }
  }
  if (rule.name === 'equal-shares' && !APPROVAL_TYPES.has(ballotRules.type)) {
    throw new TallyInputError(`equal-shares counts approval-type ballots, not ${ballotRules.type} ballots`);
  }
}

function resolveRule(rule: WinnerRule): ResolvedWinnerRule {
  const defaults = rule.name === 'equal-shares' ? EQUAL_SHARES_TIE_BREAKING : GREEDY_TIE_BREAKING;
  return { ...rule, tieBreaking: normalizeTieBreaking(rule.tieBreaking ?? defaults) };
}

function greedyOptions(rule: Exclude<ResolvedWinnerRule, EqualSharesRule>, category: string | null): GreedyOptions {
  const base = { rankBy: rule.rankBy, whenTooExpensive: 'skip', minimum: 0, maxWinners: Number.POSITIVE_INFINITY } as const;
  switch (rule.name) {
    case 'greedy':
      return base;
    case 'greedy-no-skip':
      return { ...base, whenTooExpensive: 'stop' };
    case 'greedy-threshold':
      return { ...base, minimum: rule.minimum };
    case 'fixed-winners-per-category': {
      // checkInput made sure the budget is per category and each category has its settings.
      const { winners, minimum } = rule.categories[category!]!;
      return { ...base, minimum, maxWinners: winners };
    }
  }
}

function projectCount(p: CountedProject): ProjectCount {
  return { projectId: p.id, cost: p.cost, votes: p.votes, score: p.score };
}

const projectIds = (projects: readonly CountedProject[]) => projects.map((p) => p.id);

function tallyCategory(
  rule: ResolvedWinnerRule,
  category: string | null,
  amount: number,
  projects: readonly CountedProject[],
  ballots: readonly Ballot[],
): CategoryResult {
  const tieBreak = tieBreakComparator(rule.tieBreaking);
  let winners: readonly CountedProject[];
  let explanation: RuleExplanation;
  if (rule.name === 'equal-shares') {
    const indexOf = new Map(projects.map((p, i) => [p.id, i]));
    const approvals = ballots.map((b) => b.projects.flatMap((id) => indexOf.get(id) ?? []));
    const outcome = selectEqualShares(projects, approvals, amount, rule, tieBreak);
    winners = outcome.winners;
    const comparison = outcome.comparison && {
      ...outcome.comparison,
      greedyWinners: projectIds(outcome.comparison.greedyWinners),
    };
    explanation = {
      kind: 'equal-shares',
      voters: outcome.voters,
      perVoterBudget: outcome.perVoterBudget,
      add1Steps: outcome.add1Steps,
      equalSharesWinners: projectIds(outcome.equalSharesWinners),
      ...(comparison && { comparison }),
    };
  } else {
    const outcome = selectGreedy(projects, amount, greedyOptions(rule, category), tieBreak);
    winners = outcome.winners;
    explanation = { kind: 'greedy', decisions: outcome.decisions };
  }
  return {
    category,
    budget: amount,
    spent: winners.reduce((sum, p) => sum + p.cost, 0),
    winners: winners.map(projectCount),
    explanation,
  };
}

/** Counts the ballots and selects the winners. Throws TallyInputError on inconsistent input. */
export function tally(input: TallyInput): TallyResult {
  checkInput(input);
  const rule = resolveRule(input.rule);
  const counted = countVotes(input.ballotRules, input.projects, input.ballots);
  const { budget } = input;
  const categories =
    'total' in budget
      ? [tallyCategory(rule, null, budget.total, counted, input.ballots)]
      : budget.perCategory.map(({ category, amount }) =>
          tallyCategory(rule, category, amount, counted.filter((p) => p.category === category), input.ballots),
        );
  return {
    winners: categories.flatMap((c) => c.winners.map((w) => w.projectId)),
    totalCost: categories.reduce((sum, c) => sum + c.spent, 0),
    categories,
    counts: counted.map(projectCount),
    parameters: { ballotRules: input.ballotRules, budget: input.budget, rule },
  };
}
