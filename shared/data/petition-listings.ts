import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Petition } from '#shared/domain/petitions/petition.ts';
import { keys } from './keys.ts';
import { petitionFromItem, petitionsById, petitionsOfRanking, withCounts } from './petitions.ts';
import { countPartition, queryPage, type QueryFilter } from './query.ts';

export type ListingState = 'open' | 'closed' | 'answered' | 'rejected';
export type ListingSort = 'newest' | 'most-signed' | 'ending-soon';

/**
 * The public petition listings. Every published petition (open or closed: closing follows the
 * clock) is in one index partition per community, ordered three ways: gsi1 by publication and gsi2
 * by deadline (the petition items), gsi3 by count (the count items, see countItemOf). "Open" and
 * "closed" are the two sides of `now` on the deadline: a key range on gsi2, a filter on the other
 * two. Rejected petitions have a partition of their own on gsi1; answered ones a small entry each
 * on gsi1 (the petition's slots being taken by its published orderings). A page is one Query and
 * one BatchGet (the counts of a page of petitions, or the petitions of a page of counts).
 */
export const listingSorts: Record<ListingState, readonly ListingSort[]> = {
  open: ['newest', 'most-signed', 'ending-soon'],
  closed: ['newest', 'most-signed'],
  answered: ['newest'],
  rejected: ['newest'],
};

const tagFilter = (tag: string | undefined): QueryFilter | undefined =>
  tag === undefined ? undefined : { expression: 'contains(#tags, :tag)', names: { '#tags': 'tags' }, values: { ':tag': tag } };

/** Filters combined with AND. */
function both(a: QueryFilter | undefined, b: QueryFilter | undefined): QueryFilter | undefined {
  if (!a || !b) return a ?? b;
  return { expression: `(${a.expression}) AND (${b.expression})`, names: { ...a.names, ...b.names }, values: { ...a.values, ...b.values } };
}

const deadline = (side: 'open' | 'closed', now: string): QueryFilter => ({
  expression: side === 'open' ? '#closesAt > :now' : '#closesAt <= :now',
  names: { '#closesAt': 'closesAt' },
  values: { ':now': now },
});

export interface ListingRequest {
  readonly community: string;
  readonly state: ListingState;
  /** One of listingSorts[state]. */
  readonly sort: ListingSort;
  readonly tag?: string | undefined;
  readonly limit: number;
  readonly cursor?: string | undefined;
  readonly now: Date;
}

/** One page of a listing (items as stored: the caller filters by the status the clock gives them). */
export async function petitionListingPage(db: DynamoDBDocumentClient, request: ListingRequest): Promise<{ petitions: Petition[]; nextCursor: string | null }> {
  const { community, state, sort, now } = request;
  const nowIso = now.toISOString();
  // Deadline keys are `<closesAt>#<id>`: a petition whose deadline is this very instant is closed.
  const boundary = `${nowIso}#~`;
  const published = keys.petitionListing(community, 'open');
  const tags = tagFilter(request.tag);
  const page = { limit: request.limit, cursor: request.cursor };

  if (state === 'rejected') {
    const result = await queryPage(db, { index: 'gsi1', partition: keys.petitionListing(community, state), ascending: false, ...page, filter: tags });
    return { petitions: result.items.map((item) => petitionFromItem(item)), nextCursor: result.nextCursor };
  }
  if (state === 'answered') {
    const result = await queryPage(db, { index: 'gsi1', partition: keys.petitionListing(community, state), ascending: false, ...page, filter: tags });
    const ids = result.items.map((item) => String(item.petitionId));
    const byId = await petitionsById(db, ids);
    return { petitions: ids.flatMap((id) => byId.get(id) ?? []), nextCursor: result.nextCursor };
  }
  if (sort === 'most-signed') {
    const result = await queryPage(db, { index: 'gsi3', partition: published, ascending: false, ...page, filter: both(deadline(state, nowIso), tags) });
    return { petitions: await petitionsOfRanking(db, result.items), nextCursor: result.nextCursor };
  }
  const result =
    sort === 'ending-soon'
      // Ending soon starts at now (a cursor continues after its own position, later than now).
      ? await queryPage(db, { index: 'gsi2', partition: published, ascending: true, ...page, ...(page.cursor === undefined ? { after: boundary } : {}), filter: both(deadline('open', nowIso), tags) })
      : state === 'closed'
        // Most recently closed first: deadlines before now, latest first.
        ? await queryPage(db, { index: 'gsi2', partition: published, ascending: false, ...page, before: boundary, filter: tags })
        : await queryPage(db, { index: 'gsi1', partition: published, ascending: false, ...page, filter: both(deadline(state, nowIso), tags) });
  return { petitions: await withCounts(db, result.items), nextCursor: result.nextCursor };
}

/** How many petitions each listing holds (with the same category filter): reads each whole. */
export async function petitionListingCounts(db: DynamoDBDocumentClient, community: string, tag: string | undefined, now: Date): Promise<Record<ListingState, number>> {
  const boundary = `${now.toISOString()}#~`;
  const published = keys.petitionListing(community, 'open');
  const tags = tagFilter(tag);
  const [open, closed, answered, rejected] = await Promise.all([
    countPartition(db, { index: 'gsi2', partition: published, after: boundary, filter: tags }),
    countPartition(db, { index: 'gsi2', partition: published, before: boundary, filter: tags }),
    countPartition(db, { index: 'gsi1', partition: keys.petitionListing(community, 'answered'), filter: tags }),
    countPartition(db, { index: 'gsi1', partition: keys.petitionListing(community, 'rejected'), filter: tags }),
  ]);
  return { open, closed, answered, rejected };
}
