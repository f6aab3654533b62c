import { documentClient } from '#shared/data/client.ts';
import { unfollow } from '#shared/data/notifications.ts';
import { httpHandler } from '#shared/http/handler.ts';

export const handler = httpHandler('unfollowConsultation', async ({ params, principal }) => {
  await unfollow(documentClient(), 'consultation', params.id, principal.sub);
  return { status: 200, body: { following: false } };
});
