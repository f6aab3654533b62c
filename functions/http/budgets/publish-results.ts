import { allBallots, allProjects, publishResults, requireBudget } from '#shared/data/budgets.ts';
import { documentClient } from '#shared/data/client.ts';
import { ballotsHaveSettled, BALLOTS_SETTLE_MS, paperEntryEnds } from '#shared/domain/budget-process/process.ts';
import { budgetResults } from '#shared/domain/budget-process/results.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { problems } from '#shared/http/problem.ts';

/** The council publishes the results once voting and the paper count are over: counted from the stored ballots, stored once, audited. */
export const handler = httpHandler('publishBudgetResults', async ({ params, principal }) => {
  const db = documentClient();
  const now = new Date();
  const budget = await requireBudget(db, params.id, { ofCommunity: principal.community, consistent: true });
  if (budget.resultsPublishedAt) throw problems.conflict('already-published', 'The results of this budget are already published.');
  if (!ballotsHaveSettled(budget, now)) {
    throw problems.conflict(
      'voting-not-closed',
      `Results are published once voting has closed and the paper-count window has ended (${paperEntryEnds(budget)}) and a minute (${BALLOTS_SETTLE_MS / 1000} s) has passed for ballots in flight.`,
    );
  }
  const results = await publishResults(db, budget.id, async () => {
    const [projects, ballots] = await Promise.all([allProjects(db, budget.id, true), allBallots(db, budget.id, true)]);
    return budgetResults(budget, projects, ballots, { computedAt: now, publishedAt: now });
  }, { community: budget.community, action: 'budget.results.published', actor: principal, target: { type: 'budget', id: budget.id }, at: now });
  return { status: 201, body: results, headers: { location: `/v1/budgets/${budget.id}/results` } };
});
