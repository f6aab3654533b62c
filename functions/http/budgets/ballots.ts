import { ballotPage, ballotsByReceipt, requireBudget } from '#shared/data/budgets.ts';
import { documentClient } from '#shared/data/client.ts';
import { ballotsHaveSettled, votingHasClosed } from '#shared/domain/budget-process/process.ts';
import { anonymousBallotView } from '#shared/domain/budget-process/results.ts';
import { normalizeReceipt } from '#shared/domain/budget-process/secrecy.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { problems } from '#shared/http/problem.ts';
import { requirePublicResults } from '#shared/app/budgets.ts';

/**
 * The anonymous ballots, for anyone to recount: all of them once the results are published (before,
 * they would be a running count); one by its receipt at any time, so a voter can check theirs.
 */
export const handler = httpHandler('listBudgetBallots', async ({ params, query }) => {
  const db = documentClient();
  const now = new Date();
  const budget = await requireBudget(db, params.id);
  if (query.receipt !== undefined) {
    // As typed (imported ballots keep the file's voter ids), then as a receipt read leniently.
    for (const receipt of new Set([query.receipt, normalizeReceipt(query.receipt)])) {
      const found = await ballotsByReceipt(db, budget.id, receipt);
      if (found.length > 0) return { status: 200, body: { items: found.map(anonymousBallotView), nextCursor: null } };
    }
    throw problems.notFound('No ballot with this receipt in this budget.');
  }
  if (!votingHasClosed(budget, now)) {
    throw problems.forbidden('ballots-after-voting', `The ballots are published when voting closes, at ${budget.schedule.results}.`);
  }
  requirePublicResults(budget, now);
  const page = await ballotPage(db, budget.id, query.limit, query.cursor);
  return { status: 200, body: { items: page.items.map(anonymousBallotView), nextCursor: page.nextCursor }, cacheSeconds: ballotsHaveSettled(budget, now) ? 300 : 10 };
});
