import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { alertIdempotencyKey, applyCount } from '../domain/petitions/petition.ts';
import { keys, padCount } from '../data/keys.ts';
import { petitionFromItem } from '../data/petitions.ts';
import { count, logger } from '../observability.ts';
import { tableName } from '../data/table.ts';
import { backoff } from '../retry.ts';
import { keyPrefix } from '../data/key-prefixes.ts';

/**
 * The event has no `shardId`: Lambda sets it only when the event source mapping has a tumbling
 * window (TumblingWindowInSeconds). Counting without it would lose the per-shard checkpoint that
 * makes counting exactly-once, so the batch is refused whole; the Errors alarm fires and the
 * records reach the dead-letter queue after their retries (replayable once the mapping is fixed).
 */
export class MissingShardIdError extends Error {
  override readonly name = 'MissingShardIdError';
  constructor() {
    super(
      'The stream event has no shardId: the event source mapping of the signature counter needs a tumbling window ' +
        '(TumblingWindowInSeconds); nothing was counted, the batch will be retried and then dead-lettered.',
    );
  }
}

/**
 * Keeps each petition's signature count equal to the number of signatures stored, exactly once per
 * stream record, without a hot item:
 * - the count is written once per petition per batch (not per signature);
 * - a checkpoint per (petition, stream shard) holds the last sequence number counted, so a
 *   redelivered or retried batch counts only records after it (records of a shard arrive in order);
 * - the new count, the checkpoint, the threshold stamps, the alert items and the hourly history
 *   point are one transaction, guarded by the count it was computed from: a crash or a race with
 *   another shard's batch leaves either all of it or none, and the loser simply retries.
 */
export interface CountOutcome {
  failedSequenceNumbers: string[];
  crossings: { petitionId: string; threshold: number }[];
}

const CHECKPOINT_TTL_SECONDS = 2 * 86_400; // Stream records live 24 h: an older checkpoint can never be needed.
const MAX_ATTEMPTS = 8;

const seq = (record: DynamoDBRecord) => BigInt(record.dynamodb?.SequenceNumber ?? '0');

function petitionIdOf(record: DynamoDBRecord): string | undefined {
  const sk = record.dynamodb?.Keys?.sk?.S;
  return sk?.startsWith(keyPrefix.signature) ? sk.slice(keyPrefix.signature.length) : undefined;
}

export async function countSignatures(
  db: DynamoDBDocumentClient,
  records: DynamoDBRecord[],
  streamShardId: string,
  now: () => Date = () => new Date(),
): Promise<CountOutcome> {
  const byPetition = new Map<string, DynamoDBRecord[]>();
  for (const record of records) {
    const id = petitionIdOf(record);
    if (!id || (record.eventName !== 'INSERT' && record.eventName !== 'REMOVE')) continue;
    const list = byPetition.get(id) ?? [];
    list.push(record);
    byPetition.set(id, list);
  }
  const outcome: CountOutcome = { failedSequenceNumbers: [], crossings: [] };
  // Petitions are independent: count them concurrently.
  await Promise.all([...byPetition].map(async ([petitionId, petitionRecords]) => {
    try {
      const crossed = await applyToPetition(db, petitionId, petitionRecords, streamShardId, now);
      outcome.crossings.push(...crossed.map((threshold) => ({ petitionId, threshold })));
    } catch (error) {
      logger.warn('signature count failed; batch will be retried', { petitionId, errorName: (error as Error).name });
      outcome.failedSequenceNumbers.push(petitionRecords[0]!.dynamodb!.SequenceNumber!);
    }
  }));
  return outcome;
}

