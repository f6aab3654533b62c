import { documentClient } from '#shared/data/client.ts';
import { queryPage } from '#shared/data/query.ts';
import { keys } from '#shared/data/keys.ts';
import { petitionFromItem } from '#shared/data/petitions.ts';
import { petitionView } from '#shared/domain/petitions/petition.ts';
import { httpHandler } from '#shared/http/handler.ts';

export const handler = httpHandler('moderationQueue', async ({ query, principal }) => {
  const page = await queryPage(documentClient(), {
    index: 'gsi1',
    partition: keys.petitionListing(principal.community, 'moderation'),
    ascending: true,
    limit: query.limit,
    cursor: query.cursor,
  });
  const now = new Date();
  return { status: 200, body: { items: page.items.map((item) => petitionFromItem(item)).map((p) => petitionView(p, now)), nextCursor: page.nextCursor } };
});
