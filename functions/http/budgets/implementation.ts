import { requireBudget, requireProject, saveImplementation } from '#shared/data/budgets.ts';
import { documentClient } from '#shared/data/client.ts';
import { projectView, updateImplementation } from '#shared/domain/budget-process/project.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { problemFromRefusal, problems } from '#shared/http/problem.ts';
import { publishedWinners } from '#shared/app/budgets.ts';

/** The council tracks each winning project after the results: status and progress, each change audited. */
export const handler = httpHandler('updateBudgetImplementation', async ({ params, body, principal }) => {
  const db = documentClient();
  const now = new Date();
  const budget = await requireBudget(db, params.id, { ofCommunity: principal.community });
  const winners = await publishedWinners(db, budget);
  if (!winners) throw problems.conflict('results-not-published', 'Implementation is tracked once the results are published.');
  const project = await requireProject(db, budget.id, params.projectId, true);
  const decision = updateImplementation(project, winners.has(project.id), body, now);
  if (!decision.ok) throw problemFromRefusal(decision);
  const saved = await saveImplementation(db, project, decision.value, {
    community: budget.community, action: 'budget.project.implementation', actor: principal,
    target: { type: 'budget-project', id: `${budget.id}/${project.id}` }, at: now,
    detail: { status: body.status, progress: body.progress, note: body.note ?? null },
  });
  if (!saved) throw problems.conflict('updated-meanwhile', 'The implementation was updated meanwhile; read it again.');
  return { status: 200, body: projectView(budget, decision.value, now, winners, { description: true }) };
});
