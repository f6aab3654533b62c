import { documentClient } from '#shared/data/client.ts';
import { follow, getContact } from '#shared/data/notifications.ts';
import { getPetition } from '#shared/data/petitions.ts';
import { contactForFollowing, languageFromHeader, noEmailDetail } from '#shared/domain/notifications.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { problems } from '#shared/http/problem.ts';

export const handler = httpHandler('followPetition', async ({ params, principal, headers }) => {
  const db = documentClient();
  if (!principal.email) throw problems.unprocessable('email-required', noEmailDetail);
  const petition = await getPetition(db, params.id);
  // Open ones (published; closing follows the clock, and a closed one still gets its response).
  if (!petition || petition.status !== 'open') throw problems.notFound('No such petition open for following.');
  const contact = contactForFollowing(await getContact(db, principal.sub), principal.email, languageFromHeader(headers['accept-language']), new Date());
  await follow(db, 'petition', petition.id, principal.sub, contact ? { sub: principal.sub, contact } : undefined);
  return { status: 200, body: { following: true } };
});
