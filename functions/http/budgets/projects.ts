import { allProjects, requireBudget } from '#shared/data/budgets.ts';
import { documentClient } from '#shared/data/client.ts';
import { projectView } from '#shared/domain/budget-process/project.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { publishedWinners } from '#shared/app/budgets.ts';

/** Every project in list order (a budget has a few hundred at most), without the long descriptions. */
export const handler = httpHandler('listBudgetProjects', async ({ params }) => {
  const db = documentClient();
  const now = new Date();
  const budget = await requireBudget(db, params.id);
  const [projects, winners] = await Promise.all([allProjects(db, budget.id), publishedWinners(db, budget)]);
  return { status: 200, body: { items: projects.map((p) => projectView(budget, p, now, winners, { description: false })) }, cacheSeconds: 10 };
});
