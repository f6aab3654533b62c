import { join, resolve } from 'node:path';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import * as z from 'zod';
import { streamFailureMessageSchema, type StreamFailureMessage } from '../../local/dead-letters.ts';
import { createRecordFilter } from '../../local/filter-pattern.ts';
import { toLambdaRecord } from '../../local/stream-poller.ts';
import { keys } from '#shared/data/keys.ts';
import { openPetitionIds, recountPetitions } from '#shared/data/recount.ts';
import { communityIds } from './_communities.ts';
import { StreamReader, StreamRecordsGone } from '#shared/data/stream-reader.ts';
import { tableName } from '#shared/data/table.ts';
import { streamConsumers, type StreamConsumerName } from '#shared/streams/consumers.ts';
import { awsConsumers, localInvoker, localSources, type ConsumerInvoker, type DeadLetterSource } from './_dead-letters.ts';
import { describe as describeRecount } from './recount.ts';
import { startCommand, targetUsage, type Target } from './_target.ts';

export const summary = 'Re-drive what the stream consumers dead-lettered (re-read from the stream, or recount when expired)';

const usage = `Usage: npm run ops -- replay-dlq <target> [--data-dir DIR] [--consumer NAME] [--settle-ms N]

For each message of the consumers' dead-letter queues (a failed batch: shard, first and last
sequence number), re-reads those records from the table's stream and hands them to the same
consumer handler. The messages are deleted only once handled; a batch that fails again stays.
  signatureCounter  the records are replayed to the counter, then the petitions they touch are
                    recounted (a record the counter skipped because it had counted later ones of
                    the same petition would otherwise stay uncounted). Stream records expired
                    (24 h): every open petition is recounted.
  alertNotifier     the records are replayed to the notifier (it delivers each alert once).
                    Stream records expired: every alert not marked delivered is delivered.

  --data-dir DIR     local only: the runtime's data folder (queues in DIR/dead-letters;
                     default .local/data, what npm start uses)
  --consumer NAME    only this consumer (${Object.keys(streamConsumers).join(', ')})
  --settle-ms N      recount pause (default 1000)

${targetUsage}`;

interface Outcome {
  consumer: StreamConsumerName;
  message: string;
  result: 'replayed' | 'recovered' | 'kept';
  detail: string;
}

export async function run(args: string[]): Promise<number> {
  let consumer: StreamConsumerName | undefined;
  let settleMs: number | undefined;
  const started = startCommand(
    args,
    { 'data-dir': { type: 'string' }, consumer: { type: 'string' }, 'settle-ms': { type: 'string' } },
    usage,
    (values) => {
      const name = z.enum(Object.keys(streamConsumers) as [StreamConsumerName, ...StreamConsumerName[]]).optional().safeParse(values.consumer);
      const settle = z.coerce.number().int().min(0).max(60_000).optional().safeParse(values['settle-ms']);
      if (!name.success) return `--consumer: one of ${Object.keys(streamConsumers).join(', ')}`;
      if (!settle.success) return '--settle-ms: a whole number of milliseconds (0-60000)';
      if (values.stage !== undefined && values['data-dir'] !== undefined) return '--data-dir is for DynamoDB Local only';
      [consumer, settleMs] = [name.data, settle.data];
      return undefined;
    },
  );
  if (typeof started === 'number') return started;
  const { values, target } = started;

  let sources: DeadLetterSource[];
  let invoker: ConsumerInvoker;
  let closeAws = () => undefined as void;
  if (target.kind === 'local') {
    const dataDir = resolve(String(values['data-dir'] ?? resolve(import.meta.dirname, '..', '..', '.local', 'data')));
    process.env.LOCAL_ALERT_SINK ??= join(dataDir, 'council-alerts.jsonl');
    sources = localSources(join(dataDir, 'dead-letters'), consumer);
    invoker = localInvoker;
  } else {
    const aws = await awsConsumers(target.stage!, target.region, consumer);
    sources = aws.sources;
    invoker = aws.invoker;
    closeAws = aws.close;
  }
  try {
    const outcomes = await replay(target, sources, invoker, settleMs !== undefined ? { settleMs } : {});
    for (const o of outcomes) console.log(`  ${o.consumer} ${o.message}: ${o.result} (${o.detail})`);
    const kept = outcomes.filter((o) => o.result === 'kept').length;
    console.log(`${outcomes.length} message(s): ${outcomes.length - kept} handled and deleted, ${kept} kept`);
    return kept > 0 ? 1 : 0;
  } finally {
    closeAws();
    target.close();
  }
}

