import { documentClient } from '../../../shared/data/client.ts';
import { requireConsultation } from '../../../shared/data/consultations.ts';
import { follow, getContact } from '../../../shared/data/notifications.ts';
import { contactForFollowing, languageFromHeader, noEmailDetail } from '../../../shared/domain/notifications.ts';
import { httpHandler } from '../../../shared/http/handler.ts';
import { problems } from '../../../shared/http/problem.ts';

export const handler = httpHandler('followConsultation', async ({ params, principal, headers }) => {
  const db = documentClient();
  if (!principal.email) throw problems.unprocessable('email-required', noEmailDetail);
  const consultation = await requireConsultation(db, params.id);
  if (consultation.report) throw problems.conflict('already-reported', 'The report of this consultation is already published: there is nothing more to hear.');
  const contact = contactForFollowing(await getContact(db, principal.sub), principal.email, languageFromHeader(headers['accept-language']), new Date());
  await follow(db, 'consultation', consultation.id, principal.sub, contact ? { sub: principal.sub, contact } : undefined);
  return { status: 200, body: { following: true } };
});
