import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, paginateQuery, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PetitionClosing } from '#shared/domain/petitions/closing.ts';
import type { Petition } from '#shared/domain/petitions/petition.ts';
import { keys } from './keys.ts';
import { petitionFromItem } from './petitions.ts';
import { tableName } from './table.ts';

/**
 * Petition closings (issue 13; the job is shared/app/petition-closings.ts):
 * - which petitions closed in a span of time: the "ending soon" index of the published listing
 *   (gsi2: pk C#<community>#PETITIONS#open, sk <closesAt>#<id>), a key range on the deadline;
 * - the record of one closing: pk PETITION#<id>, sk CLOSED, written once (attribute_not_exists):
 *   its INSERT on the table's stream is the event the notification consumer turns into messages;
 * - per community, the deadline up to which every closing is recorded: pk C#<community>#CLOSINGS,
 *   sk THROUGH, so a run reads only what closed since the last one.
 */

/** Published petitions whose deadline is from `from` to `through` (ISO, inclusive), a page at a time. */
export async function* petitionsClosingBetween(db: DynamoDBDocumentClient, community: string, from: string, through: string): AsyncGenerator<Petition> {
  const pages = paginateQuery({ client: db }, {
    TableName: tableName(),
    IndexName: 'gsi2',
    // Deadline keys are `<closesAt>#<id>`; '~' sorts after every id.
    KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk BETWEEN :from AND :through',
    ExpressionAttributeValues: { ':pk': keys.petitionListing(community, 'open'), ':from': `${from}#`, ':through': `${through}#~` },
  });
  for await (const page of pages) for (const item of page.Items ?? []) yield petitionFromItem(item);
}

/** Records a closing unless it is recorded already; true when this call recorded it. */
export async function recordClosing(db: DynamoDBDocumentClient, closing: PetitionClosing): Promise<boolean> {
  try {
    await db.send(new PutCommand({
      TableName: tableName(),
      Item: { ...keys.petitionClosed(closing.petitionId), type: 'petition-closed', ...closing },
      ConditionExpression: 'attribute_not_exists(pk)',
    }));
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

export async function getClosingWatermark(db: DynamoDBDocumentClient, community: string): Promise<string | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName(), Key: keys.closingWatermark(community), ConsistentRead: true }));
  return typeof Item?.through === 'string' ? Item.through : undefined;
}

/** Moves the community's watermark to `through`; never back (two runs at once: the later one stays). */
export async function saveClosingWatermark(db: DynamoDBDocumentClient, community: string, through: string, now: Date): Promise<void> {
  try {
    await db.send(new PutCommand({
      TableName: tableName(),
      Item: { ...keys.closingWatermark(community), type: 'closing-watermark', community, through, updatedAt: now.toISOString() },
      ConditionExpression: 'attribute_not_exists(pk) OR #through < :through',
      ExpressionAttributeNames: { '#through': 'through' },
      ExpressionAttributeValues: { ':through': through },
    }));
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}
