import { documentClient } from '#shared/data/client.ts';
import { requireContribution, saveModeration } from '#shared/data/consultations.ts';
import { moderate, proposalView } from '#shared/domain/consultations/contributions.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { problemFromRefusal, problems } from '#shared/http/problem.ts';

export const handler = httpHandler('moderateConsultationProposal', async ({ params, body, principal }) => {
  const db = documentClient();
  const { contribution: proposal } = await requireContribution(db, 'proposal', params.id, params.proposalId, { ofCommunity: principal.community });
  const now = new Date();
  const decision = moderate(proposal, body, now);
  if (!decision.ok) throw problemFromRefusal(decision);
  const action = decision.value.status === proposal.status ? 'kept' : decision.value.status;
  const audit = { community: principal.community, action: `proposal.${action}`, actor: principal, target: { type: 'proposal', id: proposal.id }, at: now };
  if (!(await saveModeration(db, proposal, decision.value, audit))) throw problems.conflict('changed', 'Another moderator decided meanwhile; reload it.');
  return { status: 200, body: proposalView(decision.value) };
});
