import { documentClient } from '#shared/data/client.ts';
import { erasePersonalData } from '#shared/data/personal-data.ts';
import { httpHandler } from '#shared/http/handler.ts';

export const handler = httpHandler('eraseMyData', async ({ principal }) => ({
  status: 200,
  body: await erasePersonalData(documentClient(), principal, new Date()),
}));
