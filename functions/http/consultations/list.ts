import { documentClient } from '../../../shared/data/client.ts';
import { queryPage } from '../../../shared/data/query.ts';
import { resolveCommunity } from '../../../shared/data/communities.ts';
import { consultationFromItem, consultationKeys } from '../../../shared/data/consultations.ts';

import { consultationSummaryView } from '../../../shared/domain/consultations/consultation.ts';
import { httpHandler } from '../../../shared/http/handler.ts';

export const handler = httpHandler('listConsultations', async ({ query }) => {
  const page = await queryPage(documentClient(), {
    index: 'gsi1',
    partition: consultationKeys.listing(resolveCommunity(query.community)),
    ascending: false,
    limit: query.limit,
    cursor: query.cursor,
  });
  const now = new Date();
  const items = page.items.map(consultationFromItem).map((c) => consultationSummaryView(c, now));
  return { status: 200, body: { items, nextCursor: page.nextCursor }, cacheSeconds: 10 };
});
