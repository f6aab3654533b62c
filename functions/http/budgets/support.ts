import { requireBudget, requireProject, supportProject } from '#shared/data/budgets.ts';
import { documentClient } from '#shared/data/client.ts';
import { checkCanSupport } from '#shared/domain/budget-process/eligibility.ts';
import { supportReached } from '#shared/domain/budget-process/project.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { problemFromRefusal } from '#shared/http/problem.ts';

/** One support per person and project, counted once: 201 the first time, 200 (the same count) on a repeat. */
export const handler = httpHandler('supportBudgetProject', async ({ params, principal }) => {
  const db = documentClient();
  const now = new Date();
  const budget = await requireBudget(db, params.id);
  const project = await requireProject(db, budget.id, params.projectId);
  const refusal = checkCanSupport(budget, project.authorSub, principal, now);
  if (refusal) throw problemFromRefusal(refusal);
  const { created, project: after } = await supportProject(db, project, principal.sub, now);
  return {
    status: created ? 201 : 200,
    body: { budgetId: budget.id, projectId: after.id, supportCount: after.supportCount, required: budget.preSupport.required, reached: supportReached(budget, after) },
  };
});
