import { castBallot, requireBudget, retriedBallot, voterKeyOf, type BallotGate } from '#shared/data/budgets.ts';
import { prepareBallot } from '#shared/app/budgets.ts';
import { documentClient } from '#shared/data/client.ts';
import { checkCanVote } from '#shared/domain/budget-process/eligibility.ts';
import { receiptView } from '#shared/domain/budget-process/results.ts';
import { receiptOf } from '#shared/domain/budget-process/secrecy.ts';
import { loadKeyRing } from '#shared/secrets/load-key-ring.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { count } from '#shared/observability.ts';
import { problemFromRefusal } from '#shared/http/problem.ts';
import { votingHasClosed } from '#shared/domain/budget-process/process.ts';
import { requireEmail, wishToHearBallotResults } from '#shared/app/notifications.ts';

/**
 * A secret ballot, once per voter: everything is checked before the one transaction (a refused
 * ballot stores nothing), which writes the voter marker and the anonymous ballot, unlinked.
 * Nothing here logs who voted together with what or with the receipt. The marker is the keyed hash
 * of the budget and the person's national identifier, the same as for a paper voter at the centre.
 * `{"notify": true}`: the voter's wish to hear the results, written apart from the ballot, after it
 * (shared/app/notifications.ts `wishToHearBallotResults` says why it cannot be linked to it).
 */
export const handler = httpHandler('castBudgetBallot', async ({ params, body, principal, headers }) => {
  const db = documentClient();
  const now = new Date();
  const today = now.toISOString().slice(0, 10);
  // Refused before anything is written: no ballot without the wish it came with.
  if (body.notify) requireEmail(principal);
  const wish = async () => {
    if (body.notify) await wishToHearBallotResults(db, params.id, principal, headers['accept-language'], today);
  };
  const budget = await requireBudget(db, params.id);
  const ring = await loadKeyRing();
  const gate = (nationalId: string): BallotGate => ({ kind: 'voter', voterKey: voterKeyOf(ring, budget, nationalId) });
  const refusal = checkCanVote(budget, principal, now);
  if (refusal || !principal.nationalId) {
    // A retry of a ballot counted just before voting closed still gets its receipt.
    const counted = votingHasClosed(budget, now) && principal.nationalId !== undefined
      && (await retriedBallot(db, { budgetId: budget.id, ballotId: body.ballotId, receipt: receiptOf(body.ballotId), gate: gate(principal.nationalId) }));
    if (counted) {
      await wish();
      return { status: 200, body: receiptView(budget.id, counted) };
    }
    throw problemFromRefusal(refusal ?? { kind: 'not-allowed', code: 'national-id-required', message: 'Voting needs an identity with your national identifier.' });
  }
  const ballot = await prepareBallot(db, budget, body, 'internet');
  const { created } = await castBallot(db, {
    budgetId: budget.id, ballotId: body.ballotId, ballot, gate: gate(principal.nationalId), today,
  });
  if (created) count('BallotsCast');
  // After the ballot's transaction, never in it; a failure here is a 5xx and the retry (same
  // ballotId: 200, the same receipt) writes it.
  await wish();
  return { status: created ? 201 : 200, body: receiptView(budget.id, ballot) };
});
