import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tableName } from '#shared/data/table.ts';

/**
 * Every community stored in the table, inactive ones included (their open petitions still need a
 * recount). Community items have no listing of their own, so this is a filtered scan: run by an
 * operator for a recovery, never by a Lambda (no function is granted dynamodb:Scan). It reads the
 * whole table once: for a city's table of a few hundred thousand items, a few thousand read units.
 */
export async function communityIds(db: DynamoDBDocumentClient): Promise<string[]> {
  const ids: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({
      TableName: tableName(),
      FilterExpression: 'sk = :config AND begins_with(pk, :prefix)',
      ExpressionAttributeValues: { ':config': 'CONFIG', ':prefix': 'COMMUNITY#' },
      ProjectionExpression: 'pk',
      ExclusiveStartKey: start,
    }));
    ids.push(...(page.Items ?? []).map((item) => String(item.pk).slice('COMMUNITY#'.length)));
    start = page.LastEvaluatedKey;
  } while (start);
  return ids.sort();
}
