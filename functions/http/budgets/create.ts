import { randomUUID } from 'node:crypto';
import { createBudget } from '#shared/data/budgets.ts';
import { documentClient } from '#shared/data/client.ts';
import { getCommunity } from '#shared/data/communities.ts';
import { budgetView, newBudgetProcess } from '#shared/domain/budget-process/process.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { problemFromRefusal } from '#shared/http/problem.ts';
import { loadKeyRing } from '#shared/secrets/load-key-ring.ts';

/**
 * The council creates a budget in its own community; the community is the caller's, never the body's.
 * The key ring's current key id is recorded with it: it keys the budget's voter markers for its whole life.
 */
export const handler = httpHandler('createBudget', async ({ body, principal }) => {
  const db = documentClient();
  const [community, ring] = await Promise.all([getCommunity(db, principal.community), loadKeyRing()]);
  const now = new Date();
  const decision = newBudgetProcess({ ...body, id: randomUUID(), community, createdBy: principal.sub, markerKeyId: ring.currentId }, now);
  if (!decision.ok) throw problemFromRefusal(decision);
  const budget = decision.value;
  await createBudget(db, budget, {
    community: community.id, action: 'budget.created', actor: principal, target: { type: 'budget', id: budget.id }, at: now,
    detail: { kind: budget.kind, schoolId: budget.schoolId, students: budget.students, title: budget.title, total: budget.money.total, rule: budget.rule.name },
  });
  return { status: 201, body: budgetView(budget, now), headers: { location: `/v1/budgets/${budget.id}` } };
});
