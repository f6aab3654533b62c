import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { alertIdempotencyKey, type Petition, type ThresholdState } from '#shared/domain/petitions/petition.ts';
import { keys, padCount } from './keys.ts';
import { tableName } from './table.ts';

/** Stream records live 24 h: an older checkpoint can never be needed. */
export const CHECKPOINT_TTL_SECONDS = 2 * 86_400;

/**
 * One write of a petition's signature count, as the stream counter and the operators' recount both
 * make it: the count item (keys.petitionCount: the count, the thresholds' state, the "most signed"
 * rank), the per-shard checkpoints it counted through, the hourly history point, an alert per
 * threshold crossed and, on the first crossing, the petition's place in the council's "awaiting a
 * response" list. One transaction guarded by the count it was computed from, so a race or a retry
 * leaves all or none.
 *
 * The petition item is not written: the count lives on a small item of its own, so a count costs the
 * same whatever the petition's size and its newest/ending-soon listings are not rewritten (issue 15:
 * 2 × (1 + 2) for the count item and its rank's delete-and-put, 2 for the checkpoint, 2 for the
 * history point: 10 write units for a petition counted alone).
 */
export interface CountWrite {
  readonly petition: Pick<Petition, 'id' | 'community' | 'title' | 'status' | 'closesAt' | 'tags'>;
  /** The count item's count the new one was computed from; undefined: there is no count item yet. */
  readonly expectedCount: number | undefined;
  readonly newCount: number;
  readonly thresholds: readonly ThresholdState[];
  readonly crossed: readonly { readonly signatures: number; readonly purpose: string }[];
  readonly firstCrossing: boolean;
  /** Checkpoints to move: `seen` is the sequence number read (undefined: none was stored). */
  readonly checkpoints: readonly { readonly shard: string; readonly sequenceNumber: string; readonly seen: string | undefined }[];
  readonly writeHistory: boolean;
  readonly at: Date;
  /** Stamped by the operators' recount (`recountedAt`). */
  readonly recount?: boolean;
  /**
   * The petition item still holds a count and the rank entry (published before count items
   * existed): they are removed with this write, which moves them to the count item.
   */
  readonly moveFromPetitionItem?: boolean;
}

/** What a count is computed from: the count item if there is one, else the petition item's legacy count. */
export interface StoredCount {
  readonly expectedCount: number | undefined;
  readonly signatureCount: number;
  readonly thresholds: unknown;
  readonly moveFromPetitionItem: boolean;
}

export function storedCount(petitionItem: Record<string, unknown>, countItem: Record<string, unknown> | undefined): StoredCount {
  const legacy = petitionItem.gsi3pk !== undefined || petitionItem.signatureCount !== undefined;
  const expectedCount = countItem === undefined ? undefined : Number(countItem.signatureCount);
  return {
    expectedCount,
    signatureCount: expectedCount ?? Number(petitionItem.signatureCount ?? 0),
    thresholds: (countItem ?? petitionItem).thresholds,
    moveFromPetitionItem: legacy,
  };
}

type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

/**
 * What a count item holds, one definition for its creation when the petition opens and for every
 * count write: the count and the thresholds' state, and, while the petition is open, its entry in
 * the "most signed" listing (gsi3) with the deadline and categories that listing filters on (both
 * fixed once a petition is published).
 */
export function countItemAttributes(
  petition: Pick<Petition, 'id' | 'community' | 'status' | 'closesAt' | 'tags'>,
  count: number,
  thresholds: readonly ThresholdState[],
  at: string,
): Record<string, unknown> {
  return {
    type: 'petition-count', petitionId: petition.id, community: petition.community, closesAt: petition.closesAt, tags: [...petition.tags],
    signatureCount: count, thresholds, countedAt: at,
    ...(petition.status === 'open' ? { gsi3pk: keys.petitionListing(petition.community, 'open'), gsi3sk: `${padCount(count)}#${petition.id}` } : {}),
  };
}

export function countTransactionItems(write: CountWrite): TransactItems {
  const { petition, newCount, at } = write;
  const id = petition.id;
  const table = tableName();
  const iso = at.toISOString();
  const hour = iso.slice(0, 13);
  const guard = write.expectedCount === undefined
    ? { ConditionExpression: 'attribute_not_exists(pk)', values: {} }
    : { ConditionExpression: 'signatureCount = :old', values: { ':old': write.expectedCount } };
  // Every attribute, not only the count: the first count of a petition published before count
  // items existed creates the item.
  const attributes = Object.entries({ ...countItemAttributes(petition, newCount, write.thresholds, iso), ...(write.recount ? { recountedAt: iso } : {}) });
  return [
    {
      Update: {
        TableName: table,
        Key: keys.petitionCount(id),
        UpdateExpression: `SET ${attributes.map((_, i) => `#a${i} = :a${i}`).join(', ')}`,
        ConditionExpression: guard.ConditionExpression,
        ExpressionAttributeNames: Object.fromEntries(attributes.map(([name], i) => [`#a${i}`, name])),
        ExpressionAttributeValues: { ...Object.fromEntries(attributes.map(([, value], i) => [`:a${i}`, value])), ...guard.values },
      },
    },
    ...(write.moveFromPetitionItem
      ? [{ Update: { TableName: table, Key: keys.petition(id), UpdateExpression: 'REMOVE signatureCount, countedAt, recountedAt, gsi3pk, gsi3sk' } }]
      : []),
    ...write.checkpoints.map(({ shard, sequenceNumber, seen }) => ({
      Put: {
        TableName: table,
        Item: { ...keys.countCheckpoint(id, shard), lastSequenceNumber: sequenceNumber, expiresAt: Math.floor(at.getTime() / 1000) + CHECKPOINT_TTL_SECONDS },
        ...(seen !== undefined
          ? { ConditionExpression: 'lastSequenceNumber = :seen', ExpressionAttributeValues: { ':seen': seen } }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      },
    })),
    ...(write.writeHistory
      ? [{ Put: { TableName: table, Item: { ...keys.countHistory(id, hour), type: 'count-history', hour, signatureCount: newCount } } }]
      : []),
    ...write.crossed.map((c) => ({
      Put: {
        TableName: table,
        Item: {
          ...keys.alert(id, c.signatures),
          type: 'alert',
          idempotencyKey: alertIdempotencyKey(id, c.signatures),
          petitionId: id,
          community: petition.community,
          title: petition.title,
          threshold: c.signatures,
          purpose: c.purpose,
          reachedAt: iso,
          signatureCount: newCount,
          gsi1pk: keys.alertListing(petition.community),
          gsi1sk: `${iso}#${id}#${padCount(c.signatures)}`,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    })),
    ...(write.firstCrossing
      ? [{
          Put: {
            TableName: table,
            Item: { ...keys.awaiting(id), type: 'awaiting', petitionId: id, gsi1pk: keys.awaitingListing(petition.community), gsi1sk: `${iso}#${id}` },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        }]
      : []),
  ];
}

/** The count's guard failed: another batch (or a recount) wrote first; read again and recompute. */
export function isCountConflict(error: unknown): boolean {
  return error instanceof TransactionCanceledException &&
    (error.CancellationReasons?.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict') ?? false);
}
