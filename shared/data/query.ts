import { BatchGetCommand, paginateQuery, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { backoff } from '#shared/retry.ts';
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
    /** Sort keys strictly before this value. */
    before?: string;
    /** A filter on the items read (the page may then hold fewer than `limit`; follow the cursor). */
    filter?: QueryFilter | undefined;
  },
): Promise<{ items: Record<string, unknown>[]; nextCursor: string | null }> {
  const pkName = input.index ? `${input.index}pk` : 'pk';
  const skName = input.index ? `${input.index}sk` : 'sk';
  // The cursor is bound to this listing (index + partition): one issued elsewhere does not verify.
  const scope = `query:${input.index ?? 'table'}:${input.partition}`;
  const start = input.cursor === undefined ? undefined : await decodeCursor(scope, input.cursor);
  if (start !== undefined && (!isKey(start) || start[pkName] !== input.partition)) throw invalidCursor();
  const condition = keyCondition(pkName, skName, input);
  const { Items, LastEvaluatedKey } = await db.send(new QueryCommand({
    TableName: tableName(),
    ...(input.index ? { IndexName: input.index } : {}),
    KeyConditionExpression: condition.KeyConditionExpression,
    ...filterParts(input.filter),
    ExpressionAttributeNames: { ...condition.ExpressionAttributeNames, ...input.filter?.names },
    ExpressionAttributeValues: { ...condition.ExpressionAttributeValues, ...input.filter?.values },
    ScanIndexForward: input.ascending,
    Limit: input.limit,
    ...(start ? { ExclusiveStartKey: start } : {}),
  }));
  return { items: Items ?? [], nextCursor: await encodeCursor(scope, LastEvaluatedKey) };
}

export interface QueryFilter {
  readonly expression: string;
  readonly names: Record<string, string>;
  readonly values: Record<string, unknown>;
}

type Range = { partition: string; after?: string | undefined; before?: string | undefined; prefix?: string | undefined };

function keyCondition(pkName: string, skName: string, input: Range) {
  const sk = input.after !== undefined ? { op: '#sk > :sk', value: input.after }
    : input.before !== undefined ? { op: '#sk < :sk', value: input.before }
      : input.prefix !== undefined ? { op: 'begins_with(#sk, :sk)', value: input.prefix } : undefined;
  return {
    KeyConditionExpression: sk ? `#pk = :pk AND ${sk.op}` : '#pk = :pk',
    ExpressionAttributeNames: { '#pk': pkName, ...(sk ? { '#sk': skName } : {}) },
    ExpressionAttributeValues: { ':pk': input.partition, ...(sk ? { ':sk': sk.value } : {}) } as Record<string, unknown>,
  };
}

function filterParts(filter: QueryFilter | undefined) {
  return filter ? { FilterExpression: filter.expression } : {};
}

/**
 * How many items of a partition (in a key range, passing a filter) there are: a COUNT query,
 * followed page by page. Reads the items (read units), returns none of them.
 */
export async function countPartition(
  db: DynamoDBDocumentClient,
  input: Range & { index?: 'gsi1' | 'gsi2' | 'gsi3'; filter?: QueryFilter | undefined },
): Promise<number> {
  const pkName = input.index ? `${input.index}pk` : 'pk';
  const skName = input.index ? `${input.index}sk` : 'sk';
  const condition = keyCondition(pkName, skName, input);
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new QueryCommand({
      TableName: tableName(),
      ...(input.index ? { IndexName: input.index } : {}),
      KeyConditionExpression: condition.KeyConditionExpression,
      ...filterParts(input.filter),
      ExpressionAttributeNames: { ...condition.ExpressionAttributeNames, ...input.filter?.names },
      ExpressionAttributeValues: { ...condition.ExpressionAttributeValues, ...input.filter?.values },
      Select: 'COUNT',
      ...(start ? { ExclusiveStartKey: start } : {}),
    }));
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
}

/**
 * Every item of a partition (in a key range), page after page with the SDK's paginator: for code
 * that reads a whole collection (exports, counts, reports), not for listings a person pages
 * through (those take `queryPage` and its authenticated cursor).
 */
export async function queryAll(
  db: DynamoDBDocumentClient,
  input: Range & {
    index?: 'gsi1' | 'gsi2' | 'gsi3';
    /** Attributes to read (all when absent). */
    attributes?: readonly string[];
    consistent?: boolean;
    /** Newest (highest sort key) first when false; default ascending. */
    ascending?: boolean;
  },
): Promise<Record<string, unknown>[]> {
  const pkName = input.index ? `${input.index}pk` : 'pk';
  const skName = input.index ? `${input.index}sk` : 'sk';
  const condition = keyCondition(pkName, skName, input);
  const projection = input.attributes?.length
    ? {
        ProjectionExpression: input.attributes.map((_, i) => `#a${i}`).join(', '),
        names: Object.fromEntries(input.attributes.map((name, i) => [`#a${i}`, name])),
      }
    : undefined;
  const items: Record<string, unknown>[] = [];
  const pages = paginateQuery({ client: db }, {
    TableName: tableName(),
    ...(input.index ? { IndexName: input.index } : {}),
    KeyConditionExpression: condition.KeyConditionExpression,
    ExpressionAttributeNames: { ...condition.ExpressionAttributeNames, ...projection?.names },
    ExpressionAttributeValues: condition.ExpressionAttributeValues,
    ...(projection ? { ProjectionExpression: projection.ProjectionExpression } : {}),
    ...(input.consistent ? { ConsistentRead: true } : {}),
    ScanIndexForward: input.ascending ?? true,
  });
  for await (const page of pages) items.push(...(page.Items ?? []));
  return items;
}

export type ItemKey = { readonly pk: string; readonly sk: string };

/** The map key of an item read by `itemsByKey`. */
export const keyOf = (key: ItemKey | Record<string, unknown>) => `${String(key.pk)}|${String(key.sk)}`;

/**
 * Items by key, 100 per BatchGet, keys it leaves unprocessed (throttling) read again after a
 * backoff; keyed by `keyOf`; items that do not exist are absent.
 */
export async function itemsByKey(
  db: DynamoDBDocumentClient,
  wanted: readonly ItemKey[],
  options: { consistent?: boolean } = {},
): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  // BatchGet refuses a request that names a key twice.
  const unique = [...new Map(wanted.map((k) => [keyOf(k), { pk: k.pk, sk: k.sk }])).values()];
  for (let i = 0; i < unique.length; i += 100) {
    let pending: Record<string, unknown>[] = unique.slice(i, i + 100);
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > 1) await backoff(attempt, 1_000, 20);
      const result = await db.send(new BatchGetCommand({
        RequestItems: { [tableName()]: { Keys: pending, ...(options.consistent ? { ConsistentRead: true } : {}) } },
      }));
      for (const item of result.Responses?.[tableName()] ?? []) out.set(keyOf(item), item);
      pending = result.UnprocessedKeys?.[tableName()]?.Keys ?? [];
    }
  }
  return out;
}
