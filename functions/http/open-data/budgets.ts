import { documentClient } from '#shared/data/client.ts';
import { resolveCommunity } from '#shared/data/communities.ts';
import { budgetProjects, budgetsWithPublicResults, publicResults } from '#shared/data/open-data.ts';
import { budgetColumns, budgetRows } from '#shared/domain/open-data/budgets.ts';
import { csvResult, toCsv } from '#shared/http/csv.ts';
import { httpHandler } from '#shared/http/handler.ts';

const CACHE_SECONDS = 60;

export const handler = httpHandler('openDataBudgets', async ({ query }) => {
  const community = resolveCommunity(query.community);
  const now = new Date();
  const db = documentClient();
  const budgets = await budgetsWithPublicResults(db, community);
  const rows = (await Promise.all(budgets.map(async (budget) => {
    const projects = await budgetProjects(db, budget);
    return budgetRows(budget, projects, await publicResults(db, budget, projects, now));
  }))).flat();
  if (query.format === 'csv') {
    const csv = toCsv(budgetColumns, rows.map((row) => budgetColumns.map((c) => {
      const v = row[c];
      return typeof v === 'boolean' ? String(v) : v;
    })));
    return csvResult(csv, `${community}-budgets.csv`, CACHE_SECONDS);
  }
  return { status: 200, body: { dataset: 'budgets', community, generatedAt: now.toISOString(), columns: budgetColumns, rows }, cacheSeconds: CACHE_SECONDS };
});
