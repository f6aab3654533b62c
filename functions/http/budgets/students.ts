import { requireBudget, setStudents } from '#shared/data/budgets.ts';
import { documentClient } from '#shared/data/client.ts';
import { budgetView } from '#shared/domain/budget-process/process.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { problems } from '#shared/http/problem.ts';

/**
 * The council sets a school budget's registered number of students: the most voting codes its
 * administrator can issue (raising it allows more). Never below the codes already issued; audited.
 */
export const handler = httpHandler('setBudgetStudents', async ({ params, body, principal }) => {
  const db = documentClient();
  const now = new Date();
  const budget = await requireBudget(db, params.id, { ofCommunity: principal.community });
  if (budget.kind !== 'school') throw problems.conflict('not-a-school-budget', 'Only a school budget has a number of students.');
  const saved = await setStudents(db, budget.id, body.students, {
    community: budget.community, action: 'budget.students.set', actor: principal, target: { type: 'budget', id: budget.id }, at: now,
    detail: { students: body.students, previous: budget.students },
  });
  const after = await requireBudget(db, budget.id, { consistent: true });
  if (!saved) {
    throw problems.conflict('below-codes-issued', `${after.codesIssued} codes are already issued; the number of students cannot be lower.`, { codesIssued: after.codesIssued });
  }
  return { status: 200, body: budgetView(after, now) };
});
