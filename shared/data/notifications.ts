import { BatchWriteCommand, DeleteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Contact, FollowableType, NotificationKind, NotificationLanguage } from '#shared/domain/notifications.ts';
import { keys, signerShardOf, SIGNATURE_SHARDS } from './keys.ts';
import { queryAll } from './query.ts';
import { tableName } from './table.ts';
import { itemSortKey, keyPrefix } from './key-prefixes.ts';
import { backoff } from '#shared/retry.ts';

/**
 * Notification data (issue 13):
 * - the contact, once per person: pk PERSON#<sub>, sk NOTIFY#CONTACT (e-mail, language, kinds);
 *   in the person's partition, so the data export and erasure find it;
 * - a wish to hear about one thing: pk WATCH#<type>#<id>#<shard>, sk <sub> (no timestamp, no link
 *   to a signature, a vote or a ballot: for a budget it is written by its own request, never with
 *   the voter marker or the ballot). Sharded like the signer list, so a viral petition's followers
 *   are not one hot partition; the fan-out pages through the shards. Its mirror pk PERSON#<sub>,
 *   sk NOTIFY#WATCH#<type>#<id> lets the export list and erasure remove them;
 * - one event: pk NOTIFY#<event key>, sk JOB (what happened, fan-out progress), and per recipient
 *   sk TO#<sub> (the outbox: the sender consumer reads these from the stream).
 */
/** Sort keys of a person's follow mirrors: NOTIFY#WATCH#<type>#<id>. */
const WATCH_MIRROR_PREFIX = 'NOTIFY#WATCH#';

export const notifyKeys = {
  contact: (sub: string) => ({ pk: keys.person(sub), sk: 'NOTIFY#CONTACT' }),
  watch: (type: FollowableType, id: string, sub: string) => ({ pk: watchShard(type, id, signerShardOf(sub)), sk: sub }),
  watchMirror: (type: FollowableType, id: string, sub: string) => ({ pk: keys.person(sub), sk: `${WATCH_MIRROR_PREFIX}${type}#${id}` }),
  job: (eventKey: string) => ({ pk: `${keyPrefix.notification}${eventKey}`, sk: itemSortKey.notificationJob }),
  outbox: (eventKey: string, sub: string) => ({ pk: `${keyPrefix.notification}${eventKey}`, sk: `${keyPrefix.outbox}${sub}` }),
};

export const watchShard = (type: FollowableType, id: string, shard: number) => `WATCH#${type}#${id}#${String(shard).padStart(2, '0')}`;
export const WATCH_SHARDS = SIGNATURE_SHARDS;

export async function getContact(db: DynamoDBDocumentClient, sub: string): Promise<Contact | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName(), Key: notifyKeys.contact(sub), ConsistentRead: true }));
  if (!Item || typeof Item.email !== 'string') return undefined;
  return { email: Item.email, language: Item.language as NotificationLanguage, kinds: (Item.kinds as NotificationKind[]) ?? [], updatedAt: String(Item.updatedAt) };
}

function contactItem(sub: string, contact: Contact) {
  return { ...notifyKeys.contact(sub), type: 'notify-contact', ...contact };
}

export async function putContact(db: DynamoDBDocumentClient, sub: string, contact: Contact): Promise<void> {
  await db.send(new PutCommand({ TableName: tableName(), Item: contactItem(sub, contact) }));
}

/** One-click unsubscribe: the contact goes (e-mail included); nothing more is sent to this person. */
export async function deleteContact(db: DynamoDBDocumentClient, sub: string): Promise<void> {
  await db.send(new DeleteCommand({ TableName: tableName(), Key: notifyKeys.contact(sub) }));
}

/** Follows (idempotent), saving the contact in the same transaction when it changed. */
export async function follow(db: DynamoDBDocumentClient, type: FollowableType, id: string, sub: string, contact?: { sub: string; contact: Contact }): Promise<void> {
  await db.send(new TransactWriteCommand({
    TransactItems: [
      { Put: { TableName: tableName(), Item: { ...notifyKeys.watch(type, id, sub), type: 'notify-watch' } } },
      { Put: { TableName: tableName(), Item: { ...notifyKeys.watchMirror(type, id, sub), type: 'notify-watch-mirror', subject: { type, id } } } },
      ...(contact ? [{ Put: { TableName: tableName(), Item: contactItem(contact.sub, contact.contact) } }] : []),
    ],
  }));
}

