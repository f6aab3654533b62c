import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent, DynamoDBBatchResponse, Context } from 'aws-lambda';
import { tableName } from '../data/table.ts';
import { alertFromItem, type AlertPublisher } from '../notify/alert.ts';

/**
 * Delivers each threshold alert at least once, with its stable idempotency key:
 * 1. skip an alert already marked delivered (a redelivered stream record);
 * 2. publish;
 * 3. mark it delivered.
 * A crash between 2 and 3 publishes again on retry, with the same key, so the council's side
 * shows it once. A failure to publish fails only that record; Lambda retries it (bounded) and
 * then sends it to the dead-letter queue, from which it can be replayed.
 */
export function createAlertNotifier(deps: { db: DynamoDBDocumentClient; publisher: AlertPublisher }) {
  const processor = new BatchProcessor(EventType.DynamoDBStreams);

  async function deliver(record: DynamoDBRecord): Promise<void> {
    const pk = record.dynamodb?.Keys?.pk?.S;
    const sk = record.dynamodb?.Keys?.sk?.S;
    if (!pk || !sk?.startsWith('ALERT#')) return;
    const { Item } = await deps.db.send(new GetCommand({ TableName: tableName(), Key: { pk, sk }, ConsistentRead: true }));
    if (!Item || Item.deliveredAt) return;
    await deps.publisher.publish(alertFromItem(Item));
    await deps.db.send(new UpdateCommand({
      TableName: tableName(),
      Key: { pk, sk },
      UpdateExpression: 'SET deliveredAt = if_not_exists(deliveredAt, :now) ADD deliveryCount :one',
      ExpressionAttributeValues: { ':now': new Date().toISOString(), ':one': 1 },
    }));
  }

  return async (event: DynamoDBStreamEvent, context?: Context): Promise<DynamoDBBatchResponse> =>
    processPartialResponse(event, deliver, processor, context ? { context } : undefined);
}
