import { documentClient } from '#shared/data/client.ts';
import { getPetition, signerPage } from '#shared/data/petitions.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { problems } from '#shared/http/problem.ts';

export const handler = httpHandler('listSigners', async ({ params, query }) => {
  const db = documentClient();
  const petition = await getPetition(db, params.id);
  if (!petition || petition.status !== 'open') throw problems.notFound('No such published petition.');
  if (!petition.rules.publicSignerNames) throw problems.notFound('This community does not publish signer names.');
  const page = await signerPage(db, petition.id, query.limit, query.cursor);
  return { status: 200, body: page, cacheSeconds: 30 };
});
