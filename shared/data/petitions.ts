import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Principal } from '#shared/auth/roles.ts';
import type { Petition } from '#shared/domain/petitions/petition.ts';
import { StoreError } from './store-error.ts';
import { decodeCursor, encodeCursor, invalidCursor } from './cursor.ts';
import { keys, padCount, SIGNATURE_SHARDS, signerShardOf } from './keys.ts';
import { tableName } from './table.ts';
import { dailyLimitUpdate } from './daily-limit.ts';
import { writeWithAudit, type AuditEntry } from './audit.ts';

const petitionFields = [
  'id', 'community', 'authorSub', 'title', 'text', 'status', 'rules', 'thresholds', 'signatureCount',
  'createdAt', 'submittedAt', 'publishedAt', 'closesAt', 'rejection', 'response',
] as const satisfies readonly (keyof Petition)[];

export function petitionFromItem(item: Record<string, unknown>): Petition {
  const out: Record<string, unknown> = {};
  for (const field of petitionFields) out[field] = item[field] ?? null;
  // Petitions stored before categories existed have none.
  out.tags = Array.isArray(item.tags) ? item.tags.map(String) : [];
  return out as unknown as Petition;
}

/** Index keys that place a petition in the listings its status belongs to. */
function listingKeys(p: Petition): Record<string, string | undefined> {
  if (p.status === 'open') {
    const listing = keys.petitionListing(p.community, 'open');
    return {
      gsi1pk: listing, gsi1sk: `${p.publishedAt}#${p.id}`,
      gsi2pk: listing, gsi2sk: `${p.closesAt}#${p.id}`,
      gsi3pk: listing, gsi3sk: `${padCount(p.signatureCount)}#${p.id}`,
    };
  }
  if (p.status === 'moderation') {
    return { gsi1pk: keys.petitionListing(p.community, 'moderation'), gsi1sk: `${p.submittedAt}#${p.id}`, gsi2pk: undefined, gsi2sk: undefined, gsi3pk: undefined, gsi3sk: undefined };
  }
  if (p.status === 'rejected') {
    // The public list of rejections (their record stays public; see contentWithheld), newest submission first.
    return { gsi1pk: keys.petitionListing(p.community, 'rejected'), gsi1sk: `${p.submittedAt ?? p.createdAt}#${p.id}`, gsi2pk: undefined, gsi2sk: undefined, gsi3pk: undefined, gsi3sk: undefined };
  }
  return { gsi1pk: undefined, gsi1sk: undefined, gsi2pk: undefined, gsi2sk: undefined, gsi3pk: undefined, gsi3sk: undefined };
}

export async function getPetition(db: DynamoDBDocumentClient, id: string, consistent = false): Promise<Petition | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName(), Key: keys.petition(id), ConsistentRead: consistent }));
  return Item ? petitionFromItem(Item) : undefined;
}

/** Petitions by id, 100 per BatchGet, unprocessed keys retried; missing ids are simply absent. */
export async function petitionsById(db: DynamoDBDocumentClient, requested: string[]) {
  const out = new Map<string, ReturnType<typeof petitionFromItem>>();
  // BatchGet refuses a request that names a key twice (a person who signed their own petition).
  const ids = [...new Set(requested)];
  for (let i = 0; i < ids.length; i += 100) {
    const chunk = ids.slice(i, i + 100);
    let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = { [tableName()]: { Keys: chunk.map((id) => keys.petition(id)) } };
    while (request && Object.keys(request).length > 0) {
      const result = await db.send(new BatchGetCommand({ RequestItems: request as never }));
      for (const item of result.Responses?.[tableName()] ?? []) out.set(String(item.id), petitionFromItem(item));
      request = result.UnprocessedKeys as typeof request;
    }
  }
  return out;
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
            Item: { ...keys.petition(petition.id), type: 'petition', ...petition, ...withoutUndefined(listingKeys(petition)) },
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

const withoutUndefined = (o: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Record<string, string>;

/**
 * Writes a lifecycle change (moderation, submission) as an update of the fields it owns, guarded by
 * the status it was decided on: a concurrent decision makes this one fail instead of overwriting it.
 * The count and thresholds belong to the signature counter and are never written here.
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
  if (audit) return writeWithAudit(db, [{ Update: update }], audit);
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
