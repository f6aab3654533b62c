import { randomUUID } from 'node:crypto';
import { documentClient } from '#shared/data/client.ts';
import { getCommunity } from '#shared/data/communities.ts';
import { createContribution, requireConsultation } from '#shared/data/consultations.ts';
import { checkCanParticipate, consultationRulesOf } from '#shared/domain/consultations/consultation.ts';
import { newProposal, proposalView } from '#shared/domain/consultations/contributions.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { problemFromRefusal } from '#shared/http/problem.ts';

export const handler = httpHandler('proposeInConsultation', async ({ params, body, principal }) => {
  const db = documentClient();
  const consultation = await requireConsultation(db, params.id);
  const now = new Date();
  const refusal = checkCanParticipate(consultation, principal, now);
  if (refusal) throw problemFromRefusal(refusal);
  const rules = consultationRulesOf(await getCommunity(db, consultation.community));
  const proposal = newProposal({ id: randomUUID(), consultation, author: principal, title: body.title, text: body.text, now });
  await createContribution(db, proposal, rules.maxProposalsPerPersonPerDay);
  return { status: 201, body: proposalView(proposal), headers: { location: `/v1/consultations/${consultation.id}/proposals/${proposal.id}` } };
});
