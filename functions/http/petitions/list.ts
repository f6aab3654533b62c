import { documentClient } from '../../../shared/data/client.ts';
import { queryPage } from '../../../shared/data/query.ts';
import { resolveCommunity } from '../../../shared/data/communities.ts';
import { keys } from '../../../shared/data/keys.ts';
import { petitionFromItem } from '../../../shared/data/petitions.ts';
import { petitionView } from '../../../shared/domain/petitions/petition.ts';
import { httpHandler } from '../../../shared/http/handler.ts';

const orderings = {
  newest: { index: 'gsi1', ascending: false },
  'ending-soon': { index: 'gsi2', ascending: true },
  'most-signed': { index: 'gsi3', ascending: false },
} as const;

export const handler = httpHandler('listPetitions', async ({ query }) => {
  const community = resolveCommunity(query.community);
  const now = new Date();
  const ordering = orderings[query.sort];
  const page = await queryPage(documentClient(), {
    index: ordering.index,
    partition: keys.petitionListing(community, 'open'),
    ascending: ordering.ascending,
    limit: query.limit,
    cursor: query.cursor,
    // "Ending soon" starts at now: petitions whose deadline passed are closed, not ending.
    ...(query.sort === 'ending-soon' && query.cursor === undefined ? { after: now.toISOString() } : {}),
  });
  const items = page.items.map(petitionFromItem).map((p) => petitionView(p, now)).filter((p) => p.status === 'open');
  return { status: 200, body: { items, nextCursor: page.nextCursor }, cacheSeconds: 10 };
});
