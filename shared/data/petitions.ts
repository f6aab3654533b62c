import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Principal } from '#shared/auth/roles.ts';
import type { Petition } from '#shared/domain/petitions/petition.ts';
import { StoreError } from './store-error.ts';
import { decodeCursor, encodeCursor, invalidCursor } from './cursor.ts';
import { keys, SIGNATURE_SHARDS, signerShardOf } from './keys.ts';
import { tableName } from './table.ts';
import { itemsByKey, keyOf } from './query.ts';
import { countItemAttributes } from './petition-count.ts';
import { dailyLimitUpdate } from './daily-limit.ts';
import { writeTogether, writeWithAudit, type AuditEntry } from './audit.ts';

const petitionFields = [
  'id', 'community', 'authorSub', 'title', 'text', 'status', 'rules', 'createdAt', 'submittedAt',
  'publishedAt', 'closesAt', 'rejection', 'response',
] as const satisfies readonly (keyof Petition)[];

/**
 * A petition from its item and, once it is published, its count item (keys.petitionCount: the
 * signature count and the thresholds' state, written by the signature counter alone). Without a
 * count item the petition item's own are used: 0 and unreached thresholds, or what a petition
 * published before count items existed still holds (moved to a count item by its next count).
 */
export function petitionFromItem(item: Record<string, unknown>, countItem?: Record<string, unknown>): Petition {
  const out: Record<string, unknown> = {};
  for (const field of petitionFields) out[field] = item[field] ?? null;
  out.signatureCount = Number(countItem?.signatureCount ?? item.signatureCount ?? 0);
  out.thresholds = countItem?.thresholds ?? item.thresholds ?? [];
  // Petitions stored before categories existed have none.
  out.tags = Array.isArray(item.tags) ? item.tags.map(String) : [];
  return out as unknown as Petition;
}

/** Only published petitions have a count item (created when the petition opens). */
const hasCountItem = (item: Record<string, unknown>) => item.status === 'open';

/** The count item a petition gets when it opens: count 0, its thresholds, its "most signed" entry. */
export function countItemOf(p: Petition, at: string): Record<string, unknown> {
  return { ...keys.petitionCount(p.id), ...countItemAttributes(p, p.signatureCount, p.thresholds, at) };
}

/**
 * Index keys that place a petition item in the listings its status belongs to (the "most signed"
 * ordering is its count item's, see countItemOf).
 */
function listingKeys(p: Petition): Record<string, string | undefined> {
  if (p.status === 'open') {
    const listing = keys.petitionListing(p.community, 'open');
    return { gsi1pk: listing, gsi1sk: `${p.publishedAt}#${p.id}`, gsi2pk: listing, gsi2sk: `${p.closesAt}#${p.id}` };
  }
  if (p.status === 'moderation') {
    return { gsi1pk: keys.petitionListing(p.community, 'moderation'), gsi1sk: `${p.submittedAt}#${p.id}`, gsi2pk: undefined, gsi2sk: undefined };
  }
  if (p.status === 'rejected') {
    // The public list of rejections (their record stays public; see contentWithheld), newest submission first.
    return { gsi1pk: keys.petitionListing(p.community, 'rejected'), gsi1sk: `${p.submittedAt ?? p.createdAt}#${p.id}`, gsi2pk: undefined, gsi2sk: undefined };
  }
  return { gsi1pk: undefined, gsi1sk: undefined, gsi2pk: undefined, gsi2sk: undefined };
}

/**
 * A petition's item and its count item (absent: undefined): one Query of the two adjacent sort keys
 * (one request, their sizes summed for the read units, as a GetItem of one item would be);
 * consistent reads for a decision that writes after it.
 */
export async function petitionItems(db: DynamoDBDocumentClient, id: string, consistent = false) {
  const { pk, sk } = keys.petition(id);
  const countSk = keys.petitionCount(id).sk;
  const { Items = [] } = await db.send(new QueryCommand({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :petition AND :count',
    ExpressionAttributeValues: { ':pk': pk, ':petition': sk, ':count': countSk },
    ConsistentRead: consistent,
  }));
  return { item: Items.find((i) => i.sk === sk), countItem: Items.find((i) => i.sk === countSk) };
}

/** A petition with its count. */
export async function getPetition(db: DynamoDBDocumentClient, id: string, consistent = false): Promise<Petition | undefined> {
  const { item, countItem } = await petitionItems(db, id, consistent);
  return item ? petitionFromItem(item, countItem) : undefined;
}

/** Petitions by id with their counts; missing ids are simply absent. */
export async function petitionsById(db: DynamoDBDocumentClient, requested: readonly string[]): Promise<Map<string, Petition>> {
  const ids = [...new Set(requested)];
  const items = await itemsByKey(db, ids.flatMap((id) => [keys.petition(id), keys.petitionCount(id)]));
  const out = new Map<string, Petition>();
  for (const id of ids) {
    const item = items.get(keyOf(keys.petition(id)));
    if (item) out.set(id, petitionFromItem(item, items.get(keyOf(keys.petitionCount(id)))));
  }
  return out;
}

