import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor, invalidCursor, isKey } from './cursor.ts';
import { tableName } from './table.ts';

/** One page of a partition (of the table or an index), with an authenticated cursor checked to belong to it. */
export async function queryPage(
  db: DynamoDBDocumentClient,
  input: {
    index?: 'gsi1' | 'gsi2' | 'gsi3';
    partition: string;
    ascending: boolean;
    limit: number;
    cursor?: string | undefined;
    /** Sort keys strictly after this value. */
    after?: string;
    /** Sort keys that begin with this value. */
    prefix?: string;
  },
): Promise<{ items: Record<string, unknown>[]; nextCursor: string | null }> {
  const pkName = input.index ? `${input.index}pk` : 'pk';
  const skName = input.index ? `${input.index}sk` : 'sk';
  // The cursor is bound to this listing (index + partition): one issued elsewhere does not verify.
  const scope = `query:${input.index ?? 'table'}:${input.partition}`;
  const start = input.cursor === undefined ? undefined : await decodeCursor(scope, input.cursor);
  if (start !== undefined && (!isKey(start) || start[pkName] !== input.partition)) throw invalidCursor();
  const { Items, LastEvaluatedKey } = await db.send(new QueryCommand({
    TableName: tableName(),
    ...(input.index ? { IndexName: input.index } : {}),
    KeyConditionExpression: input.after ? '#pk = :pk AND #sk > :sk' : input.prefix ? '#pk = :pk AND begins_with(#sk, :sk)' : '#pk = :pk',
    ExpressionAttributeNames: { '#pk': pkName, ...(input.after || input.prefix ? { '#sk': skName } : {}) },
    ExpressionAttributeValues: { ':pk': input.partition, ...(input.after || input.prefix ? { ':sk': input.after ?? input.prefix } : {}) },
    ScanIndexForward: input.ascending,
    Limit: input.limit,
    ...(start ? { ExclusiveStartKey: start } : {}),
  }));
  return { items: Items ?? [], nextCursor: await encodeCursor(scope, LastEvaluatedKey) };
}

