/**
 * Results of a budget process: the tally domain's count of the stored anonymous ballots under the
 * process's own rule, with what anyone needs to recount them (the rule, its parameters and
 * tie-breaking, the ballot rules, the money).
 */
import type { Ballot } from '#shared/domain/budget/ballot.ts';
import { tally, type BudgetLimit, type ResolvedWinnerRule, type RuleExplanation, type TallyInput } from '#shared/domain/budget/tally.ts';
import type { BallotRules } from '#shared/domain/budget/ballot.ts';
import { budgetLimitOf, type BudgetProcess } from './process.ts';
import { isAdmitted, type BudgetProject } from './project.ts';

export const votingMethods = ['internet', 'paper', 'code'] as const;
/** How a ballot was cast: online with an account, on paper (entered by staff), online with a school code. */
export type VotingMethod = (typeof votingMethods)[number];

/** An anonymous ballot as stored: no person, no time. */
export interface StoredBallot {
  /** The receipt (online and paper ballots), or the file's voter_id (imported ballots). */
  readonly receipt: string;
  readonly projects: readonly string[];
  readonly points?: readonly number[];
  readonly method: VotingMethod;
  /** Imported ballots: position in the file, and its other VOTES columns (age, sex, voting_method...). */
  readonly ord?: number;
  readonly columns?: Readonly<Record<string, string>>;
}

/** Admitted projects in the official list order. */
export const admittedProjects = (projects: readonly BudgetProject[]) => projects.filter(isAdmitted).sort((a, b) => a.ord - b.ord);

/** The tally's input for a process: admitted projects at their final cost, every stored ballot. */
export function tallyInputOf(process: BudgetProcess, projects: readonly BudgetProject[], ballots: readonly StoredBallot[]): TallyInput {
  return {
    ballotRules: process.ballotRules,
    projects: admittedProjects(projects).map((p) => ({ id: p.id, cost: p.review?.finalCost ?? p.cost, ...(p.category !== null ? { category: p.category } : {}) })),
    ballots: ballots.map((b): Ballot => (process.ballotRules.type === 'cumulative' ? { projects: b.projects, points: b.points ?? [] } : { projects: b.projects })),
    budget: budgetLimitOf(process.money),
    rule: process.rule,
  };
}

export interface ProjectResult {
  readonly projectId: string;
  readonly title: string;
  readonly category: string | null;
  readonly cost: number;
  readonly votes: number;
  readonly score: number;
  readonly selected: boolean;
}

export interface BudgetResults {
  readonly budgetId: string;
  /** Funded project ids, in selection order (category by category when the money is split). */
  readonly winners: readonly string[];
  readonly totalSpent: number;
  readonly currency: string;
  readonly categories: readonly {
    readonly category: string | null;
    readonly budget: number;
    readonly spent: number;
    readonly winners: readonly Omit<ProjectResult, 'selected' | 'category'>[];
    readonly explanation: RuleExplanation;
  }[];
  /** Every project on the ballot, in list order. */
  readonly projects: readonly ProjectResult[];
  readonly ballots: { readonly total: number } & Readonly<Record<VotingMethod, number>>;
  /** Everything needed to recount from the published ballots. */
  readonly rule: ResolvedWinnerRule;
  readonly ballotRules: BallotRules;
  readonly budget: BudgetLimit;
  readonly computedAt: string;
  /** Published by the council (stored, final); otherwise computed on request from the stored ballots. */
  readonly published: boolean;
  readonly publishedAt: string | null;
}

export function budgetResults(
  process: BudgetProcess,
  projects: readonly BudgetProject[],
  ballots: readonly StoredBallot[],
  options: { computedAt: Date; publishedAt: Date | null },
): BudgetResults {
  const result = tally(tallyInputOf(process, projects, ballots));
  const byId = new Map(projects.map((p) => [p.id, p]));
  const winners = new Set(result.winners);
  const title = (id: string) => byId.get(id)?.title ?? id;
  const methods = Object.fromEntries(votingMethods.map((m) => [m, ballots.filter((b) => b.method === m).length])) as Record<VotingMethod, number>;
  return {
    budgetId: process.id,
    winners: result.winners,
    totalSpent: result.totalCost,
    currency: process.money.currency,
    categories: result.categories.map((c) => ({
      category: c.category,
      budget: c.budget,
      spent: c.spent,
      winners: c.winners.map((w) => ({ projectId: w.projectId, title: title(w.projectId), cost: w.cost, votes: w.votes, score: w.score })),
      explanation: c.explanation,
    })),
    projects: result.counts.map((c) => ({
      projectId: c.projectId,
      title: title(c.projectId),
      category: byId.get(c.projectId)?.category ?? null,
      cost: c.cost,
      votes: c.votes,
      score: c.score,
      selected: winners.has(c.projectId),
    })),
    ballots: { total: ballots.length, ...methods },
    rule: result.parameters.rule,
    ballotRules: result.parameters.ballotRules,
    budget: result.parameters.budget,
    computedAt: options.computedAt.toISOString(),
    published: options.publishedAt !== null,
    publishedAt: options.publishedAt?.toISOString() ?? null,
  };
}

/** What a voter gets back: the receipt, the ballot as stored, and where anyone can find it. */
export function receiptView(budgetId: string, ballot: StoredBallot) {
  return {
    budgetId,
    receipt: ballot.receipt,
    ballot: { projects: [...ballot.projects], ...(ballot.points ? { points: [...ballot.points] } : {}) },
    votingMethod: ballot.method,
    verifyAt: `/v1/budgets/${budgetId}/ballots?receipt=${ballot.receipt}`,
  };
}

/** A published anonymous ballot. */
export function anonymousBallotView(ballot: StoredBallot) {
  return { receipt: ballot.receipt, projects: [...ballot.projects], ...(ballot.points ? { points: [...ballot.points] } : {}), votingMethod: ballot.method };
}
