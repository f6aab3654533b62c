import { documentClient } from '#shared/data/client.ts';
import { getResponse } from '#shared/data/consultations.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { problems } from '#shared/http/problem.ts';

export const handler = httpHandler('getOwnResponse', async ({ params, principal }) => {
  const response = await getResponse(documentClient(), params.id, principal.sub);
  if (!response) throw problems.notFound('You have not responded to this consultation.');
  return { status: 200, body: response };
});
