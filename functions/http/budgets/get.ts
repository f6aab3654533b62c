import { requireBudget } from '#shared/data/budgets.ts';
import { documentClient } from '#shared/data/client.ts';
import { budgetView } from '#shared/domain/budget-process/process.ts';
import { httpHandler } from '#shared/http/handler.ts';

export const handler = httpHandler('getBudget', async ({ params }) => {
  const budget = await requireBudget(documentClient(), params.id);
  return { status: 200, body: budgetView(budget, new Date()), cacheSeconds: 10 };
});
