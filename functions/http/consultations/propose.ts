import { randomUUID } from 'node:crypto';
import { contribute } from '#shared/app/consultations.ts';
import { documentClient } from '#shared/data/client.ts';
import { newProposal, proposalView } from '#shared/domain/consultations/contributions.ts';
import { httpHandler } from '#shared/http/handler.ts';

export const handler = httpHandler('proposeInConsultation', async ({ params, body, principal }) => {
  const proposal = await contribute(documentClient(), params.id, principal, (consultation, now) =>
    newProposal({ id: randomUUID(), consultation, author: principal, title: body.title, text: body.text, now }));
  return { status: 201, body: proposalView(proposal), headers: { location: `/v1/consultations/${proposal.consultationId}/proposals/${proposal.id}` } };
});
