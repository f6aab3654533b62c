/**
 * The local stand-in for the SQS dead-letter queues of the stream consumers. In AWS, when a batch
 * exhausts its retries, Lambda sends the on-failure destination a message that names the records
 * (shard, first and last sequence number) without carrying them; this writes the same message.
 * One JSON file per message under `<dir>/<consumer>/`, so that deleting a handled message (what
 * `npm run ops -- replay-dlq` does) never races the runtime writing a new one.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBRecord } from 'aws-lambda';
import * as z from 'zod';

/** The body Lambda sends to a DynamoDB stream mapping's on-failure destination. */
export const streamFailureMessageSchema = z.object({
  requestContext: z.object({
    requestId: z.string(),
    functionArn: z.string(),
    condition: z.string(),
    approximateInvokeCount: z.number(),
  }),
  responseContext: z.object({
    statusCode: z.number(),
    executedVersion: z.string(),
    functionError: z.string().nullable().optional(),
  }),
  version: z.string(),
  timestamp: z.string(),
  DDBStreamBatchInfo: z.object({
    shardId: z.string().min(1),
    startSequenceNumber: z.string().regex(/^\d+$/),
    endSequenceNumber: z.string().regex(/^\d+$/),
    approximateArrivalOfFirstRecord: z.string(),
    approximateArrivalOfLastRecord: z.string(),
    batchSize: z.number().int().positive(),
    streamArn: z.string().min(1),
  }),
});

export type StreamFailureMessage = z.infer<typeof streamFailureMessageSchema>;

/** The ARN the local runtime gives a consumer in its messages (no function exists locally). */
export const localFunctionArn = (consumer: string) => `arn:aws:lambda:local:000000000000:function:${consumer}`;

const arrival = (record: DynamoDBRecord | undefined) =>
  new Date((record?.dynamodb?.ApproximateCreationDateTime ?? Date.now() / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function streamFailureMessage(
  consumer: string,
  shardId: string,
  records: DynamoDBRecord[],
  attempts: number,
  condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded' = 'RetryAttemptsExhausted',
  now = new Date(),
): StreamFailureMessage {
  const first = records[0];
  const last = records[records.length - 1];
  return {
    requestContext: { requestId: randomUUID(), functionArn: localFunctionArn(consumer), condition, approximateInvokeCount: attempts },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    version: '1.0',
    timestamp: now.toISOString(),
    DDBStreamBatchInfo: {
      shardId,
      startSequenceNumber: first?.dynamodb?.SequenceNumber ?? '0',
      endSequenceNumber: last?.dynamodb?.SequenceNumber ?? '0',
      approximateArrivalOfFirstRecord: arrival(first),
      approximateArrivalOfLastRecord: arrival(last),
      batchSize: records.length,
      streamArn: first?.eventSourceARN ?? '',
    },
  };
}

export interface ReceivedMessage {
  /** Handle to delete it with. */
  id: string;
  body: unknown;
}

export class LocalDeadLetterQueues {
  constructor(readonly dir: string) {}

  send(consumer: string, message: StreamFailureMessage): void {
    const folder = join(this.dir, consumer);
    mkdirSync(folder, { recursive: true });
    const name = `${message.timestamp.replace(/[:.]/g, '-')}-${message.requestContext.requestId}.json`;
    const temporary = join(folder, `.${name}.tmp`);
    writeFileSync(temporary, `${JSON.stringify(message, null, 2)}\n`);
    renameSync(temporary, join(folder, name)); // a reader sees the whole message or none
  }

  /** Consumers that have a queue folder. */
  consumers(): string[] {
    try {
      return readdirSync(this.dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    } catch {
      return [];
    }
  }

  /** The messages of a consumer's queue, oldest first; unreadable ones come with `body` undefined. */
  receive(consumer: string): ReceivedMessage[] {
    const folder = join(this.dir, consumer);
    let names: string[];
    try {
      names = readdirSync(folder).filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort();
    } catch {
      return [];
    }
    return names.map((id) => {
      try {
        return { id, body: JSON.parse(readFileSync(join(folder, id), 'utf8')) as unknown };
      } catch {
        return { id, body: undefined };
      }
    });
  }

  delete(consumer: string, id: string): void {
    rmSync(join(this.dir, consumer, id), { force: true });
  }
}

/**
 * The stream poller's `onDeadLetter` for the local runtime: logs, and queues the message when a
 * folder is given (without one, e.g. an in-memory run, the records are only logged as before).
 */
export function localDeadLetterSink(dir: string | undefined, log: (line: string) => void) {
  const queues = dir ? new LocalDeadLetterQueues(dir) : undefined;
  return (consumer: string, records: DynamoDBRecord[], reason: string, shardId: string) => {
    log(`dead letter: ${consumer} gave up on ${records.length} record(s): ${reason}`);
    if (!queues || records.length === 0) return;
    const attempts = Number(/after (\d+) attempt/.exec(reason)?.[1] ?? 1);
    const condition = /RecordAge/.test(reason) ? 'RecordAgeExceeded' : 'RetryAttemptsExhausted';
    queues.send(consumer, streamFailureMessage(consumer, shardId, records, attempts, condition));
    log(`dead letter: queued in ${join(queues.dir, consumer)} (replay: npm run ops -- replay-dlq)`);
  };
}
