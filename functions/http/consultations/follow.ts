import { followFor, requireEmail } from '#shared/app/notifications.ts';
import { documentClient } from '#shared/data/client.ts';
import { requireConsultation } from '#shared/data/consultations.ts';
import { httpHandler } from '#shared/http/handler.ts';

/**
 * Any consultation of the service may be followed, at any time: before its report (the report is
 * what followers hear) and after it (nothing more to hear yet, but following is the person's choice).
 */
export const handler = httpHandler('followConsultation', async ({ params, principal, headers }) => {
  const db = documentClient();
  requireEmail(principal);
  const consultation = await requireConsultation(db, params.id);
  await followFor(db, { type: 'consultation', id: consultation.id }, principal, headers['accept-language'], new Date());
  return { status: 200, body: { following: true } };
});
