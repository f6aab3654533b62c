import { BatchGetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { applyCount } from '#shared/domain/petitions/petition.ts';
import { keys } from '#shared/data/keys.ts';
import { countTransactionItems, isCountConflict, storedCount } from '#shared/data/petition-count.ts';
import { petitionFromItem } from '#shared/data/petitions.ts';
import { count, logger } from '#shared/observability.ts';
import { tableName } from '#shared/data/table.ts';
import { backoff } from '#shared/retry.ts';
import { keyPrefix } from '#shared/data/key-prefixes.ts';

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
  const wanted = [keys.petition(petitionId), keys.petitionCount(petitionId), checkpointKey];
  for (let attempt = 1; ; attempt++) {
    const { Responses, UnprocessedKeys } = await db.send(new BatchGetCommand({
      RequestItems: { [tableName()]: { Keys: wanted, ConsistentRead: true } },
    }));
    // A batch read may leave keys unread (throttling, a store starting up): an item missing for
    // that reason is not an item that does not exist. Read again rather than skip the records.
    if (Object.keys(UnprocessedKeys ?? {}).length > 0) {
      if (attempt >= MAX_ATTEMPTS) throw new Error(`The petition ${petitionId} and its checkpoint could not be read (unprocessed keys)`);
      await backoff(attempt, 200, 10);
      continue;
    }
    const items = Responses?.[tableName()] ?? [];
    const [petitionItem, countItem, checkpoint] = wanted.map((key) => items.find((i) => i.sk === key.sk));
    // A signature is only ever written for a stored petition, so a petition that cannot be found
    // is a read that went wrong: fail the batch (retried, then dead-lettered and replayable),
    // never checkpoint past records that were not counted.
    if (!petitionItem) throw new Error(`Signatures of petition ${petitionId}, which could not be read`);
    const lastCounted = checkpoint ? BigInt(checkpoint.lastSequenceNumber as string) : -1n;
    const fresh = records.filter((r) => seq(r) > lastCounted);
    if (fresh.length === 0) return [];
    const delta = fresh.reduce((sum, r) => sum + (r.eventName === 'INSERT' ? 1 : -1), 0);
    const newLast = fresh.reduce((max, r) => (seq(r) > max ? seq(r) : max), lastCounted).toString();

    const stored = storedCount(petitionItem, countItem);
    const petition = petitionFromItem(petitionItem, countItem);
    const at = now();
    const newCount = Math.max(0, stored.signatureCount + delta);
    const { thresholds, crossed } = applyCount(petition, newCount, at);
    const firstCrossing = crossed.length > 0 && petition.thresholds.every((t) => t.reachedAt === null);
    try {
      await db.send(new TransactWriteCommand({
        TransactItems: countTransactionItems({
          petition, expectedCount: stored.expectedCount, moveFromPetitionItem: stored.moveFromPetitionItem, newCount, thresholds, crossed, firstCrossing,
          checkpoints: [{ shard: streamShardId, sequenceNumber: newLast, seen: checkpoint?.lastSequenceNumber as string | undefined }],
          writeHistory: true, at,
        }),
      }));
      count('SignaturesCounted', Math.max(0, delta));
      return crossed.map((c) => c.signatures);
    } catch (error) {
      // Another shard's batch changed the count first, or a retry already applied: read again.
      if (!isCountConflict(error) || attempt >= MAX_ATTEMPTS) throw error;
      await backoff(attempt, 200, 10);
    }
  }
}
