import { listBudgets } from '#shared/data/budgets.ts';
import { documentClient } from '#shared/data/client.ts';
import { resolveCommunity } from '#shared/data/communities.ts';
import { budgetSummaryView, phaseOf, phases, type BudgetProcess, type Phase } from '#shared/domain/budget-process/process.ts';
import { httpHandler } from '#shared/http/handler.ts';

/** Listed: built here, or imported completely. */
const listed = (b: BudgetProcess) => !b.origin || b.origin.complete;

/** Every budget of a community (a few a year), for the counts per phase and the phase filter. */
async function allBudgets(db: ReturnType<typeof documentClient>, community: string): Promise<BudgetProcess[]> {
  const out: BudgetProcess[] = [];
  let cursor: string | undefined;
  do {
    const page = await listBudgets(db, community, 100, cursor);
    out.push(...page.items.filter(listed));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

export const handler = httpHandler('listBudgets', async ({ query }) => {
  const db = documentClient();
  const now = new Date();
  const community = resolveCommunity(query.community);
  const countsOf = (budgets: readonly BudgetProcess[]) => {
    const counts = Object.fromEntries(phases.map((p) => [p, 0])) as Record<Phase, number>;
    for (const b of budgets) counts[phaseOf(b, now)]++;
    return counts;
  };
  if (query.phase !== undefined) {
    // One page: all budgets in the phase (the query schema refuses a cursor here; a community has a few budgets).
    const all = await allBudgets(db, community);
    const items = all.filter((b) => phaseOf(b, now) === query.phase).map((b) => budgetSummaryView(b, now));
    return { status: 200, body: { items, nextCursor: null, counts: countsOf(all) }, cacheSeconds: 10 };
  }
  const page = await listBudgets(db, community, query.limit, query.cursor);
  const items = page.items.filter(listed).map((b) => budgetSummaryView(b, now));
  const counts = query.cursor === undefined ? countsOf(await allBudgets(db, community)) : null;
  return { status: 200, body: { items, nextCursor: page.nextCursor, counts }, cacheSeconds: 10 };
});
