import { requireBudget, requireProject } from '#shared/data/budgets.ts';
import { documentClient } from '#shared/data/client.ts';
import { projectView } from '#shared/domain/budget-process/project.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { publishedWinners } from '#shared/app/budgets.ts';

export const handler = httpHandler('getBudgetProject', async ({ params }) => {
  const db = documentClient();
  const budget = await requireBudget(db, params.id);
  const [project, winners] = await Promise.all([requireProject(db, budget.id, params.projectId), publishedWinners(db, budget)]);
  return { status: 200, body: projectView(budget, project, new Date(), winners, { description: true }), cacheSeconds: 10 };
});
