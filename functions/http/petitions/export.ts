import { documentClient } from '#shared/data/client.ts';
import { queryPage } from '#shared/data/query.ts';
import { keys } from '#shared/data/keys.ts';
import { getPetition } from '#shared/data/petitions.ts';
import { isPublic, petitionView } from '#shared/domain/petitions/petition.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { problems } from '#shared/http/problem.ts';
import { csvResult, toCsv } from '#shared/http/csv.ts';
import { keyPrefix } from '#shared/data/key-prefixes.ts';

/** Open data: the petition and its hourly signature counts, as JSON or CSV. */
export const handler = httpHandler('exportPetition', async ({ params, query }) => {
  const db = documentClient();
  const petition = await getPetition(db, params.id);
  if (!petition || !isPublic(petition)) throw problems.notFound('No such public petition.');
  const history: { hour: string; signatureCount: number }[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryPage(db, { partition: keys.petition(petition.id).pk, prefix: keyPrefix.countHistory, ascending: true, limit: 500, cursor });
    for (const item of page.items) history.push({ hour: `${item.hour}:00:00Z`, signatureCount: Number(item.signatureCount) });
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  const view = petitionView(petition, new Date());
  if (query.format === 'csv') {
    const csv = toCsv(['petition_id', 'title', 'status', 'hour', 'signature_count'], history.map((h) => [view.id, view.title, view.status, h.hour, h.signatureCount]));
    return csvResult(csv, `petition-${view.id}.csv`, 60);
  }
  return { status: 200, body: { petition: view, signatureCounts: history }, cacheSeconds: 60 };
});
