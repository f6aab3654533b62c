import { listBudgets } from '../../../shared/data/budgets.ts';
import { documentClient } from '../../../shared/data/client.ts';
import { resolveCommunity } from '../../../shared/data/communities.ts';
import { budgetSummaryView } from '../../../shared/domain/budget-process/process.ts';
import { httpHandler } from '../../../shared/http/handler.ts';

export const handler = httpHandler('listBudgets', async ({ query }) => {
  const now = new Date();
  const page = await listBudgets(documentClient(), resolveCommunity(query.community), query.limit, query.cursor);
  const items = page.items.filter((b) => !b.origin || b.origin.complete).map((b) => budgetSummaryView(b, now));
  return { status: 200, body: { items, nextCursor: page.nextCursor }, cacheSeconds: 10 };
});
