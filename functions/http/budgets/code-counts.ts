import { codeCounts, requireBudget } from '../../../shared/data/budgets.ts';
import { documentClient } from '../../../shared/data/client.ts';
import { httpHandler } from '../../../shared/http/handler.ts';

export const handler = httpHandler('budgetCodeCounts', async ({ params, principal }) => {
  const db = documentClient();
  const budget = await requireBudget(db, params.id, { ofCommunity: principal.community });
  return { status: 200, body: { budgetId: budget.id, ...(await codeCounts(db, budget.id)) } };
});
