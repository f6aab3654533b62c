import type { DynamoDBStreamEvent } from 'aws-lambda';
import { documentClient } from '../../shared/data/client.ts';
import { countSignatures } from '../../shared/streams/signature-counter.ts';

/** Tumbling-window stream event: Lambda adds the shard id we checkpoint by. */
type Event = DynamoDBStreamEvent & { shardId?: string; state?: Record<string, unknown> };

export const handler = async (event: Event) => {
  if (!event.shardId) throw new Error('The event has no shardId: configure a tumbling window on the event source mapping.');
  const outcome = await countSignatures(documentClient(), event.Records ?? [], event.shardId);
  return {
    state: {},
    batchItemFailures: outcome.failedSequenceNumbers.map((itemIdentifier) => ({ itemIdentifier })),
  };
};
