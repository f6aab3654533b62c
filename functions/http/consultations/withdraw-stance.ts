import { documentClient } from '#shared/data/client.ts';
import { requireContribution, saveStance } from '#shared/data/consultations.ts';
import { checkCanTakeStance } from '#shared/domain/consultations/contributions.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { problemFromRefusal } from '#shared/http/problem.ts';

export const handler = httpHandler('withdrawStanceOnProposal', async ({ params, principal }) => {
  const db = documentClient();
  const { consultation, contribution: proposal } = await requireContribution(db, 'proposal', params.id, params.proposalId);
  const refusal = checkCanTakeStance(consultation, proposal, principal, new Date());
  if (refusal) throw problemFromRefusal(refusal);
  const { proposal: after } = await saveStance(db, proposal, principal.sub, null);
  return { status: 200, body: { proposalId: after.id, stance: null, supportCount: after.supportCount, opposeCount: after.opposeCount } };
});
