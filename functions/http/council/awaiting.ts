import { queryPage } from '../../../shared/data/query.ts';
import { documentClient } from '../../../shared/data/client.ts';
import { keys } from '../../../shared/data/keys.ts';
import { petitionsById } from '../../../shared/data/petitions.ts';
import { petitionView } from '../../../shared/domain/petitions/petition.ts';
import { httpHandler } from '../../../shared/http/handler.ts';

/** The council's inbox: petitions that reached a threshold and have no response yet, oldest first. */
export const handler = httpHandler('councilAwaiting', async ({ query, principal }) => {
  const db = documentClient();
  const page = await queryPage(db, {
    index: 'gsi1',
    partition: keys.awaitingListing(principal.community),
    ascending: true,
    limit: query.limit,
    cursor: query.cursor,
  });
  const ids = page.items.map((item) => String(item.petitionId));
  const byId = await petitionsById(db, ids);
  const now = new Date();
  const items = ids.flatMap((id) => {
    const petition = byId.get(id);
    // Answered already (a crossing counted after the response, from signatures given before the close): not awaiting.
    return petition && petition.response === null ? [petitionView(petition, now)] : [];
  });
  return { status: 200, body: { items, nextCursor: page.nextCursor } };
});
