import { recordPaperVoter, requireBudget, voterKeyOf } from '#shared/data/budgets.ts';
import { documentClient } from '#shared/data/client.ts';
import { checkCanRecordPaperVoter } from '#shared/domain/budget-process/eligibility.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { problemFromRefusal } from '#shared/http/problem.ts';
import { loadKeyRing } from '#shared/secrets/load-key-ring.ts';

/**
 * Staff at the services centre identify a person by their national identifier (read from the ID
 * document, the same identifier the identity provider attests online) before handing out a paper
 * ballot: the person gets the same voter marker as online, so voting both ways is refused (409)
 * whichever comes first. The identifier is not stored, logged or audited; the audit entry says
 * only which staff member handed out a ballot. The ballot itself is entered later, anonymously.
 */
export const handler = httpHandler('recordBudgetPaperVoter', async ({ params, body, principal }) => {
  const db = documentClient();
  const now = new Date();
  const budget = await requireBudget(db, params.id, { ofCommunity: principal.community });
  const refusal = checkCanRecordPaperVoter(budget, now);
  if (refusal) throw problemFromRefusal(refusal);
  const ring = await loadKeyRing();
  await recordPaperVoter(db, {
    budgetId: budget.id,
    voterKey: voterKeyOf(ring, budget, body.nationalId),
    today: now.toISOString().slice(0, 10),
    audit: { community: budget.community, action: 'budget.paper-voter.recorded', actor: principal, target: { type: 'budget', id: budget.id }, at: now },
  });
  return { status: 201, body: { budgetId: budget.id, recorded: true } };
});
