import { DeleteTableCommand, DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../local/dynamodb-local.ts';
import {
  startStreamPoller,
  type DynamoDBStreamTumblingWindowEvent,
  type StreamPoller,
  type StreamPollerOptions,
} from '../../local/stream-poller.ts';
import { isRunning } from './process-helpers.ts';
import {
  createStreamTable,
  deleteItem,
  dynamoClient,
  gate,
  keys,
  pkOf,
  putItem,
  putItems,
  recordingConsumer,
  updateItem,
} from './stream-helpers.ts';

let dynamo: DynamoDbLocal;
let client: DynamoDBClient;
const pollers: StreamPoller[] = [];

function poll(options: Omit<StreamPollerOptions, 'endpoint'>): StreamPoller {
  const poller = startStreamPoller({ endpoint: dynamo.endpoint, pollIntervalMs: 20, retryBaseDelayMs: 10, ...options });
  pollers.push(poller);
  return poller;
}

beforeAll(async () => {
  dynamo = await startDynamoDbLocal({ inMemory: true });
  client = dynamoClient(dynamo.endpoint);
});

afterEach(async () => {
  await Promise.all(pollers.splice(0).map((poller) => poller.stop()));
});

afterAll(async () => {
  client.destroy();
  await dynamo.stop();
  expect(isRunning(dynamo.pid)).toBe(false);
});

describe('delivery', () => {
  it('delivers records in Lambda shape: INSERT, MODIFY and REMOVE with wire-form images', async () => {
    const tableName = await createStreamTable(client);
    const { consumer, invocations } = recordingConsumer('shape');
    const poller = poll({ tableName, consumers: [consumer], region: 'eu-central-1' });

    await putItem(client, tableName, 'p1', { status: { S: 'NEW' }, votes: { N: '3' }, photo: { B: Buffer.from('hi') } });
    await updateItem(client, tableName, 'p1', 'OPEN');
    await deleteItem(client, tableName, 'p1');
    await poller.waitForIdle();

    const records = invocations.flat();
    expect(records.map((record) => record.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    const streamArn = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table?.LatestStreamArn;
    const [insert, modify, remove] = records as [DynamoDBRecord, DynamoDBRecord, DynamoDBRecord];
    expect(insert).toMatchObject({
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'eu-central-1',
      eventSourceARN: streamArn,
      dynamodb: {
        Keys: { pk: { S: 'p1' } },
        NewImage: { pk: { S: 'p1' }, status: { S: 'NEW' }, votes: { N: '3' }, photo: { B: Buffer.from('hi').toString('base64') } },
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
    expect(typeof insert.eventID).toBe('string');
    expect(insert.dynamodb).not.toHaveProperty('OldImage');
    expect(typeof insert.dynamodb?.ApproximateCreationDateTime).toBe('number');
    expect(Math.abs((insert.dynamodb?.ApproximateCreationDateTime ?? 0) - Date.now() / 1000)).toBeLessThan(120);
    expect(insert.dynamodb?.SizeBytes).toBeGreaterThan(0);
    expect(modify.dynamodb?.OldImage?.['status']).toEqual({ S: 'NEW' });
    expect(modify.dynamodb?.NewImage?.['status']).toEqual({ S: 'OPEN' });
    expect(remove.dynamodb).not.toHaveProperty('NewImage');
    expect(remove.dynamodb?.OldImage?.['status']).toEqual({ S: 'OPEN' });
    // Sequence numbers increase through the shard.
    const sequence = records.map((record) => BigInt(record.dynamodb?.SequenceNumber ?? '0'));
    expect([...sequence].sort((a, b) => (a < b ? -1 : 1))).toEqual(sequence);
  });

  it('delivers in order in batches of at most batchSize', async () => {
    const tableName = await createStreamTable(client);
    const written = keys('k', 23);
    await putItems(client, tableName, written);
    const { consumer, batchKeys, deliveredKeys } = recordingConsumer('batches', { batchSize: 5 });
    const poller = poll({ tableName, consumers: [consumer] });
    await poller.waitForIdle();

    expect(deliveredKeys()).toEqual(written);
    expect(batchKeys().map((batch) => batch.length)).toEqual([5, 5, 5, 5, 3]);
  });

  it('starts at LATEST when asked, skipping what was written before', async () => {
    const tableName = await createStreamTable(client);
    await putItems(client, tableName, ['old1', 'old2']);
    const { consumer, deliveredKeys } = recordingConsumer('latest');
    const poller = poll({ tableName, consumers: [consumer], startingPosition: 'LATEST' });
    await poller.waitForIdle();
    await putItems(client, tableName, ['new1', 'new2']);
    await poller.waitForIdle();
    expect(deliveredKeys()).toEqual(['new1', 'new2']);
  });

  it('waits for a table created after the poller started', async () => {
    const tableName = `late-${Date.now()}`;
    const { consumer, deliveredKeys } = recordingConsumer('late');
    const poller = poll({ tableName, consumers: [consumer] });
    await poller.waitForIdle(); // no table yet: nothing to do
    await createStreamTable(client, tableName);
    await putItem(client, tableName, 'first');
    await poller.waitForIdle();
    expect(deliveredKeys()).toEqual(['first']);
  });
});

describe('filter patterns', () => {
  it('deliver only matching records and checkpoint past the others', async () => {
    const tableName = await createStreamTable(client);
    const { consumer, deliveredKeys } = recordingConsumer('votes-only', {
      filterPatterns: [{ eventName: ['INSERT'], dynamodb: { NewImage: { kind: { S: ['vote'] } } } }],
    });
    const everything = recordingConsumer('everything');
    const poller = poll({ tableName, consumers: [consumer, everything.consumer] });

    await putItem(client, tableName, 'v1', { kind: { S: 'vote' } });
    await putItem(client, tableName, 's1', { kind: { S: 'signature' } });
    await putItem(client, tableName, 'v2', { kind: { S: 'vote' } });
    await updateItem(client, tableName, 'v1', 'counted'); // MODIFY: filtered out
    await putItem(client, tableName, 's2', { kind: { S: 'signature' } });
    await poller.waitForIdle();

    expect(deliveredKeys()).toEqual(['v1', 'v2']);
    expect(everything.deliveredKeys()).toEqual(['v1', 's1', 'v2', 'v1', 's2']);
  });

  it('are validated when the poller starts', () => {
    const { consumer } = recordingConsumer('bad', { filterPatterns: [{ eventName: 'INSERT' }] });
    expect(() => startStreamPoller({ endpoint: dynamo.endpoint, tableName: 'x', consumers: [consumer] })).toThrow(/eventName/);
  });
});

describe('failures', () => {
  it('retries from the first reported batch item failure only, checkpointing the records before it', async () => {
    const tableName = await createStreamTable(client);
    await putItems(client, tableName, ['a', 'b', 'c', 'd', 'e']);
    const { consumer, batchKeys } = recordingConsumer('partial', {
      batchSize: 5,
      decide: (records, invocation) =>
        invocation === 1
          ? // report c and e: Lambda retries from the lowest failed sequence number, c
            { batchItemFailures: [records[4], records[2]].map((record) => ({ itemIdentifier: record?.dynamodb?.SequenceNumber ?? '' })) }
          : undefined,
    });
    const poller = poll({ tableName, consumers: [consumer] });
    await poller.waitForIdle();
    expect(batchKeys()).toEqual([
      ['a', 'b', 'c', 'd', 'e'],
      ['c', 'd', 'e'],
    ]);
  });

  it('retries the whole batch when the handler throws, and treats an unknown itemIdentifier the same way', async () => {
    const tableName = await createStreamTable(client);
    await putItems(client, tableName, ['a', 'b']);
    const { consumer, batchKeys } = recordingConsumer('throws', {
      decide: (_records, invocation) => {
        if (invocation === 1) throw new Error('database busy');
        if (invocation === 2) return { batchItemFailures: [{ itemIdentifier: '' }] };
        return undefined;
      },
    });
    const poller = poll({ tableName, consumers: [consumer] });
    await poller.waitForIdle();
    expect(batchKeys()).toEqual([
      ['a', 'b'],
      ['a', 'b'],
      ['a', 'b'],
    ]);
  });

  it('ignores batchItemFailures when the mapping does not report them (reportBatchItemFailures: false)', async () => {
    const tableName = await createStreamTable(client);
    await putItems(client, tableName, ['a', 'b']);
    const { consumer, batchKeys } = recordingConsumer('no-report', {
      reportBatchItemFailures: false,
      decide: (records) => ({ batchItemFailures: [{ itemIdentifier: records[0]?.dynamodb?.SequenceNumber ?? '' }] }),
    });
    const poller = poll({ tableName, consumers: [consumer] });
    await poller.waitForIdle();
    expect(batchKeys()).toEqual([['a', 'b']]);
  });

  it('sends a record that always fails to the dead letter after maximumRetryAttempts, and later records flow', async () => {
    const tableName = await createStreamTable(client);
    const deadLetters: { consumer: string; keys: (string | undefined)[]; reason: string }[] = [];
    const { consumer, batchKeys } = recordingConsumer('poisoned', {
      batchSize: 1,
      maximumRetryAttempts: 2,
      decide: (records) => {
        if (pkOf(records[0] as DynamoDBRecord) === 'poison') throw new Error('cannot parse');
      },
    });
    const poller = poll({
      tableName,
      consumers: [consumer],
      onDeadLetter: (name, records, reason) => {
        deadLetters.push({ consumer: name, keys: records.map(pkOf), reason });
      },
    });
    await putItems(client, tableName, ['a', 'poison', 'b', 'c']);
    await poller.waitForIdle();

    expect(batchKeys()).toEqual([['a'], ['poison'], ['poison'], ['poison'], ['b'], ['c']]);
    expect(deadLetters).toEqual([
      { consumer: 'poisoned', keys: ['poison'], reason: expect.stringContaining('RetryAttemptsExhausted after 3 attempt(s)') },
    ]);
    expect(deadLetters[0]?.reason).toContain('cannot parse');
  });

  it('dead-letters the failed remainder of a batch, as Lambda discards the rest of the batch', async () => {
    const tableName = await createStreamTable(client);
    await putItems(client, tableName, ['a', 'poison', 'b']);
    const deadLetters: (string | undefined)[][] = [];
    const { consumer, batchKeys } = recordingConsumer('remainder', {
      maximumRetryAttempts: 1,
      decide: (records) => {
        const poison = records.find((record) => pkOf(record) === 'poison');
        return poison ? { batchItemFailures: [{ itemIdentifier: poison.dynamodb?.SequenceNumber ?? '' }] } : undefined;
      },
    });
    const poller = poll({ tableName, consumers: [consumer], onDeadLetter: (_name, records) => void deadLetters.push(records.map(pkOf)) });
    await poller.waitForIdle();
    await putItem(client, tableName, 'after');
    await poller.waitForIdle();

    expect(batchKeys()).toEqual([['a', 'poison', 'b'], ['poison', 'b'], ['after']]);
    expect(deadLetters).toEqual([['poison', 'b']]);
  });

  it('makes waitForIdle() fail with the backlog when a consumer cannot make progress', async () => {
    const tableName = await createStreamTable(client);
    await putItem(client, tableName, 'stuck');
    const { consumer } = recordingConsumer('forever', {
      maximumRetryAttempts: -1,
      decide: () => {
        throw new Error('always');
      },
    });
    const poller = poll({ tableName, consumers: [consumer] });
    await expect(poller.waitForIdle(1_000)).rejects.toThrow(/not idle after 1000 ms: forever in shardId-.*retrying a batch/);
  });
});

describe('consumers and lifecycle', () => {
  it('gives each consumer its own position: a blocked consumer does not hold up another', async () => {
    const tableName = await createStreamTable(client);
    const held = gate();
    const slow = recordingConsumer('slow', { batchSize: 2, decide: () => held.promise });
    const fast = recordingConsumer('fast', { batchSize: 2 });
    const poller = poll({ tableName, consumers: [slow.consumer, fast.consumer] });
    const written = keys('x', 6);
    await putItems(client, tableName, written);

    await expect.poll(() => fast.deliveredKeys(), { timeout: 10_000 }).toEqual(written);
    expect(slow.invocations).toHaveLength(1); // still in its first invocation
    held.open();
    await poller.waitForIdle();
    expect(slow.deliveredKeys()).toEqual(written);
  });

  it('stop() waits for the invocation in flight', async () => {
    const tableName = await createStreamTable(client);
    const held = gate();
    const { consumer, invocations } = recordingConsumer('in-flight', { decide: () => held.promise });
    const poller = poll({ tableName, consumers: [consumer] });
    await putItem(client, tableName, 'a');
    await expect.poll(() => invocations.length, { timeout: 10_000 }).toBe(1);

    let stopped = false;
    const stopping = poller.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(stopped).toBe(false);
    held.open();
    await stopping;
    expect(stopped).toBe(true);
  });

  it('resumes from the checkpoint file after stop and start, without redelivering acknowledged records', async () => {
    const tableName = await createStreamTable(client);
    const checkpointFile = join(await mkdtemp(join(tmpdir(), 'checkpoints-')), 'stream-checkpoints.json');
    const first = recordingConsumer('resumable', { batchSize: 3 });
    const poller = poll({ tableName, consumers: [first.consumer], checkpointFile });
    await putItems(client, tableName, keys('a', 5));
    await poller.waitForIdle();
    await poller.stop();
    expect(first.deliveredKeys()).toEqual(keys('a', 5));
    const saved = JSON.parse(await readFile(checkpointFile, 'utf8')) as { consumers: Record<string, object> };
    expect(Object.keys(saved.consumers)).toEqual(['resumable']);

    await putItems(client, tableName, keys('b', 4)); // written while nobody polls
    const second = recordingConsumer('resumable', { batchSize: 3 });
    const resumed = poll({ tableName, consumers: [second.consumer], checkpointFile });
    await resumed.waitForIdle();
    expect(second.deliveredKeys()).toEqual(keys('b', 4));
  });

  it('follows the new stream when the table is deleted and created again', async () => {
    const tableName = await createStreamTable(client);
    const { consumer, invocations, deliveredKeys } = recordingConsumer('recreated');
    const poller = poll({ tableName, consumers: [consumer] });
    await putItems(client, tableName, ['before1', 'before2']);
    await poller.waitForIdle();

    await client.send(new DeleteTableCommand({ TableName: tableName }));
    await createStreamTable(client, tableName);
    await putItems(client, tableName, ['after1']);
    await poller.waitForIdle();

    expect(deliveredKeys()).toEqual(['before1', 'before2', 'after1']);
    const arns = new Set(invocations.flat().map((record) => record.eventSourceARN));
    expect(arns.size).toBe(2);
  });
});

describe('tumbling windows', () => {
  it('add window, shardId and the previous state to each event, and end the window with a final invocation', async () => {
    const tableName = await createStreamTable(client);
    const events: DynamoDBStreamTumblingWindowEvent[] = [];
    const poller = poll({
      tableName,
      consumers: [
        {
          name: 'windowed',
          filterPatterns: [],
          batchSize: 2,
          maximumRetryAttempts: 1,
          // DynamoDB Local stamps records to the minute, so a 1 s window is over as soon as it is read.
          tumblingWindowSeconds: 1,
          handler: async (event) => {
            const windowed = event as DynamoDBStreamTumblingWindowEvent;
            events.push(windowed);
            return { state: { seen: Number(windowed.state['seen'] ?? 0) + windowed.Records.length }, batchItemFailures: [] };
          },
        },
      ],
    });
    await putItems(client, tableName, keys('w', 5));
    await poller.waitForIdle();
    await expect.poll(() => events.at(-1)?.isFinalInvokeForWindow, { timeout: 5_000 }).toBe(true);

    const streamArn = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table?.LatestStreamArn;
    const withRecords = events.filter((event) => !event.isFinalInvokeForWindow);
    expect(withRecords.flatMap((event) => event.Records.map(pkOf))).toEqual(keys('w', 5));
    // Batches depend on how the writes and the polls interleave; each event carries the state the
    // previous one of its window returned: the number of records of that window seen before it.
    // A window ends with its final invocation. DynamoDB Local stamps records to the minute, so a
    // 1 s window is over as soon as it is read: a poll that finds nothing between two writes ends it,
    // and the next record starts a new window (fresh state) even with the same stamp.
    let seenBefore = 0;
    let windowStart: string | undefined;
    const expectedStates = events.map((event) => {
      if (event.window.start !== windowStart) [windowStart, seenBefore] = [event.window.start, 0];
      const state = seenBefore === 0 ? {} : { seen: seenBefore };
      seenBefore += event.Records.length;
      if (event.isFinalInvokeForWindow) windowStart = undefined;
      return state;
    });
    expect(withRecords.every((event) => event.Records.length <= 2)).toBe(true);
    expect(events.map((event) => event.state)).toEqual(expectedStates);
    expect(events.at(-1)).toMatchObject({ Records: [], isFinalInvokeForWindow: true, isWindowTerminatedEarly: false, eventSourceARN: streamArn });
    // Every window ended with a final invocation carrying what the window saw.
    const finals = events.filter((event) => event.isFinalInvokeForWindow);
    expect(finals.every((event) => Number((event.state as { seen?: number }).seen) > 0)).toBe(true);
    for (const event of events) {
      expect(event.shardId).toMatch(/^shardId-/);
      expect(Date.parse(event.window.end) - Date.parse(event.window.start)).toBe(1_000);
    }
  });

  it('count an answer without state as a failed invocation, as Lambda does', async () => {
    const tableName = await createStreamTable(client);
    await putItem(client, tableName, 'stateless');
    const deadLetters: string[] = [];
    const { consumer, invocations } = recordingConsumer('stateless', { tumblingWindowSeconds: 60, maximumRetryAttempts: 1 });
    const poller = poll({ tableName, consumers: [consumer], onDeadLetter: (_name, _records, reason) => void deadLetters.push(reason) });
    await poller.waitForIdle();
    expect(invocations).toHaveLength(2);
    expect(deadLetters).toEqual([expect.stringContaining('no state')]);
  });
});

describe('settings of the event source mapping honoured locally', () => {
  it('bisects a batch whose handler throws (bisectBatchOnError), isolating the poisoned record', async () => {
    const tableName = await createStreamTable(client);
    await putItems(client, tableName, ['a', 'b', 'poison', 'c']);
    const deadLetters: (string | undefined)[][] = [];
    const { consumer, batchKeys } = recordingConsumer('bisected', {
      batchSize: 4,
      maximumRetryAttempts: 3,
      bisectBatchOnError: true,
      decide: (records) => {
        if (records.some((record) => pkOf(record) === 'poison')) throw new Error('cannot parse');
      },
    });
    const poller = poll({ tableName, consumers: [consumer], onDeadLetter: (_name, records) => void deadLetters.push(records.map(pkOf)) });
    await poller.waitForIdle();
    // [a b poison c] fails -> [a b] succeeds, [poison c] fails -> [poison] ... -> dead letter, then [c].
    expect(batchKeys()[0]).toEqual(['a', 'b', 'poison', 'c']);
    expect(batchKeys()[1]).toEqual(['a', 'b']);
    expect(deadLetters).toEqual([['poison']]);
    expect(batchKeys().flat().filter((key) => key === 'c').length).toBeGreaterThanOrEqual(1);
    expect(batchKeys().at(-1)).toEqual(['c']);
  });

  it('dead-letters records older than maximumRecordAgeSeconds instead of delivering them', async () => {
    const tableName = await createStreamTable(client);
    await putItems(client, tableName, ['old1', 'old2']);
    const deadLetters: { keys: (string | undefined)[]; reason: string }[] = [];
    const { consumer, invocations } = recordingConsumer('aged', { maximumRecordAgeSeconds: 3600 });
    // Two hours later, by the poller's clock: both records are past the maximum age.
    const poller = poll({
      tableName,
      consumers: [consumer],
      now: () => Date.now() + 2 * 3600 * 1000,
      onDeadLetter: (_name, records, reason) => void deadLetters.push({ keys: records.map(pkOf), reason }),
    });
    await poller.waitForIdle();
    expect(invocations).toEqual([]);
    expect(deadLetters).toEqual([{ keys: ['old1', 'old2'], reason: expect.stringContaining('RecordAgeExceeded') }]);
  });

  it('delivers records younger than maximumRecordAgeSeconds', async () => {
    const tableName = await createStreamTable(client);
    await putItems(client, tableName, ['fresh']);
    const { consumer, deliveredKeys } = recordingConsumer('young', { maximumRecordAgeSeconds: 3600 });
    const poller = poll({ tableName, consumers: [consumer] });
    await poller.waitForIdle();
    expect(deliveredKeys()).toEqual(['fresh']);
  });

  it('rejects settings Lambda would reject', () => {
    const { consumer } = recordingConsumer('bad', { maximumRecordAgeSeconds: 10 });
    expect(() => poll({ tableName: 'any', consumers: [consumer] })).toThrow(/maximumRecordAgeSeconds/);
    const { consumer: zero } = recordingConsumer('zero', { reservedConcurrency: 0 });
    expect(() => poll({ tableName: 'any', consumers: [zero] })).toThrow(/reservedConcurrency/);
  });
});
