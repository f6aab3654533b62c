import type { DynamoDBStreamEvent } from 'aws-lambda';
import { applyToIndexes } from '../../shared/search/indexer.ts';
import { searchIndexStore } from '../../shared/search/store.ts';

export const handler = async (event: DynamoDBStreamEvent) => {
  const outcome = await applyToIndexes(searchIndexStore(), event.Records ?? []);
  return { batchItemFailures: outcome.failedSequenceNumbers.map((itemIdentifier) => ({ itemIdentifier })) };
};
