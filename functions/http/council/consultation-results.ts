import { documentClient } from '#shared/data/client.ts';
import { consultationResults, requireConsultation } from '#shared/data/consultations.ts';
import { httpHandler } from '#shared/http/handler.ts';

/** Council members see the results at any time; the first read once they are final freezes them. */
export const handler = httpHandler('councilConsultationResults', async ({ params, principal }) => {
  const db = documentClient();
  const consultation = await requireConsultation(db, params.id, { ofCommunity: principal.community });
  return { status: 200, body: await consultationResults(db, consultation, new Date(), { freeze: true }) };
});
