import type { DynamoDBRecord } from 'aws-lambda';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { docKey, type SearchDoc, type StoredIndex } from '#shared/domain/search/index.ts';
import { isContentWithheld } from '#shared/domain/petitions/petition.ts';
import type { IndexSnapshot, SearchIndexStore } from './store.ts';
import { logger } from '#shared/observability.ts';
import { retryOnConflict } from '#shared/retry.ts';
import { itemSortKey, keyPrefix } from '#shared/data/key-prefixes.ts';

/** The last version this container read or wrote, per store and community: unchanged, it is not downloaded again. */
const lastSeen = new WeakMap<SearchIndexStore, Map<string, IndexSnapshot>>();

/** Longest text kept per document: enough for any snippet, and the index stays small. */
const MAX_TEXT = 4000;

const str = (v: unknown) => (typeof v === 'string' ? v : null);

/**
 * What an item of the table contributes to the search index of its community: a document, or
 * nothing (removed from the index) when it is not public. Petitions: published (open or closed)
 * or rejected, never a draft, one in moderation, nor one whose rejection withholds its content.
 * Consultations: all (they are public from creation). Budget projects: all (public once submitted).
 */
export function searchDocOf(item: Record<string, unknown>): { community: string; key: string; doc: SearchDoc | undefined } | undefined {
  const community = str(item.community);
  const id = str(item.id);
  if (!community || !id) return undefined;
  if (item.type === 'petition') {
    const key = docKey({ type: 'petition', id });
    const status = str(item.status);
    const rejection = (item.rejection ?? null) as { reasonCode: string; explanation: string } | null;
    const publicStatus = status === 'open' || status === 'rejected';
    if (!publicStatus || isContentWithheld({ status: status as 'rejected', rejection })) return { community, key, doc: undefined };
    return {
      community, key,
      doc: {
        type: 'petition', id, title: String(item.title ?? ''), text: String(item.text ?? '').slice(0, MAX_TEXT), status: status!,
        closesAt: str(item.closesAt), at: str(item.publishedAt) ?? str(item.submittedAt) ?? String(item.createdAt ?? ''),
      },
    };
  }
  if (item.type === 'consultation') {
    return {
      community, key: docKey({ type: 'consultation', id }),
      doc: {
        type: 'consultation', id, title: String(item.title ?? ''), text: String(item.draftText ?? '').slice(0, MAX_TEXT), status: 'consultation',
        opensAt: str(item.opensAt), closesAt: str(item.closesAt), at: str(item.opensAt) ?? '',
      },
    };
  }
  if (item.type === 'budget-project') {
    const budgetId = str(item.budgetId);
    if (!budgetId) return undefined;
    const review = (item.review ?? null) as { feasible?: boolean } | null;
    return {
      community, key: docKey({ type: 'project', id: `${budgetId}:${id}` }),
      doc: {
        type: 'project', id: `${budgetId}:${id}`, budgetId, title: String(item.title ?? ''), text: String(item.description ?? '').slice(0, MAX_TEXT),
        // Without the budget's results: submitted, admitted or rejected at review (the project page has the rest).
        status: review ? (review.feasible ? 'admitted' : 'rejected') : 'submitted',
        at: str(item.submittedAt) ?? '',
      },
    };
  }
  return undefined;
}

const sameDoc = (a: SearchDoc | undefined, b: SearchDoc | undefined) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export interface IndexOutcome {
  /** Sequence numbers of the first record of each community that could not be applied. */
  failedSequenceNumbers: string[];
  /** Communities whose index was written. */
  written: string[];
}

/**
 * Applies stream records to the communities' indexes: the newest image of each item wins (records
 * of one item arrive in order), a record whose searchable fields did not change (a signature count)
 * costs no write, and each community's index is read, changed and written conditionally, again
 * on a conflict. Replaying records is harmless: an upsert or a removal applied twice is the same.
 */
