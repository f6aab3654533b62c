import { documentClient } from '#shared/data/client.ts';
import { countPartition, queryPage, type QueryFilter } from '#shared/data/query.ts';
import { resolveCommunity } from '#shared/data/communities.ts';
import { keys } from '#shared/data/keys.ts';
import { petitionFromItem, petitionsById } from '#shared/data/petitions.ts';
import { effectiveStatus, petitionView, type Petition } from '#shared/domain/petitions/petition.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { problems } from '#shared/http/problem.ts';

type State = 'open' | 'closed' | 'answered' | 'rejected';
type Sort = 'newest' | 'most-signed' | 'ending-soon';

/**
 * Every published petition (open or closed: closing follows the clock) is in one index partition
 * per community, ordered three ways: gsi1 by publication, gsi2 by deadline, gsi3 by count. "Open"
 * and "closed" are the two sides of `now` on the deadline: a key range on gsi2, a filter on the
 * other two. Rejected petitions have a partition of their own on gsi1; answered ones a small
 * entry each on gsi1 (the petition's three slots being taken by its published orderings).
 */
const sorts: Record<State, readonly Sort[]> = {
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

export const handler = httpHandler('listPetitions', async ({ query }) => {
  const db = documentClient();
  const community = resolveCommunity(query.community);
  const state: State = query.status;
  const sort: Sort = query.sort;
  if (!sorts[state].includes(sort)) {
    throw problems.badRequest('unsupported-sort', `The ${state} listing is sorted by ${sorts[state].join(', ')}; not by ${sort}.`);
  }
  const now = new Date();
  const nowIso = now.toISOString();
  // Deadline keys are `<closesAt>#<id>`: a petition whose deadline is this very instant is closed.
  const boundary = `${nowIso}#~`;
  const published = keys.petitionListing(community, 'open');
  const tags = tagFilter(query.tag);
  const page = { limit: query.limit, cursor: query.cursor };

  let petitions: Petition[];
  let nextCursor: string | null;
  if (state === 'answered' || state === 'rejected') {
    const result = await queryPage(db, { index: 'gsi1', partition: keys.petitionListing(community, state), ascending: false, ...page, filter: tags });
    if (state === 'rejected') petitions = result.items.map(petitionFromItem);
    else {
      const ids = result.items.map((item) => String(item.petitionId));
      const byId = await petitionsById(db, ids);
      petitions = ids.flatMap((id) => byId.get(id) ?? []);
    }
    nextCursor = result.nextCursor;
  } else {
    const result =
      sort === 'ending-soon'
        // Ending soon starts at now (a cursor continues after its own position, later than now).
        ? await queryPage(db, { index: 'gsi2', partition: published, ascending: true, ...page, ...(page.cursor === undefined ? { after: boundary } : {}), filter: both(deadline('open', nowIso), tags) })
        : sort === 'newest' && state === 'closed'
          // Most recently closed first: deadlines before now, latest first.
          ? await queryPage(db, { index: 'gsi2', partition: published, ascending: false, ...page, before: boundary, filter: tags })
          : await queryPage(db, { index: sort === 'newest' ? 'gsi1' : 'gsi3', partition: published, ascending: false, ...page, filter: both(deadline(state, nowIso), tags) });
    petitions = result.items.map(petitionFromItem);
    nextCursor = result.nextCursor;
  }

  const items = petitions
    .filter((p) => {
      const status = effectiveStatus(p, now);
      if (state === 'answered') return p.response !== null && (status === 'open' || status === 'closed');
      return status === state;
    })
    .map((p) => petitionView(p, now));

  // Counts per state (with the same category filter) come with the first page only: they read the whole listing.
  const counts = query.cursor === undefined
    ? await (async () => {
        const [open, closed, answered, rejected] = await Promise.all([
          countPartition(db, { index: 'gsi2', partition: published, after: boundary, filter: tags }),
          countPartition(db, { index: 'gsi2', partition: published, before: boundary, filter: tags }),
          countPartition(db, { index: 'gsi1', partition: keys.petitionListing(community, 'answered'), filter: tags }),
          countPartition(db, { index: 'gsi1', partition: keys.petitionListing(community, 'rejected'), filter: tags }),
        ]);
        return { open, closed, answered, rejected };
      })()
    : null;
  return { status: 200, body: { items, nextCursor, counts }, cacheSeconds: 10 };
});
