import { castBallot, prepareBallot, requireBudget, retriedBallot, type BallotGate } from '../../../shared/data/budgets.ts';
import { documentClient } from '../../../shared/data/client.ts';
import { checkCanVote } from '../../../shared/domain/budget-process/eligibility.ts';
import { receiptView } from '../../../shared/domain/budget-process/results.ts';
import { receiptOf, voterKey } from '../../../shared/domain/budget-process/secrecy.ts';
import { httpHandler } from '../../../shared/http/handler.ts';
import { HttpProblem } from '../../../shared/http/problem.ts';
import { votingHasClosed } from '../../../shared/domain/budget-process/process.ts';

/**
 * A secret ballot, once per voter: everything is checked before the one transaction (a refused
 * ballot stores nothing), which writes the voter marker and the anonymous ballot, unlinked.
 * Nothing here logs who voted together with what or with the receipt.
 */
export const handler = httpHandler('castBudgetBallot', async ({ params, body, principal }) => {
  const db = documentClient();
  const now = new Date();
  const budget = await requireBudget(db, params.id);
  const gate: BallotGate = { kind: 'voter', voterKey: voterKey(budget.id, principal.sub) };
  const refusal = checkCanVote(budget, principal, now);
  if (refusal) {
    // A retry of a ballot counted just before voting closed still gets its receipt.
    const counted = votingHasClosed(budget, now) && (await retriedBallot(db, { budgetId: budget.id, ballotId: body.ballotId, receipt: receiptOf(body.ballotId), gate }));
    if (counted) return { status: 200, body: receiptView(budget.id, counted) };
    throw new HttpProblem(refusal.status, refusal.code, refusal.message);
  }
  const ballot = await prepareBallot(db, budget, body, 'internet');
  const { created } = await castBallot(db, {
    budgetId: budget.id, ballotId: body.ballotId, ballot, gate, today: now.toISOString().slice(0, 10),
  });
  return { status: created ? 201 : 200, body: receiptView(budget.id, ballot) };
});
