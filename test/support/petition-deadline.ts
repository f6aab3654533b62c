import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/data/keys.ts';

/**
 * Moves a published petition's deadline, as the passing of time would close it (a deadline never
 * changes in the product): the petition item and its "ending soon" key, and the copy on its count
 * item that the "most signed" listing filters on.
 */
export async function setPetitionDeadline(db: DynamoDBDocumentClient, tableName: string, id: string, closesAt: string): Promise<void> {
  await db.send(new UpdateCommand({
    TableName: tableName, Key: keys.petition(id),
    UpdateExpression: 'SET closesAt = :c, gsi2sk = :k', ExpressionAttributeValues: { ':c': closesAt, ':k': `${closesAt}#${id}` },
  }));
  try {
    await db.send(new UpdateCommand({
      TableName: tableName, Key: keys.petitionCount(id),
      UpdateExpression: 'SET closesAt = :c', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':c': closesAt },
    }));
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}