async function applyToPetition(
  db: DynamoDBDocumentClient,
  petitionId: string,
  records: DynamoDBRecord[],
  streamShardId: string,
  now: () => Date,
): Promise<number[]> {
  const checkpointKey = keys.countCheckpoint(petitionId, streamShardId);
  for (let attempt = 1; ; attempt++) {
    const { Responses, UnprocessedKeys } = await db.send(new BatchGetCommand({
      RequestItems: { [tableName()]: { Keys: [keys.petition(petitionId), checkpointKey], ConsistentRead: true } },
    }));
    // A batch read may leave keys unread (throttling, a store starting up): an item missing for
    // that reason is not an item that does not exist. Read again rather than skip the records.
    if (Object.keys(UnprocessedKeys ?? {}).length > 0) {
      if (attempt >= MAX_ATTEMPTS) throw new Error(`The petition ${petitionId} and its checkpoint could not be read (unprocessed keys)`);
      await backoff(attempt, 200, 10);
      continue;
    }
    const items = Responses?.[tableName()] ?? [];
    const petitionItem = items.find((i) => i.sk === 'PETITION');
    const checkpoint = items.find((i) => i.sk === checkpointKey.sk);
    // A signature is only ever written for a stored petition, so a petition that cannot be found
    // is a read that went wrong: fail the batch (retried, then dead-lettered and replayable),
    // never checkpoint past records that were not counted.
    if (!petitionItem) throw new Error(`Signatures of petition ${petitionId}, which could not be read`);
    const lastCounted = checkpoint ? BigInt(checkpoint.lastSequenceNumber as string) : -1n;
    const fresh = records.filter((r) => seq(r) > lastCounted);
    if (fresh.length === 0) return [];
    const delta = fresh.reduce((sum, r) => sum + (r.eventName === 'INSERT' ? 1 : -1), 0);
    const newLast = fresh.reduce((max, r) => (seq(r) > max ? seq(r) : max), lastCounted).toString();

    const petition = petitionFromItem(petitionItem);
    const at = now();
    const newCount = Math.max(0, petition.signatureCount + delta);
    const { thresholds, crossed } = applyCount(petition, newCount, at);
    const firstCrossing = crossed.length > 0 && petition.thresholds.every((t) => t.reachedAt === null);
    const hour = at.toISOString().slice(0, 13);
    const table = tableName();

    try {
      await db.send(new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: table,
              Key: keys.petition(petitionId),
              UpdateExpression: 'SET signatureCount = :new, thresholds = :thresholds, countedAt = :at' + (petition.status === 'open' ? ', gsi3sk = :rank' : ''),
              ConditionExpression: 'signatureCount = :old',
              ExpressionAttributeValues: {
                ':new': newCount, ':old': petition.signatureCount, ':thresholds': thresholds, ':at': at.toISOString(),
                ...(petition.status === 'open' ? { ':rank': `${padCount(newCount)}#${petitionId}` } : {}),
              },
            },
          },
          {
            Put: {
              TableName: table,
              Item: { ...checkpointKey, lastSequenceNumber: newLast, expiresAt: Math.floor(at.getTime() / 1000) + CHECKPOINT_TTL_SECONDS },
              ...(checkpoint
                ? { ConditionExpression: 'lastSequenceNumber = :seen', ExpressionAttributeValues: { ':seen': checkpoint.lastSequenceNumber } }
                : { ConditionExpression: 'attribute_not_exists(pk)' }),
            },
          },
          {
            Put: {
              TableName: table,
              Item: { ...keys.countHistory(petitionId, hour), type: 'count-history', hour, signatureCount: newCount },
            },
          },
          ...crossed.map((c) => ({
            Put: {
              TableName: table,
              Item: {
                ...keys.alert(petitionId, c.signatures),
                type: 'alert',
                idempotencyKey: alertIdempotencyKey(petitionId, c.signatures),
                petitionId,
                community: petition.community,
                title: petition.title,
                threshold: c.signatures,
                purpose: c.purpose,
                reachedAt: at.toISOString(),
                signatureCount: newCount,
                gsi1pk: keys.alertListing(petition.community),
                gsi1sk: `${at.toISOString()}#${petitionId}#${padCount(c.signatures)}`,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          })),
          ...(firstCrossing
            ? [{
                Put: {
                  TableName: table,
                  Item: {
                    ...keys.awaiting(petitionId), type: 'awaiting', petitionId,
                    gsi1pk: keys.awaitingListing(petition.community), gsi1sk: `${at.toISOString()}#${petitionId}`,
                  },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              }]
            : []),
        ],
      }));
      count('SignaturesCounted', Math.max(0, delta));
      return crossed.map((c) => c.signatures);
    } catch (error) {
      // Another shard's batch changed the count first, or a retry already applied: read again.
      const conflict = error instanceof TransactionCanceledException &&
        error.CancellationReasons?.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict');
      if (!conflict || attempt >= MAX_ATTEMPTS) throw error;
      await backoff(attempt, 200, 10);
    }
  }
}
