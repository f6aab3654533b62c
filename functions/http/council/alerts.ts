import { documentClient } from '#shared/data/client.ts';
import { queryPage } from '#shared/data/query.ts';
import { keys } from '#shared/data/keys.ts';

import { alertFromItem } from '#shared/notify/alert.ts';
import { httpHandler } from '#shared/http/handler.ts';

export const handler = httpHandler('councilAlerts', async ({ query, principal }) => {
  const page = await queryPage(documentClient(), {
    index: 'gsi1',
    partition: keys.alertListing(principal.community),
    ascending: false,
    limit: query.limit,
    cursor: query.cursor,
  });
  const items = page.items.map(alertFromItem).map(({ petitionId, title, threshold, reachedAt, signatureCount, idempotencyKey }) => ({
    petitionId, title, threshold, reachedAt, signatureCount, idempotencyKey,
  }));
  // The inbox polls every few seconds: unchanged answers are a 304 without a body.
  return { status: 200, body: { items, nextCursor: page.nextCursor }, revalidate: true };
});
