import { documentClient } from '#shared/data/client.ts';
import { resolveCommunity } from '#shared/data/communities.ts';
import { listingSorts, petitionListingCounts, petitionListingPage } from '#shared/data/petition-listings.ts';
import { effectiveStatus, petitionView } from '#shared/domain/petitions/petition.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { problems } from '#shared/http/problem.ts';

export const handler = httpHandler('listPetitions', async ({ query }) => {
  const db = documentClient();
  const community = resolveCommunity(query.community);
  const { status: state, sort } = query;
  if (!listingSorts[state].includes(sort)) {
    throw problems.badRequest('unsupported-sort', `The ${state} listing is sorted by ${listingSorts[state].join(', ')}; not by ${sort}.`);
  }
  const now = new Date();
  const { petitions, nextCursor } = await petitionListingPage(db, { community, state, sort, tag: query.tag, limit: query.limit, cursor: query.cursor, now });
  const items = petitions
    .filter((p) => {
      const status = effectiveStatus(p, now);
      if (state === 'answered') return p.response !== null && (status === 'open' || status === 'closed');
      return status === state;
    })
    .map((p) => petitionView(p, now));
  // Counts per state come with the first page only: they read the whole listing.
  const counts = query.cursor === undefined ? await petitionListingCounts(db, community, query.tag, now) : null;
  return { status: 200, body: { items, nextCursor, counts }, cacheSeconds: 10 };
});
