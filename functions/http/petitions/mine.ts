import { documentClient } from '#shared/data/client.ts';
import { keys } from '#shared/data/keys.ts';
import { petitionsById } from '#shared/data/petitions.ts';
import { queryPage } from '#shared/data/query.ts';
import { petitionView } from '#shared/domain/petitions/petition.ts';
import { httpHandler } from '#shared/http/handler.ts';

/**
 * The petitions the caller created, in every state (draft, moderation, rejected, open, closed),
 * each page newest first: one Query of the author's own AUTHORED# entries, then the petitions by id.
 */
export const handler = httpHandler('myPetitions', async ({ query, principal }) => {
  const db = documentClient();
  const page = await queryPage(db, { partition: keys.person(principal.sub), prefix: 'AUTHORED#', ascending: false, limit: query.limit, cursor: query.cursor });
  const ids = page.items.map((item) => String(item.petitionId));
  const byId = await petitionsById(db, ids);
  const now = new Date();
  const items = ids
    .flatMap((id) => byId.get(id) ?? [])
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    // The author reads back their own words, also where the public view withholds them.
    .map((p) => ({ ...petitionView(p, now), title: p.title, text: p.text }));
  return { status: 200, body: { items, nextCursor: page.nextCursor } };
});
