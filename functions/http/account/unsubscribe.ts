import { documentClient } from '#shared/data/client.ts';
import { deleteContact } from '#shared/data/notifications.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { problems } from '#shared/http/problem.ts';
import { subFromUnsubscribeToken } from '#shared/notify/unsubscribe.ts';
import { loadKeyRing } from '#shared/secrets/load-key-ring.ts';

export const handler = httpHandler('unsubscribe', async ({ query }) => {
  const sub = subFromUnsubscribeToken(await loadKeyRing(), query.token);
  if (!sub) throw problems.badRequest('invalid-unsubscribe-link', 'This unsubscribe link is not valid. Sign in and change your notification preferences instead.');
  // Idempotent: a second click (or the mail client's POST and the person's) finds nothing to remove.
  await deleteContact(documentClient(), sub);
  return { status: 200, body: { unsubscribed: true as const }, headers: { 'cache-control': 'no-store' } };
});
