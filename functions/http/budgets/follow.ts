import { followFor, requireEmail } from '#shared/app/notifications.ts';
import { requireBudget } from '#shared/data/budgets.ts';
import { documentClient } from '#shared/data/client.ts';
import { httpHandler } from '#shared/http/handler.ts';

/** Any budget of the service may be followed: before its results, and after them for its winners' implementation. */
export const handler = httpHandler('followBudget', async ({ params, principal, headers }) => {
  const db = documentClient();
  requireEmail(principal);
  const budget = await requireBudget(db, params.id);
  await followFor(db, { type: 'budget', id: budget.id }, principal, headers['accept-language'], new Date());
  return { status: 200, body: { following: true } };
});
