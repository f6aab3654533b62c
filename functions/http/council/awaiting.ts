import { queryPage } from '#shared/data/query.ts';
import { documentClient } from '#shared/data/client.ts';
import { keys } from '#shared/data/keys.ts';
import { petitionsById } from '#shared/data/petitions.ts';
import { getCommunity } from '#shared/data/communities.ts';
import { petitionView } from '#shared/domain/petitions/petition.ts';
import { responseDue } from '#shared/domain/petitions/response-due.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { StoreError } from '#shared/data/store-error.ts';

/** The community's configuration (its time zone); none when this deployment does not know it (no deadline shown). */
const communityOf = (db: ReturnType<typeof documentClient>, id: string) =>
  getCommunity(db, id, { includeInactive: true }).catch((error: unknown) => {
    if (error instanceof StoreError && error.kind === 'not-allowed') return undefined;
    throw error;
  });

/** The council's inbox: petitions that reached a threshold and have no response yet, oldest first, with when the response is due. */
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
  const [byId, community] = await Promise.all([petitionsById(db, ids), communityOf(db, principal.community)]);
  const now = new Date();
  const items = ids.flatMap((id) => {
    const petition = byId.get(id);
    // Answered already (a crossing counted after the response, from signatures given before the close): not awaiting.
    if (!petition || petition.response !== null) return [];
    return [{ ...petitionView(petition, now), responseDue: (community && responseDue(petition, community.timeZone, now)) ?? null }];
  });
  return { status: 200, body: { items, nextCursor: page.nextCursor } };
});
