import { documentClient } from '#shared/data/client.ts';
import { queryPage } from '#shared/data/query.ts';
import { consultationKeys, contributionFromItem } from '#shared/data/consultations.ts';

import { proposalView, type Proposal } from '#shared/domain/consultations/contributions.ts';
import { httpHandler } from '#shared/http/handler.ts';

/** gsi1 orders by creation time, gsi2 by the zero-padded support count. */
const orderings = { newest: 'gsi1', 'most-supported': 'gsi2' } as const;

export const handler = httpHandler('listConsultationProposals', async ({ params, query }) => {
  const page = await queryPage(documentClient(), {
    index: orderings[query.sort],
    partition: consultationKeys.contributionListing('proposal', params.id),
    ascending: false,
    limit: query.limit,
    cursor: query.cursor,
  });
  const items = page.items.map((item) => proposalView(contributionFromItem(item) as Proposal));
  return { status: 200, body: { items, nextCursor: page.nextCursor }, cacheSeconds: 10 };
});
