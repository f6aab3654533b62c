import { documentClient } from '#shared/data/client.ts';
import { requireConsultation } from '#shared/data/consultations.ts';
import { consultationView } from '#shared/domain/consultations/consultation.ts';
import { httpHandler } from '#shared/http/handler.ts';

export const handler = httpHandler('getConsultation', async ({ params }) => {
  const consultation = await requireConsultation(documentClient(), params.id);
  return { status: 200, body: consultationView(consultation, new Date()), cacheSeconds: 30 };
});
