import { requireBudget } from '#shared/data/budgets.ts';
import { documentClient } from '#shared/data/client.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { resultsWithData } from '#shared/app/budgets.ts';

/**
 * The council's preliminary count once voting has closed, while paper ballots may still be entered
 * (the paper-count window) and until publication: the public sees results only once published.
 */
export const handler = httpHandler('councilBudgetResults', async ({ params, principal }) => {
  const db = documentClient();
  const budget = await requireBudget(db, params.id, { ofCommunity: principal.community });
  const { results } = await resultsWithData(db, budget, new Date(), 'council');
  return { status: 200, body: results };
});
