import { enterPaperBallot, requireBudget } from '#shared/data/budgets.ts';
import { prepareBallot } from '#shared/app/budgets.ts';
import { documentClient } from '#shared/data/client.ts';
import { checkCanEnterPaperBallot } from '#shared/domain/budget-process/eligibility.ts';
import { receiptView } from '#shared/domain/budget-process/results.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { count } from '#shared/observability.ts';
import { problemFromRefusal } from '#shared/http/problem.ts';

/**
 * Staff enter a paper ballot cast at the administrative services centre: checked by the same
 * rules as online ballots, stored the same way (marked paper), counted the same way. The entry is
 * audited (who entered which receipt, with the paper's serial number). The voter was recorded
 * earlier, when identified (paper-voters: the same marker as online); the ballot, taken from the
 * box, carries no person, and no more paper ballots are accepted than paper voters recorded.
 */
export const handler = httpHandler('enterBudgetPaperBallot', async ({ params, body, principal }) => {
  const db = documentClient();
  const now = new Date();
  const budget = await requireBudget(db, params.id, { ofCommunity: principal.community });
  const refusal = checkCanEnterPaperBallot(budget, now);
  if (refusal) throw problemFromRefusal(refusal);
  const ballot = await prepareBallot(db, budget, body, 'paper');
  const { created } = await enterPaperBallot(db, {
    budgetId: budget.id, ballotId: body.ballotId, ballot,
    audit: {
      community: budget.community, action: 'budget.paper-ballot.entered', actor: principal, target: { type: 'budget', id: budget.id }, at: now,
      detail: { receipt: ballot.receipt, serial: body.serial ?? null },
    },
  });
  if (created) count('BallotsCast');
  return { status: created ? 201 : 200, body: receiptView(budget.id, ballot) };
});
