import { requireBudget, submitProject } from '#shared/data/budgets.ts';
import { documentClient } from '#shared/data/client.ts';
import { checkCanSubmit } from '#shared/domain/budget-process/eligibility.ts';
import { checkProjectInput, newProject, projectView } from '#shared/domain/budget-process/project.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { problemFromRefusal } from '#shared/http/problem.ts';

/** Projects one person may submit per day (abuse limit). */
const MAX_PROJECTS_PER_DAY = 5;

/** Checks everything before the one transaction, so a refused project stores nothing. */
export const handler = httpHandler('submitBudgetProject', async ({ params, body, principal }) => {
  const db = documentClient();
  const budget = await requireBudget(db, params.id);
  const now = new Date();
  const refusal = checkCanSubmit(budget, principal, now);
  if (refusal) throw problemFromRefusal(refusal);
  const broken = checkProjectInput(budget, body);
  if (broken) throw problemFromRefusal(broken);
  const project = await submitProject(db, budget.id, (current, ord) => newProject(current, body, principal, ord, now), principal, MAX_PROJECTS_PER_DAY);
  return {
    status: 201,
    body: projectView(budget, project, now, null, { description: true }),
    headers: { location: `/v1/budgets/${budget.id}/projects/${project.id}` },
  };
});
