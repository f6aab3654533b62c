import { documentClient } from '#shared/data/client.ts';
import { getPetition } from '#shared/data/petitions.ts';
import { isPublic, petitionView } from '#shared/domain/petitions/petition.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { problems } from '#shared/http/problem.ts';

export const handler = httpHandler('getPetition', async ({ params }) => {
  const petition = await getPetition(documentClient(), params.id);
  if (!petition || !isPublic(petition)) throw problems.notFound('No such public petition.');
  // A crowd watching the counter is served by the CDN for a few seconds, not by the table.
  return { status: 200, body: petitionView(petition, new Date()), cacheSeconds: 5 };
});
