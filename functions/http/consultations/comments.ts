import { documentClient } from '#shared/data/client.ts';
import { queryPage } from '#shared/data/query.ts';
import { consultationKeys, contributionFromItem } from '#shared/data/consultations.ts';

import { commentView } from '#shared/domain/consultations/contributions.ts';
import { httpHandler } from '#shared/http/handler.ts';

export const handler = httpHandler('listConsultationComments', async ({ params, query }) => {
  const page = await queryPage(documentClient(), {
    index: 'gsi1',
    partition: consultationKeys.contributionListing('comment', params.id),
    ascending: true,
    limit: query.limit,
    cursor: query.cursor,
  });
  return { status: 200, body: { items: page.items.map(contributionFromItem).map(commentView), nextCursor: page.nextCursor }, cacheSeconds: 10 };
});