async function replay(target: Target, sources: DeadLetterSource[], invoker: ConsumerInvoker, options: { settleMs?: number }): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const region = process.env.AWS_REGION ?? 'eu-central-1';
  /** Counter messages wait for the recount that completes them. */
  const counterMessages: { source: DeadLetterSource; id: string; outcome: Outcome; gone: boolean }[] = [];
  const touched = new Set<string>();
  let recountAllOpen = false;
  let undeliveredDone: Promise<{ ok: boolean; detail: string }> | undefined;

  for (const source of sources) {
    const accepts = createRecordFilter(streamConsumers[source.consumer].filterPatterns);
    for (const received of await source.receive()) {
      const outcome: Outcome = { consumer: source.consumer, message: received.id, result: 'kept', detail: '' };
      outcomes.push(outcome);
      const parsed = streamFailureMessageSchema.safeParse(received.body);
      if (!parsed.success) {
        outcome.detail = 'not a stream failure message (DDBStreamBatchInfo); left for a person';
        continue;
      }
      const info = parsed.data.DDBStreamBatchInfo;
      outcome.message = `${info.shardId} ${info.startSequenceNumber}..${info.endSequenceNumber}`;
      let records: DynamoDBRecord[] | undefined;
      try {
        const read = await new StreamReader(target.streams, info.streamArn, target.kind === 'aws' ? 3 : 1).readRange(info.shardId, info.startSequenceNumber, info.endSequenceNumber);
        records = read.map((r) => toLambdaRecord(r, info.streamArn, region)).filter((r) => accepts(r));
      } catch (error) {
        if (!(error instanceof StreamRecordsGone)) throw error;
        outcome.detail = `${error.message}; `;
      }

      if (source.consumer === 'signatureCounter') {
        if (!records) {
          recountAllOpen = true;
          outcome.detail += 'every open petition is recounted';
        } else {
          for (const r of records) touched.add(r.dynamodb!.Keys!.sk!.S!.slice('SIG#'.length));
          const result = await invoker.invoke(source.consumer, counterEvent(records, parsed.data));
          if (!result.ok) {
            outcome.detail = `replay to the counter: ${result.detail}`;
            continue;
          }
          outcome.detail = `${records.length} record(s) replayed; their petitions recounted`;
        }
        counterMessages.push({ source, id: received.id, outcome, gone: !records });
        continue;
      }

      // alertNotifier
      let result: { ok: boolean; detail: string };
      if (records) {
        result = records.length ? await invoker.invoke(source.consumer, { Records: records }) : { ok: true, detail: 'no record to deliver' };
      } else {
        undeliveredDone ??= deliverUndelivered(target, invoker, region);
        result = await undeliveredDone;
      }
      outcome.detail += result.detail;
      if (result.ok) {
        await source.delete(received.id);
        outcome.result = records ? 'replayed' : 'recovered';
      }
    }
  }

  if (counterMessages.length > 0) {
    const ids = new Set(touched);
    if (recountAllOpen) for (const id of await openPetitionIds(target.db, await communityIds(target.db))) ids.add(id);
    const results = await recountPetitions(target.db, await target.reader(), [...ids], options);
    for (const r of results) console.log(describeRecount(r));
    const done = results.every((r) => r.outcome !== 'busy');
    for (const { source, id, outcome, gone } of counterMessages) {
      if (!done) {
        outcome.detail += '; the recount did not finish (signatures kept arriving): run again';
        continue;
      }
      await source.delete(id);
      outcome.result = gone ? 'recovered' : 'replayed';
    }
  }
  return outcomes;
}

/** The counter's event as its tumbling-window mapping delivers it (it needs the shard id). */
function counterEvent(records: DynamoDBRecord[], message: StreamFailureMessage): DynamoDBStreamEvent {
  const info = message.DDBStreamBatchInfo;
  return Object.assign({ Records: records }, {
    shardId: info.shardId,
    eventSourceARN: info.streamArn,
    window: { start: info.approximateArrivalOfFirstRecord, end: info.approximateArrivalOfLastRecord },
    state: {},
    isFinalInvokeForWindow: false,
    isWindowTerminatedEarly: false,
  });
}

/**
 * The notifier's records are gone: deliver every alert not marked delivered (the notifier skips
 * delivered ones and marks each it sends; its idempotency key makes a repeat harmless).
 */
async function deliverUndelivered(target: Target, invoker: ConsumerInvoker, region: string): Promise<{ ok: boolean; detail: string }> {
  const records: DynamoDBRecord[] = [];
  for (const community of await communityIds(target.db)) {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await target.db.send(new QueryCommand({
        TableName: tableName(),
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        FilterExpression: 'attribute_not_exists(deliveredAt)',
        ExpressionAttributeValues: { ':pk': keys.alertListing(community) },
        ProjectionExpression: 'pk, sk',
        ExclusiveStartKey: start,
      }));
      for (const item of page.Items ?? []) {
        records.push({
          eventID: `replay-${records.length + 1}`,
          eventName: 'INSERT',
          eventVersion: '1.1',
          eventSource: 'aws:dynamodb',
          awsRegion: region,
          dynamodb: { Keys: { pk: { S: String(item.pk) }, sk: { S: String(item.sk) } }, SequenceNumber: String(records.length + 1), StreamViewType: 'NEW_AND_OLD_IMAGES' },
        });
      }
      start = page.LastEvaluatedKey;
    } while (start);
  }
  const batchSize = streamConsumers.alertNotifier.batchSize;
  for (let i = 0; i < records.length; i += batchSize) {
    const result = await invoker.invoke('alertNotifier', { Records: records.slice(i, i + batchSize) });
    if (!result.ok) return { ok: false, detail: `delivering undelivered alerts: ${result.detail}` };
  }
  return { ok: true, detail: `${records.length} undelivered alert(s) delivered` };
}