/** Petition items read from a listing, with the counts of those that have one (one BatchGet). */
export async function withCounts(db: DynamoDBDocumentClient, petitionItems: readonly Record<string, unknown>[]): Promise<Petition[]> {
  const counted = petitionItems.filter(hasCountItem).map((item) => keys.petitionCount(String(item.id)));
  const counts = counted.length > 0 ? await itemsByKey(db, counted) : new Map<string, Record<string, unknown>>();
  return petitionItems.map((item) => petitionFromItem(item, counts.get(keyOf(keys.petitionCount(String(item.id))))));
}

/**
 * Petitions from "most signed" entries: count items, whose petitions are read by one BatchGet; an
 * entry may still be a petition item itself (published before count items existed, not counted since).
 */
export async function petitionsOfRanking(db: DynamoDBDocumentClient, entries: readonly Record<string, unknown>[]): Promise<Petition[]> {
  const countEntries = entries.filter((e) => e.type === 'petition-count');
  const petitions = countEntries.length > 0
    ? await itemsByKey(db, countEntries.map((e) => keys.petition(String(e.petitionId))))
    : new Map<string, Record<string, unknown>>();
  return entries.flatMap((entry) => {
    if (entry.type !== 'petition-count') return [petitionFromItem(entry)];
    const item = petitions.get(keyOf(keys.petition(String(entry.petitionId))));
    return item ? [petitionFromItem(item, entry)] : [];
  });
}

/**
 * Creates a petition and counts it against the author's daily limit in one transaction: both or
 * neither, so a refused creation leaves nothing behind.
 */
export async function createPetition(db: DynamoDBDocumentClient, petition: Petition, maxPerDay: number): Promise<void> {
  try {
    await db.send(new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: tableName(),
            Item: { ...keys.petition(petition.id), type: 'petition', ...storedPetition(petition), ...withoutUndefined(listingKeys(petition)) },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          // The author's own index of what they created, for their data export.
          Put: {
            TableName: tableName(),
            Item: { ...keys.authored(petition.authorSub, petition.id), type: 'authored', petitionId: petition.id, createdAt: petition.createdAt },
          },
        },
        dailyLimitUpdate(petition.authorSub, 'create-petition', petition.createdAt, maxPerDay),
      ],
    }));
  } catch (error) {
    if (error instanceof TransactionCanceledException && error.CancellationReasons?.[2]?.Code === 'ConditionalCheckFailed') {
      throw new StoreError('limit-reached', 'rate-limited', `At most ${maxPerDay} petitions a day may be created by one person.`, { retryAfterSeconds: 3600 });
    }
    throw error;
  }
}

/** What the petition item holds: everything but the count, which is its count item's once published. */
function storedPetition(petition: Petition): Omit<Petition, 'signatureCount'> {
  const { signatureCount: _count, ...stored } = petition;
  return stored;
}

