import { documentClient } from '#shared/data/client.ts';
import { getContact } from '#shared/data/notifications.ts';
import { languageFromHeader } from '#shared/domain/notifications.ts';
import { httpHandler } from '#shared/http/handler.ts';

export const handler = httpHandler('getMyNotifications', async ({ principal, headers }) => {
  const contact = await getContact(documentClient(), principal.sub);
  return {
    status: 200,
    body: contact
      ? { email: contact.email, language: contact.language, kinds: [...contact.kinds] }
      : { email: null, language: languageFromHeader(headers['accept-language']), kinds: [] },
    headers: { 'cache-control': 'no-store' },
  };
});
