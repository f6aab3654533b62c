import { documentClient } from '#shared/data/client.ts';
import { deleteContact, putContact } from '#shared/data/notifications.ts';
import { noEmailDetail } from '#shared/domain/notifications.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { problems } from '#shared/http/problem.ts';

export const handler = httpHandler('putMyNotifications', async ({ principal, body }) => {
  const db = documentClient();
  // Nothing chosen: nothing is sent, so the address is not kept either.
  if (body.kinds.length === 0) {
    await deleteContact(db, principal.sub);
    return { status: 200, body: { email: null, language: body.language, kinds: [] } };
  }
  if (!principal.email) throw problems.unprocessable('email-required', noEmailDetail);
  const contact = { email: principal.email, language: body.language, kinds: body.kinds, updatedAt: new Date().toISOString() };
  await putContact(db, principal.sub, contact);
  return { status: 200, body: { email: contact.email, language: contact.language, kinds: contact.kinds } };
});
