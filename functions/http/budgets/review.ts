import { requireBudget, requireProject, saveReview } from '#shared/data/budgets.ts';
import { documentClient } from '#shared/data/client.ts';
import { projectView, reviewProject } from '#shared/domain/budget-process/project.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { problemFromRefusal, problems } from '#shared/http/problem.ts';

export const handler = httpHandler('reviewBudgetProject', async ({ params, body, principal }) => {
  const db = documentClient();
  const now = new Date();
  const budget = await requireBudget(db, params.id, { ofCommunity: principal.community });
  const project = await requireProject(db, budget.id, params.projectId, true);
  const decision = reviewProject(budget, project, body, now);
  if (!decision.ok) throw problemFromRefusal(decision);
  const saved = await saveReview(db, project, decision.value, {
    community: budget.community, action: project.review ? 'budget.project.review-changed' : 'budget.project.reviewed', actor: principal,
    target: { type: 'budget-project', id: `${budget.id}/${project.id}` }, at: now,
    detail: { feasible: body.feasible, reason: body.reason, finalCost: body.finalCost ?? null, previous: project.review },
  });
  if (!saved) throw problems.conflict('reviewed-meanwhile', 'Another reviewer decided on this project meanwhile; read it again.');
  return { status: 200, body: projectView(budget, decision.value, now, null, { description: true }) };
});
