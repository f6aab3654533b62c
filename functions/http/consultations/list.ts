import { documentClient } from '#shared/data/client.ts';
import { countPartition, queryPage, type QueryFilter } from '#shared/data/query.ts';
import { resolveCommunity } from '#shared/data/communities.ts';
import { consultationFromItem, consultationKeys } from '#shared/data/consultations.ts';

import { consultationStatus, consultationSummaryView } from '#shared/domain/consultations/consultation.ts';
import { httpHandler } from '#shared/http/handler.ts';

/**
 * Consultations of a community, latest opening first (index sort key `<opensAt>#<id>`), optionally
 * of one state: upcoming ones open after now (a key range); open and closed ones opened before now
 * and are told apart by their deadline (a filter).
 */
export const handler = httpHandler('listConsultations', async ({ query }) => {
  const db = documentClient();
  const partition = consultationKeys.listing(resolveCommunity(query.community));
  const now = new Date();
  const nowIso = now.toISOString();
  // A consultation opening this very instant is open.
  const boundary = `${nowIso}#~`;
  const deadline = (side: 'open' | 'closed'): QueryFilter => ({
    expression: side === 'open' ? '#closesAt > :now' : '#closesAt <= :now',
    names: { '#closesAt': 'closesAt' },
    values: { ':now': nowIso },
  });
  const range = query.status === undefined ? {}
    : query.status === 'upcoming' ? { after: boundary } : { before: boundary, filter: deadline(query.status) };
  const page = await queryPage(db, { index: 'gsi1', partition, ascending: false, limit: query.limit, cursor: query.cursor, ...range });
  const items = page.items
    .map(consultationFromItem)
    .filter((c) => query.status === undefined || consultationStatus(c, now) === query.status)
    .map((c) => consultationSummaryView(c, now));
  const counts = query.cursor === undefined
    ? await (async () => {
        const [upcoming, open, closed] = await Promise.all([
          countPartition(db, { index: 'gsi1', partition, after: boundary }),
          countPartition(db, { index: 'gsi1', partition, before: boundary, filter: deadline('open') }),
          countPartition(db, { index: 'gsi1', partition, before: boundary, filter: deadline('closed') }),
        ]);
        return { upcoming, open, closed };
      })()
    : null;
  return { status: 200, body: { items, nextCursor: page.nextCursor, counts }, cacheSeconds: 10 };
});
