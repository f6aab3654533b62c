/**
 * The stream poller against a DynamoDB Local that crashes, restarts and rolls its shards over.
 * Each test runs its own DynamoDB Local with a data folder, so it can be killed and started again.
 */
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { mkdtemp, readFile } from 'node:fs/promises';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../local/dynamodb-local.ts';
import { startStreamPoller, type StreamPoller } from '../../local/stream-poller.ts';
import { isRunning } from './process-helpers.ts';
import { createStreamTable, dynamoClient, gate, keys, putItems, recordingConsumer } from './stream-helpers.ts';

const cleanups: (() => Promise<void> | void)[] = [];
const javaPids: number[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  for (const pid of javaPids.splice(0)) expect(isRunning(pid)).toBe(false);
});

async function startDynamo(dataDir: string, port?: number): Promise<DynamoDbLocal> {
  const dynamo = await startDynamoDbLocal({ dataDir, ...(port ? { port } : {}) });
  javaPids.push(dynamo.pid);
  cleanups.push(() => dynamo.stop());
  return dynamo;
}

function track<T extends { stop(): Promise<void> } | { destroy(): void }>(resource: T): T {
  cleanups.push(() => ('stop' in resource ? resource.stop() : resource.destroy()));
  return resource;
}

/**
 * DynamoDB Local closes a shard and opens a child once the shard is 4 hours old (checked at start-up
 * and every 7.5 minutes). Back-dating the open shard in the stopped instance's SQLite file makes the
 * next start roll it over, so the test sees a real parent/child pair.
 */
function ageOpenShards(dataDir: string): void {
  const db = new DatabaseSync(join(dataDir, 'shared-local-instance.db'));
  try {
    db.exec('UPDATE ss SET CreationDateTime = CreationDateTime - 5 * 3600 * 1000 WHERE SequenceNumberEnd IS NULL');
  } finally {
    db.close();
  }
}

async function shardsOf(endpoint: string, client: DynamoDBClient, tableName: string) {
  const streamArn = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table?.LatestStreamArn;
  const streams = new DynamoDBStreamsClient({ endpoint, region: 'eu-central-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  try {
    return (await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription?.Shards ?? [];
  } finally {
    streams.destroy();
  }
}

describe('stream poller faults', () => {
  it('survives a crash of DynamoDB Local mid-load: every record once, in order, after the restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ddb-crash-'));
    const dynamo = await startDynamo(dataDir);
    const client = track(dynamoClient(dynamo.endpoint));
    const tableName = await createStreamTable(client);

    const held = gate();
    const logs: string[] = [];
    const { consumer, deliveredKeys, invocations } = recordingConsumer('survivor', {
      batchSize: 5,
      // The second invocation is still running when DynamoDB Local dies.
      decide: (_records, invocation) => (invocation === 2 ? held.promise : undefined),
    });
    const poller: StreamPoller = track(
      startStreamPoller({ endpoint: dynamo.endpoint, tableName, consumers: [consumer], pollIntervalMs: 20, log: (message) => logs.push(message) }),
    );
    await putItems(client, tableName, keys('a', 30));
    await expect.poll(() => invocations.length, { timeout: 10_000 }).toBe(2);

    const port = dynamo.port;
    await dynamo.crash();
    held.open();
    await expect.poll(() => logs.some((line) => line.includes('DynamoDB Local unreachable')), { timeout: 10_000 }).toBe(true);

    await startDynamo(dataDir, port);
    await putItems(client, tableName, keys('b', 10));
    await poller.waitForIdle(30_000);

    expect(deliveredKeys()).toEqual([...keys('a', 30), ...keys('b', 10)]);
    expect(logs.some((line) => line.includes('reachable again'))).toBe(true);
  });

  it('follows a shard rollover parent first, and records the closed parent as finished', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ddb-rollover-'));
    let dynamo = await startDynamo(dataDir);
    const client = track(dynamoClient(dynamo.endpoint));
    const tableName = await createStreamTable(client);
    const checkpointFile = join(dataDir, 'checkpoints.json');

    const early = recordingConsumer('early');
    const poller = track(startStreamPoller({ endpoint: dynamo.endpoint, tableName, consumers: [early.consumer], pollIntervalMs: 20, checkpointFile }));
    await putItems(client, tableName, keys('parent', 4));
    await poller.waitForIdle();

    const port = dynamo.port;
    await dynamo.stop();
    ageOpenShards(dataDir);
    dynamo = await startDynamo(dataDir, port);
    await putItems(client, tableName, keys('child', 4));
    await poller.waitForIdle(30_000);

    const shards = await shardsOf(dynamo.endpoint, client, tableName);
    expect(shards).toHaveLength(2);
    const [parent, child] = shards;
    expect(child?.ParentShardId).toBe(parent?.ShardId);
    expect(parent?.SequenceNumberRange?.EndingSequenceNumber).toBeDefined();
    expect(early.deliveredKeys()).toEqual([...keys('parent', 4), ...keys('child', 4)]);

    const saved = JSON.parse(await readFile(checkpointFile, 'utf8')) as {
      consumers: Record<string, Record<string, { finished?: boolean; sequenceNumber?: string }>>;
    };
    expect(saved.consumers['early']?.[parent?.ShardId ?? '']?.finished).toBe(true);
    expect(saved.consumers['early']?.[child?.ShardId ?? '']?.finished).toBeUndefined();

    // A consumer that starts now reads the closed parent completely before the child,
    // even when its handler is slow.
    const late = recordingConsumer('late', { batchSize: 1, decide: () => new Promise((resolve) => setTimeout(resolve, 30)) });
    const second = track(startStreamPoller({ endpoint: dynamo.endpoint, tableName, consumers: [late.consumer], pollIntervalMs: 20 }));
    await second.waitForIdle(30_000);
    expect(late.deliveredKeys()).toEqual([...keys('parent', 4), ...keys('child', 4)]);
  });
});
