import { documentClient } from '#shared/data/client.ts';
import { publicResults } from '#shared/app/consultations.ts';
import { httpHandler } from '#shared/http/handler.ts';

export const handler = httpHandler('consultationResults', async ({ params }) => {
  const { results, cacheSeconds } = await publicResults(documentClient(), params.id, new Date());
  return { status: 200, body: results, cacheSeconds };
});
