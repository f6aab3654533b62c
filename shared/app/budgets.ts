/**
 * Budget use cases shared by several routes (results, winners, ballots to cast): what a request reads and
 * decides. Handlers import these; no handler imports another handler (test/architecture.test.ts).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { allBallots, allProjects, getPublishedResults, projectsOnBallot } from '#shared/data/budgets.ts';
import type { Ballot } from '#shared/domain/budget/ballot.ts';
import { decideBallot } from '#shared/domain/budget-process/ballot.ts';
import { ballotsHaveSettled, resultsArePublic, votingHasClosed, type BudgetProcess } from '#shared/domain/budget-process/process.ts';
import { budgetResults, type BudgetResults, type StoredBallot, type VotingMethod } from '#shared/domain/budget-process/results.ts';
import { problems } from '#shared/http/problem.ts';

/** The winners once published (null before): what project statuses and implementation follow. */
export async function publishedWinners(db: DynamoDBDocumentClient, budget: BudgetProcess): Promise<Set<string> | null> {
  if (!budget.resultsPublishedAt) return null;
  const results = await getPublishedResults(db, budget.id);
  return results ? new Set(results.winners) : null;
}

export function requirePublicResults(budget: BudgetProcess, now: Date): void {
  if (resultsArePublic(budget)) return;
  if (!votingHasClosed(budget, now)) {
    throw problems.forbidden('results-after-voting', `Results and ballots are published after voting closes, at ${budget.schedule.results}, once the council publishes them.`);
  }
  throw problems.forbidden('results-not-published', 'The results and ballots are public once the council publishes them (after the paper count).');
}

/**
 * The results with the projects and ballots they come from: the published ones, or once voting has
 * closed the count of the stored ballots under the budget's rule (the council's preliminary count;
 * `audience: 'public'` refuses it until publication). Never during voting.
 */
export async function resultsWithData(db: DynamoDBDocumentClient, budget: BudgetProcess, now: Date, audience: 'public' | 'council' = 'public') {
  if (audience === 'public') requirePublicResults(budget, now);
  if (!votingHasClosed(budget, now)) {
    throw problems.forbidden('results-after-voting', `Results and ballots are counted when voting closes, at ${budget.schedule.results}.`);
  }
  const settled = ballotsHaveSettled(budget, now);
  const [published, projects, ballots] = await Promise.all([
    budget.resultsPublishedAt ? getPublishedResults(db, budget.id) : Promise.resolve(undefined),
    allProjects(db, budget.id, settled),
    allBallots(db, budget.id, settled),
  ]);
  const results: BudgetResults = published ?? budgetResults(budget, projects, ballots, { computedAt: now, publishedAt: null });
  return { results, projects, ballots, cacheSeconds: published ? 300 : settled ? 60 : 10 };
}

/**
 * The ballot a voter, a code holder or staff sent (vote, vote-with-code, paper-ballot), checked
 * against the budget's ballot rules and the projects on its ballot, in the form it is stored; a
 * broken rule is a 422 whose type and `rule` name it.
 */
export async function prepareBallot(
  db: DynamoDBDocumentClient,
  budget: BudgetProcess,
  input: { ballotId: string; ballot: Ballot },
  method: VotingMethod,
): Promise<StoredBallot> {
  const decision = decideBallot(budget, await projectsOnBallot(db, budget.id), input, method);
  if (!decision.ok) throw problems.unprocessable(decision.rule, decision.message, { rule: decision.rule });
  return decision.ballot;
}
