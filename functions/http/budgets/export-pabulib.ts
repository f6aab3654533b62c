import { requireBudget } from '#shared/data/budgets.ts';
import { documentClient } from '#shared/data/client.ts';
import { getCommunity } from '#shared/data/communities.ts';
import { writePabulib } from '#shared/domain/budget/pabulib.ts';
import { budgetAsPabulib } from '#shared/domain/budget-process/open-data.ts';
import { budgetRulesOf } from '#shared/domain/budget-process/process.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { resultsWithData } from '#shared/app/budgets.ts';

/** Open data: the budget as a Pabulib `.pb` file, once voting has closed (the votes are its ballots). */
export const handler = httpHandler('exportBudgetPabulib', async ({ params }) => {
  const db = documentClient();
  const now = new Date();
  const budget = await requireBudget(db, params.id);
  const [{ results, projects, ballots, cacheSeconds }, community] = await Promise.all([resultsWithData(db, budget, now), getCommunity(db, budget.community, { includeInactive: true })]);
  const election = budgetAsPabulib(budget, projects, ballots, results, {
    unit: community.name, country: budgetRulesOf(community).country, timeZone: community.timeZone,
  });
  return {
    status: 200,
    text: writePabulib(election),
    contentType: 'text/plain; charset=utf-8',
    headers: { 'content-disposition': `attachment; filename="${budget.community}_${budget.id}.pb"` },
    cacheSeconds,
  };
});
