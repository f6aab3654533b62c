import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { documentClient } from '#shared/data/client.ts';
import { tableName } from '#shared/data/table.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { problems } from '#shared/http/problem.ts';
import { isStoreUnavailable } from '#shared/http/http-client-error.ts';

export const handler = httpHandler('health', async () => {
  try {
    await documentClient().send(new DescribeTableCommand({ TableName: tableName() }));
  } catch (error) {
    if (isStoreUnavailable(error)) throw problems.unavailable();
    throw error;
  }
  return { status: 200, body: { status: 'ok', store: 'ok', time: new Date().toISOString() } };
});