const withoutUndefined = (o: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Record<string, string>;

/**
 * Writes a lifecycle change (moderation, submission) as an update of the fields it owns, guarded by
 * the status it was decided on: a concurrent decision makes this one fail instead of overwriting it.
 * The count and thresholds belong to the signature counter (the count item) and are never written
 * here, except the count item's creation when the petition opens.
 */
export async function saveTransition(db: DynamoDBDocumentClient, before: Petition, after: Petition, audit?: AuditEntry): Promise<boolean> {
  const fields: Record<string, unknown> = {
    status: after.status, submittedAt: after.submittedAt, publishedAt: after.publishedAt, closesAt: after.closesAt,
    rejection: after.rejection, tags: after.tags, ...listingKeys(after),
  };
  const set: string[] = [];
  const remove: string[] = [];
  const names: Record<string, string> = { '#expected': 'status' };
  const values: Record<string, unknown> = { ':expected': before.status };
  for (const [name, value] of Object.entries(fields)) {
    names[`#${name}`] = name;
    if (value === undefined) remove.push(`#${name}`);
    else {
      set.push(`#${name} = :${name}`);
      values[`:${name}`] = value;
    }
  }
  const update = {
    TableName: tableName(),
    Key: keys.petition(before.id),
    UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
    ConditionExpression: '#expected = :expected',
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
  // Opening creates the count item with the same decision: a published petition always has one.
  const opening = after.status === 'open' && before.status !== 'open'
    ? [{ Put: { TableName: tableName(), Item: countItemOf(after, after.publishedAt ?? new Date().toISOString()), ConditionExpression: 'attribute_not_exists(pk)' } }]
    : [];
  const items = [{ Update: update }, ...opening];
  if (audit) return writeWithAudit(db, items, audit);
  if (opening.length > 0) return writeTogether(db, items);
  try {
    await db.send(new UpdateCommand(update));
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Records the council's response and takes the petition out of the council's inbox, atomically, with its audit entry. */
export async function saveResponse(db: DynamoDBDocumentClient, after: Petition, audit: AuditEntry): Promise<boolean> {
  return writeWithAudit(db, [
    {
      Update: {
        TableName: tableName(),
        Key: keys.petition(after.id),
        UpdateExpression: 'SET #response = :response',
        ConditionExpression: 'attribute_not_exists(#response) OR #response = :null',
        ExpressionAttributeNames: { '#response': 'response' },
        ExpressionAttributeValues: { ':response': after.response, ':null': null },
      },
    },
    { Delete: { TableName: tableName(), Key: keys.awaiting(after.id) } },
    {
      // The public list of answered petitions: a small entry of its own (the petition's three
      // index slots hold its open/closed orderings), with the tags a listing filters on.
      Put: {
        TableName: tableName(),
        Item: {
          ...keys.answered(after.id), type: 'answered', petitionId: after.id, tags: [...after.tags],
          gsi1pk: keys.petitionListing(after.community, 'answered'), gsi1sk: `${after.response?.decidedAt}#${after.id}`,
        },
      },
    },
  ], audit);
}

export interface StoredSignature {
  id: string;
  petitionId: string;
  signedAt: string;
}

/**
 * One conditional put: the key (signer, petition) makes a second signature impossible, whatever
 * the retries and races. A repeat returns the signature already stored.
 */
export async function sign(
  db: DynamoDBDocumentClient,
  petition: Petition,
  signer: Principal,
  now: Date,
): Promise<{ created: boolean; signature: StoredSignature }> {
  const signedAt = now.toISOString();
  const id = randomUUID();
  const item = {
    ...keys.signature(signer.sub, petition.id),
    type: 'signature',
    id,
    petitionId: petition.id,
    community: petition.community,
    signerSub: signer.sub,
    signedAt,
    // Published only where the community's law publishes signer names; never e-mail, id or birth date.
    ...(petition.rules.publicSignerNames && signer.name ? { publicName: signer.name } : {}),
    gsi1pk: keys.signerShard(petition.id, signerShardOf(signer.sub)),
    gsi1sk: `${signedAt}#${id}`,
  };
  try {
    await db.send(new PutCommand({
      TableName: tableName(),
      Item: item,
      ConditionExpression: 'attribute_not_exists(pk)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    }));
    return { created: true, signature: { id, petitionId: petition.id, signedAt } };
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException && error.Item) {
      const existing = unmarshall(error.Item);
      return { created: false, signature: { id: existing.id, petitionId: existing.petitionId, signedAt: existing.signedAt } };
    }
    throw error;
  }
}

/**
 * The public signer list lives in SIGNATURE_SHARDS index partitions. A page queries each shard
 * after its own position, merges by signing time and advances only the shards whose items it
 * returned. A position is the index sort key `<signedAt>#<signature id>` (both public, unique),
 * used as a key condition rather than an ExclusiveStartKey, so the cursor never carries the
 * signer's identity.
 */
export async function signerPage(
  db: DynamoDBDocumentClient,
  petitionId: string,
  limit: number,
  cursor: string | undefined,
): Promise<{ items: { name: string; signedAt: string }[]; nextCursor: string | null }> {
  // Per shard: 0 (not started), 1 (done) or the sort key of the last item returned.
  type Position = string | 0 | 1;
  let positions: Position[] = Array.from({ length: SIGNATURE_SHARDS }, (): Position => 0);
  const scope = `signers:${petitionId}`;
  if (cursor !== undefined) {
    const decoded = await decodeCursor(scope, cursor);
    const valid = Array.isArray(decoded) && decoded.length === SIGNATURE_SHARDS &&
      decoded.every((p) => p === 0 || p === 1 || (typeof p === 'string' && p.length > 0 && p.length <= 128));
    if (!valid) throw invalidCursor();
    positions = decoded as Position[];
  }
  const results = await Promise.all(positions.map(async (position, shard) => {
    if (position === 1) return { shard, items: [] as Record<string, unknown>[], exhausted: true };
    const { Items, LastEvaluatedKey } = await db.send(new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: position === 0 ? 'gsi1pk = :pk' : 'gsi1pk = :pk AND gsi1sk > :after',
      ExpressionAttributeValues: { ':pk': keys.signerShard(petitionId, shard), ...(position === 0 ? {} : { ':after': position }) },
      Limit: limit,
    }));
    return { shard, items: Items ?? [], exhausted: LastEvaluatedKey === undefined };
  }));
  const merged = results
    .flatMap((r) => r.items.map((item) => ({ item, shard: r.shard })))
    .sort((a, b) => String(a.item.gsi1sk).localeCompare(String(b.item.gsi1sk)))
    .slice(0, limit);
  const next: Position[] = [...positions];
  for (const r of results) {
    const taken = merged.filter((m) => m.shard === r.shard);
    const last = taken.at(-1);
    if (r.exhausted && taken.length === r.items.length) next[r.shard] = 1;
    else if (last) next[r.shard] = String(last.item.gsi1sk);
  }
  return {
    items: merged.map(({ item }) => ({ name: String(item.publicName ?? 'Anonymous'), signedAt: String(item.signedAt) })),
    nextCursor: next.every((p) => p === 1) ? null : await encodeCursor(scope, next),
  };
}
