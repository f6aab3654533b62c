import { castBallot, requireBudget, retriedBallot, type BallotGate } from '#shared/data/budgets.ts';
import { prepareBallot } from '#shared/app/budgets.ts';
import { documentClient } from '#shared/data/client.ts';
import { codeHash, readCode } from '#shared/domain/budget-process/codes.ts';
import { checkCanVoteWithCode } from '#shared/domain/budget-process/eligibility.ts';
import { receiptView } from '#shared/domain/budget-process/results.ts';
import { receiptOf } from '#shared/domain/budget-process/secrecy.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { count } from '#shared/observability.ts';
import { problemFromRefusal, problems } from '#shared/http/problem.ts';
import { votingHasClosed } from '#shared/domain/budget-process/process.ts';

/**
 * A student votes with a one-time code, without an account. The code is looked up by its hash
 * under this budget only, so a code of another school's budget is simply not a code here; it is
 * marked used in the same transaction that stores the anonymous ballot.
 */
export const handler = httpHandler('castBudgetCodeBallot', async ({ params, body }) => {
  const db = documentClient();
  const now = new Date();
  const budget = await requireBudget(db, params.id);
  const code = readCode(body.code);
  if (!code.ok) throw problems.badRequest(code.code, code.message);
  const gate: BallotGate = { kind: 'code', codeHash: codeHash(code.code) };
  const refusal = checkCanVoteWithCode(budget, now);
  if (refusal) {
    // A retry of a ballot counted just before voting closed still gets its receipt.
    const counted = votingHasClosed(budget, now) && (await retriedBallot(db, { budgetId: budget.id, ballotId: body.ballotId, receipt: receiptOf(body.ballotId), gate }));
    if (counted) return { status: 200, body: receiptView(budget.id, counted) };
    throw problemFromRefusal(refusal);
  }
  const ballot = await prepareBallot(db, budget, body, 'code');
  const { created } = await castBallot(db, {
    budgetId: budget.id, ballotId: body.ballotId, ballot, gate, today: now.toISOString().slice(0, 10),
  });
  if (created) count('BallotsCast');
  return { status: created ? 201 : 200, body: receiptView(budget.id, ballot) };
});
