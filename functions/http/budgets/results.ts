import { getPublishedResults, requireBudget } from '#shared/data/budgets.ts';
import { documentClient } from '#shared/data/client.ts';
import { resultsWithData } from '#shared/app/budgets.ts';
import { httpHandler } from '#shared/http/handler.ts';

export const handler = httpHandler('getBudgetResults', async ({ params }) => {
  const db = documentClient();
  const now = new Date();
  const budget = await requireBudget(db, params.id);
  if (budget.resultsPublishedAt) {
    const published = await getPublishedResults(db, budget.id);
    if (published) return { status: 200, body: published, cacheSeconds: 300 };
  }
  const { results, cacheSeconds } = await resultsWithData(db, budget, now);
  return { status: 200, body: results, cacheSeconds };
});
