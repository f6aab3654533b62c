import { documentClient } from '#shared/data/client.ts';
import { followingOf } from '#shared/data/notifications.ts';
import { httpHandler } from '#shared/http/handler.ts';

export const handler = httpHandler('getMyFollowing', async ({ principal }) => ({
  status: 200,
  body: { items: await followingOf(documentClient(), principal.sub) },
  headers: { 'cache-control': 'no-store' },
}));