export async function applyToIndexes(store: SearchIndexStore, records: readonly DynamoDBRecord[]): Promise<IndexOutcome> {
  const changes = new Map<string, { first: string; docs: Map<string, SearchDoc | undefined> }>();
  for (const record of records) {
    // A community's configuration: its index must exist (empty at first), so that the search
    // function can tell a community this deployment serves from one it does not.
    const pk = record.dynamodb?.Keys?.pk?.S ?? '';
    if (pk.startsWith(keyPrefix.community) && record.dynamodb?.Keys?.sk?.S === itemSortKey.communityConfig) {
      if (record.eventName !== 'REMOVE') {
        const community = pk.slice(keyPrefix.community.length);
        if (!changes.has(community)) changes.set(community, { first: record.dynamodb?.SequenceNumber ?? '0', docs: new Map() });
      }
      continue;
    }
    const image = record.dynamodb?.NewImage ? unmarshall(record.dynamodb.NewImage as Record<string, AttributeValue>) : undefined;
    const old = record.dynamodb?.OldImage ? unmarshall(record.dynamodb.OldImage as Record<string, AttributeValue>) : undefined;
    const after = image ? searchDocOf(image) : undefined;
    const before = old ? searchDocOf(old) : undefined;
    const target = after ?? before;
    if (!target) continue;
    // Nothing searchable changed (a signature count, a draft saved): no write.
    if (sameDoc(before?.doc, after?.doc)) continue;
    const entry = changes.get(target.community) ?? { first: record.dynamodb?.SequenceNumber ?? '0', docs: new Map() };
    entry.docs.set(target.key, record.eventName === 'REMOVE' ? undefined : after?.doc);
    changes.set(target.community, entry);
  }
  const outcome: IndexOutcome = { failedSequenceNumbers: [], written: [] };
  let seen = lastSeen.get(store);
  if (!seen) {
    seen = new Map();
    lastSeen.set(store, seen);
  }
  const cache = seen;
  await Promise.all([...changes].map(async ([community, { first, docs }]) => {
    try {
      await retryOnConflict('search index', async () => {
        const cached = cache.get(community);
        const snapshot = (cached ? await store.read(community, cached.version) : await store.read(community)) ?? cached!;
        // Only a community's configuration, and its index exists already: nothing to write.
        if (docs.size === 0 && snapshot.version !== null) return true;
        const next: StoredIndex = { ...snapshot.index, docs: { ...snapshot.index.docs } };
        for (const [key, doc] of docs) {
          if (doc) next.docs[key] = doc;
          else delete next.docs[key];
        }
        const version = await store.write(community, next, snapshot.version);
        if (version === null) {
          cache.delete(community);
          return false;
        }
        cache.set(community, { index: next, version });
        return true;
      });
      outcome.written.push(community);
    } catch (error) {
      logger.warn('search index update failed; batch will be retried', { community, error: (error as Error).message });
      outcome.failedSequenceNumbers.push(first);
    }
  }));
  return outcome;
}

export interface RebuildOutcome {
  readonly community: string;
  /** Documents in the rebuilt index. */
  readonly documents: number;
  /** Documents the index held before (stale ones are dropped, missing ones added). */
  readonly before: number;
}

/**
 * A community's index rebuilt from the table's items (a backfill after the first deploy onto
 * existing data, or a repair): every item `items()` yields goes through `searchDocOf`, like a
 * stream record. The write is conditional on the version read before the items were read, so a
 * stream change the indexer applies meanwhile is never overwritten by an older read: the rebuild
 * then starts over (at most `attempts` times). A change the indexer has not applied yet is applied
 * on top of the rebuilt index when it arrives.
 */
export async function rebuildIndex(
  store: SearchIndexStore,
  community: string,
  items: () => AsyncIterable<Record<string, unknown>>,
  attempts = 5,
): Promise<RebuildOutcome> {
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const current = (await store.read(community))!;
    const docs: Record<string, SearchDoc> = {};
    for await (const item of items()) {
      const found = searchDocOf(item);
      if (found?.doc && found.community === community) docs[found.key] = found.doc;
    }
    const version = await store.write(community, { version: 1, community, docs }, current.version);
    if (version !== null) {
      lastSeen.get(store)?.delete(community);
      return { community, documents: Object.keys(docs).length, before: Object.keys(current.index.docs).length };
    }
  }
  throw new Error(`the search index of ${community} kept changing while it was rebuilt; run again`);
}
