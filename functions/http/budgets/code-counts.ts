import { codeCounts, requireBudget } from '#shared/data/budgets.ts';
import { documentClient } from '#shared/data/client.ts';
import { checkCanSeeCodeCounts } from '#shared/domain/budget-process/eligibility.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { problemFromRefusal } from '#shared/http/problem.ts';

export const handler = httpHandler('budgetCodeCounts', async ({ params, principal }) => {
  const db = documentClient();
  const budget = await requireBudget(db, params.id, { ofCommunity: principal.community });
  const refusal = checkCanSeeCodeCounts(budget, principal);
  if (refusal) throw problemFromRefusal(refusal);
  return { status: 200, body: { budgetId: budget.id, ...(await codeCounts(db, budget.id)) } };
});