export async function unfollow(db: DynamoDBDocumentClient, type: FollowableType, id: string, sub: string): Promise<void> {
  await db.send(new TransactWriteCommand({
    TransactItems: [
      { Delete: { TableName: tableName(), Key: notifyKeys.watch(type, id, sub) } },
      { Delete: { TableName: tableName(), Key: notifyKeys.watchMirror(type, id, sub) } },
    ],
  }));
}

export async function isFollowing(db: DynamoDBDocumentClient, type: FollowableType, id: string, sub: string): Promise<boolean> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName(), Key: notifyKeys.watch(type, id, sub), ProjectionExpression: 'pk' }));
  return Boolean(Item);
}

/** What the person follows (the mirrors in their partition), for the web app's follow buttons. */
export async function followingOf(db: DynamoDBDocumentClient, sub: string): Promise<{ type: FollowableType; id: string }[]> {
  const mirrors = await queryAll(db, { partition: keys.person(sub), prefix: WATCH_MIRROR_PREFIX, attributes: ['subject'], consistent: true });
  return mirrors.map((item) => item.subject as { type: FollowableType; id: string });
}

/** Where a fan-out stands: the next shard, and the position in it. */
export interface FanOutCursor {
  readonly shard: number;
  readonly after?: Record<string, unknown>;
}

/** One page of followers (their subs) from one shard. */
export async function followersPage(
  db: DynamoDBDocumentClient,
  subject: { type: FollowableType; id: string },
  cursor: FanOutCursor,
  limit: number,
): Promise<{ subs: string[]; next: FanOutCursor | undefined }> {
  const page = await db.send(new QueryCommand({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': watchShard(subject.type, subject.id, cursor.shard) },
    ProjectionExpression: 'sk',
    Limit: limit,
    ...(cursor.after ? { ExclusiveStartKey: cursor.after } : {}),
  }));
  const subs = (page.Items ?? []).map((item) => String(item.sk));
  if (page.LastEvaluatedKey) return { subs, next: { shard: cursor.shard, after: page.LastEvaluatedKey } };
  return { subs, next: cursor.shard + 1 < WATCH_SHARDS ? { shard: cursor.shard + 1 } : undefined };
}

/**
 * Writes outbox items (one per recipient; 1 write unit each). Plain puts in batches of 25: writing
 * one again (a retried page) is a MODIFY, which the sender's filter (INSERT only) ignores.
 */
export async function writeOutbox(db: DynamoDBDocumentClient, eventKey: string, subs: readonly string[], expiresAt: number): Promise<void> {
  const batches: string[][] = [];
  for (let i = 0; i < subs.length; i += 25) batches.push(subs.slice(i, i + 25));
  // A few batches at a time: a page of 1,000 is 40 BatchWriteItem calls.
  for (let i = 0; i < batches.length; i += OUTBOX_PARALLEL_BATCHES) {
    await Promise.all(batches.slice(i, i + OUTBOX_PARALLEL_BATCHES).map((batch) => writeOutboxBatch(db, eventKey, batch, expiresAt)));
  }
}

const OUTBOX_PARALLEL_BATCHES = 4;

async function writeOutboxBatch(db: DynamoDBDocumentClient, eventKey: string, subs: readonly string[], expiresAt: number): Promise<void> {
  let requests = subs.map((sub) => ({ PutRequest: { Item: { ...notifyKeys.outbox(eventKey, sub), type: 'notify-outbox', expiresAt } } }));
  for (let attempt = 0; requests.length > 0; attempt++) {
    const result = await db.send(new BatchWriteCommand({ RequestItems: { [tableName()]: requests } }));
    requests = (result.UnprocessedItems?.[tableName()] ?? []) as typeof requests;
    if (requests.length > 0) {
      if (attempt >= 8) throw new Error('The table did not take the outbox writes (throttled)');
      await backoff(attempt + 1, 3_200, 25);
    }
  }
}
