import { contributionModerationQueue } from '#shared/app/consultations.ts';
import { documentClient } from '#shared/data/client.ts';
import { httpHandler } from '#shared/http/handler.ts';

export const handler = httpHandler('contributionModerationQueue', async ({ query, principal }) => {
  return { status: 200, body: await contributionModerationQueue(documentClient(), principal, query) };
});
