import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoEndpoint } from '#shared/config.ts';
import { traced } from '#shared/observability.ts';

/**
 * A DocumentClient for `endpoint` (DynamoDB Local; by default `DYNAMODB_ENDPOINT`, which is unset
 * in AWS). Traced (X-Ray) when tracing is on (shared/observability.ts). Short timeouts so that an unreachable store becomes a 503 quickly, not a hang.
 */
export function createDocumentClient(endpoint = dynamoEndpoint()): DynamoDBDocumentClient {
  const client = traced(new DynamoDBClient({
    ...(endpoint ? { endpoint } : {}),
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 5_000 },
  }));
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

/** By endpoint ('' for AWS's own): one client each, reused by every invocation. */
const clients = new Map<string, DynamoDBDocumentClient>();

/**
 * The client of the endpoint the environment names now (`DYNAMODB_ENDPOINT`, read on every call):
 * one per endpoint, so a call costs a map lookup. In Lambda the endpoint never changes, so it is
 * one client per container; a process that runs several local systems one after another (the
 * bench, tests) gets each one's own DynamoDB Local, never the first one's.
 */
export function documentClient(): DynamoDBDocumentClient {
  const endpoint = dynamoEndpoint() ?? '';
  let client = clients.get(endpoint);
  if (!client) {
    client = createDocumentClient(endpoint === '' ? undefined : endpoint);
    clients.set(endpoint, client);
  }
  return client;
}

/**
 * A client for consumers built once, at import (`createNotificationFanOut({ db })`): every use
 * (`db.send(...)`) goes to `documentClient()` at that moment, so it follows the environment like
 * a handler that calls `documentClient()` per invocation, never the endpoint of the import.
 */
// Its target has the DocumentClient's prototype, so `instanceof DynamoDBDocumentClient` holds: the
// SDK's paginators (paginateQuery, which queryAll uses) refuse any other client.
export const currentDocumentClient: DynamoDBDocumentClient = new Proxy(Object.create(DynamoDBDocumentClient.prototype) as DynamoDBDocumentClient, {
  get(_target, property) {
    const client = documentClient();
    const value: unknown = Reflect.get(client, property, client);
    return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(client) : value;
  },
});
