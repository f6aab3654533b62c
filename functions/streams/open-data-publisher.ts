import type { DynamoDBStreamEvent } from 'aws-lambda';
import { documentClient } from '#shared/data/client.ts';
import { applyToSnapshots } from '#shared/open-data/snapshots.ts';
import { observed } from '#shared/observability.ts';

export const handler = observed('openDataPublisher', async (event: DynamoDBStreamEvent) => {
  const outcome = await applyToSnapshots(documentClient(), event.Records ?? []);
  return { batchItemFailures: outcome.failedSequenceNumbers.map((itemIdentifier) => ({ itemIdentifier })) };
});
