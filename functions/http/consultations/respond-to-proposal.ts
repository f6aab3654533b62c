import { documentClient } from '#shared/data/client.ts';
import { requireContribution, saveProposalResponse } from '#shared/data/consultations.ts';
import { proposalView, recordProposalResponse } from '#shared/domain/consultations/contributions.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { problemFromRefusal, problems } from '#shared/http/problem.ts';

export const handler = httpHandler('respondToProposal', async ({ params, body, principal }) => {
  const db = documentClient();
  const { consultation, contribution: proposal } = await requireContribution(db, 'proposal', params.id, params.proposalId, { ofCommunity: principal.community });
  const now = new Date();
  const decision = recordProposalResponse(consultation, proposal, body, now);
  if (!decision.ok) throw problemFromRefusal(decision);
  const audit = { community: principal.community, action: 'proposal.answered', actor: principal, target: { type: 'proposal', id: proposal.id }, at: now };
  if (!(await saveProposalResponse(db, decision.value, audit))) {
    throw problems.conflict('changed', 'The proposal was hidden or the report published meanwhile; reload it.');
  }
  return { status: 200, body: proposalView(decision.value) };
});
