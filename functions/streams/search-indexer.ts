import type { DynamoDBStreamEvent } from 'aws-lambda';
import { applyToIndexes } from '#shared/search/indexer.ts';
import { searchIndexStore } from '#shared/search/store.ts';
import { observed } from '#shared/observability.ts';

export const handler = observed('searchIndexer', async (event: DynamoDBStreamEvent) => {
  const outcome = await applyToIndexes(searchIndexStore(), event.Records ?? []);
  return { batchItemFailures: outcome.failedSequenceNumbers.map((itemIdentifier) => ({ itemIdentifier })) };
});
