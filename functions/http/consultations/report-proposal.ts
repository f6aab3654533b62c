import { reportContribution } from '#shared/app/consultations.ts';
import { documentClient } from '#shared/data/client.ts';
import { httpHandler } from '#shared/http/handler.ts';

export const handler = httpHandler('reportConsultationProposal', async ({ params, body, principal }) => {
  const target = { kind: 'proposal' as const, consultationId: params.id, id: params.proposalId };
  const { created, report } = await reportContribution(documentClient(), target, principal, body, new Date());
  return { status: created ? 201 : 200, body: report };
});
