import type { DynamoDBStreamEvent } from 'aws-lambda';
import { documentClient } from '#shared/data/client.ts';
import { observed } from '#shared/observability.ts';
import { countSignatures, MissingShardIdError } from '#shared/streams/signature-counter.ts';

/** Tumbling-window stream event: Lambda adds the shard id we checkpoint by. */
type Event = DynamoDBStreamEvent & { shardId?: string; state?: Record<string, unknown> };

export const handler = observed('signatureCounter', async (event: Event) => {
  // Without the shard id there is no exactly-once checkpoint: refuse the whole batch, before any
  // write, so the records are retried and then dead-lettered (replayable), never counted wrong.
  if (!event.shardId) throw new MissingShardIdError();
  const outcome = await countSignatures(documentClient(), event.Records ?? [], event.shardId);
  return {
    // With a tumbling window Lambda requires a state in the answer (an answer without one fails).
    state: {},
    batchItemFailures: outcome.failedSequenceNumbers.map((itemIdentifier) => ({ itemIdentifier })),
  };
});
