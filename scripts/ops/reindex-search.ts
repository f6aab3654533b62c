import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { resolve } from 'node:path';
import * as z from 'zod';
import { tableName } from '#shared/data/table.ts';
import { rebuildIndex, type RebuildOutcome } from '#shared/search/indexer.ts';
import { searchIndexStore } from '#shared/search/store.ts';
import { communityIds } from './_communities.ts';
import { startCommand, targetUsage } from './_target.ts';

export const summary = 'Rebuild the search index of communities from the table (backfill or repair)';

const usage = `Usage: npm run ops -- reindex-search [--community ID ...] <target> [--index-dir DIR]

Reads every petition, consultation and budget project of the community from the table and writes
its search index anew: what the search-indexer stream consumer keeps current from then on. Run it
once after the first deploy onto a table that already holds items, or to repair an index. Safe
while the system runs (the write is conditional on the index not having changed meanwhile; it
starts over if it did). Idempotent. Prints, per community, documents before -> after.

  --community ID     a community (repeatable; default: every community in the table)
  --index-dir DIR    DynamoDB Local only: the folder of the local index
                     (default .local/data/search-index, what npm start uses)

In AWS the index is the stage's search bucket (hromada-<stage>-search-<account>-<region>).

${targetUsage}`;

const communityId = z.string().regex(/^[a-z0-9-]{1,64}$/, 'a community id');

/** Searchable items of one community: a filtered scan, run by an operator, never by a Lambda. */
async function* searchableItems(db: DynamoDBDocumentClient, community: string): AsyncIterable<Record<string, unknown>> {
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({
      TableName: tableName(),
      FilterExpression: 'community = :c AND #type IN (:petition, :consultation, :project)',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':c': community, ':petition': 'petition', ':consultation': 'consultation', ':project': 'budget-project' },
      ExclusiveStartKey: start,
    }));
    yield* page.Items ?? [];
    start = page.LastEvaluatedKey;
  } while (start);
}

export async function run(args: string[]): Promise<number> {
  let communities: string[] | undefined;
  let indexDir: string | undefined;
  const started = startCommand(
    args,
    { community: { type: 'string', multiple: true }, 'index-dir': { type: 'string' } },
    usage,
    (values) => {
      const ids = z.array(communityId).optional().safeParse(values.community);
      if (!ids.success) return `--community: ${ids.error.issues[0]?.message}`;
      if (values['index-dir'] !== undefined && values.stage !== undefined) return '--index-dir is for DynamoDB Local only.';
      communities = ids.data;
      indexDir = typeof values['index-dir'] === 'string' ? values['index-dir'] : undefined;
      return undefined;
    },
  );
  if (typeof started === 'number') return started;
  const { target } = started;
  try {
    if (target.kind === 'aws') {
      // The bucket's name holds the account id, which the table's ARN names.
      const { Table } = await target.dynamodb.send(new DescribeTableCommand({ TableName: target.table }));
      const [, , , region, account] = (Table?.TableArn ?? '').split(':');
      process.env.SEARCH_BUCKET = `hromada-${target.stage}-search-${account}-${region}`;
      delete process.env.SEARCH_INDEX_DIR;
    } else {
      delete process.env.SEARCH_BUCKET;
      process.env.SEARCH_INDEX_DIR = resolve(indexDir ?? '.local/data/search-index');
    }
    const ids = communities ?? await communityIds(target.db);
    const where = target.kind === 'aws' ? `bucket ${process.env.SEARCH_BUCKET}` : `folder ${process.env.SEARCH_INDEX_DIR}`;
    console.log(`reindex-search on ${target.kind === 'aws' ? `stage ${target.stage}` : 'DynamoDB Local'}, table ${target.table}, ${where}: ${ids.length} communit${ids.length === 1 ? 'y' : 'ies'}`);
    let failed = 0;
    for (const id of ids) {
      try {
        const outcome: RebuildOutcome = await rebuildIndex(searchIndexStore(), id, () => searchableItems(target.db, id));
        console.log(`  ${id}: ${outcome.before} -> ${outcome.documents} documents`);
      } catch (error) {
        failed++;
        console.log(`  ${id}: not done: ${(error as Error).message}`);
      }
    }
    return failed > 0 ? 1 : 0;
  } finally {
    target.close();
  }
}
