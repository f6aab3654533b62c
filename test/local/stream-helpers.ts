import {
  CreateTableCommand,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import type { StreamConsumer } from '../../local/stream-poller.ts';

export function dynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'eu-central-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
}

/** A table with a NEW_AND_OLD_IMAGES stream, as the project's table is defined. */
export async function createStreamTable(client: DynamoDBClient, tableName = `t-${randomUUID().slice(0, 8)}`): Promise<string> {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  return tableName;
}

export async function putItem(client: DynamoDBClient, tableName: string, pk: string, attributes: Record<string, AttributeValue> = {}): Promise<void> {
  await client.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: pk }, ...attributes } }));
}

export async function putItems(client: DynamoDBClient, tableName: string, keys: string[], attributes: Record<string, AttributeValue> = {}): Promise<void> {
  for (const pk of keys) await putItem(client, tableName, pk, attributes);
}

export async function updateItem(client: DynamoDBClient, tableName: string, pk: string, status: string): Promise<void> {
  await client.send(
    new UpdateItemCommand({
      TableName: tableName,
      Key: { pk: { S: pk } },
      UpdateExpression: 'SET #status = :status',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':status': { S: status } },
    }),
  );
}

export async function deleteItem(client: DynamoDBClient, tableName: string, pk: string): Promise<void> {
  await client.send(new DeleteItemCommand({ TableName: tableName, Key: { pk: { S: pk } } }));
}

export function keys(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix}${String(index).padStart(3, '0')}`);
}

export const pkOf = (record: DynamoDBRecord): string | undefined => record.dynamodb?.Keys?.['pk']?.S;

/**
 * A consumer that records every invocation; `decide` may throw or return a batch response to
 * simulate failures (default: success).
 */
export function recordingConsumer(
  name: string,
  settings: Partial<Omit<StreamConsumer, 'name' | 'handler'>> & {
    decide?: (records: DynamoDBRecord[], invocation: number) => Promise<DynamoDBBatchResponse | void> | DynamoDBBatchResponse | void;
  } = {},
) {
  const invocations: DynamoDBRecord[][] = [];
  const { decide, ...rest } = settings;
  const consumer: StreamConsumer = {
    name,
    filterPatterns: [],
    batchSize: 100,
    maximumRetryAttempts: 3,
    ...rest,
    handler: async (event: DynamoDBStreamEvent) => {
      invocations.push(event.Records);
      return decide?.(event.Records, invocations.length);
    },
  };
  return {
    consumer,
    invocations,
    /** pk of every record in every invocation, in order (retries included). */
    deliveredKeys: () => invocations.flat().map(pkOf),
    batchKeys: () => invocations.map((batch) => batch.map(pkOf)),
  };
}

/** A promise with its resolve function, to hold a handler until the test lets it go. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}
