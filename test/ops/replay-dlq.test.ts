import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { createDocumentClient } from '#shared/data/client.ts';
import { putCommunity } from '#shared/data/communities.ts';
import { keys } from '#shared/data/keys.ts';
import { ternopil, type CommunityConfig } from '#shared/domain/community.ts';
import type { CouncilAlert } from '#shared/notify/alert.ts';
import { LocalDeadLetterQueues, streamFailureMessageSchema } from '../../local/dead-letters.ts';
import { defaultConsumers, startLocalSystem } from '../../local/runtime.ts';
import { run as replayDlq } from '../../scripts/ops/replay-dlq.ts';
import { openPetition, type TestSystem } from '../support/system.ts';

const small: CommunityConfig = {
  ...ternopil,
  id: 'replay-small',
  petitions: { ...ternopil.petitions, thresholds: [{ signatures: 2, purpose: 'council-consideration' }, { signatures: 5, purpose: 'response' }] },
};

/** Consumers made to fail on demand; one retry, then the dead-letter queue. */
const failing = { signatureCounter: false, alertNotifier: false };

let api: TestSystem;
let db: ReturnType<typeof createDocumentClient>;
let dataDir: string;
let queues: LocalDeadLetterQueues;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'hromada-replay-'));
  const alertSinkFile = join(dataDir, 'council-alerts.jsonl');
  queues = new LocalDeadLetterQueues(join(dataDir, 'dead-letters'));
  const consumers = defaultConsumers().map((consumer) => ({
    ...consumer,
    maximumRetryAttempts: 1,
    handler: async (event: DynamoDBStreamEvent) => {
      if (failing[consumer.name as keyof typeof failing] && event.Records.length > 0) throw new Error(`${consumer.name} is down (test)`);
      return consumer.handler(event);
    },
  }));
  const system = await startLocalSystem({
    port: 0, inMemory: true, dataDir: '', alertSinkFile,
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `test-${randomUUID().slice(0, 8)}`,
    deadLetterDir: join(dataDir, 'dead-letters'),
    consumers,
  });
  db = createDocumentClient();
  await putCommunity(db, small);
  const token = (claims: { sub?: string; roles?: string[]; community?: string }) => system.auth.mint({
    sub: claims.sub ?? `citizen-${randomUUID()}`, roles: (claims.roles ?? ['citizen']) as never, community: claims.community ?? small.id, birthdate: '1990-01-01',
  });
  const request = async (method: string, path: string, opts: { token?: string; body?: unknown } = {}) => {
    const res = await fetch(system.url + path, {
      method,
      headers: { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, body: text && (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text };
  };
  const deliveries = (): CouncilAlert[] =>
    existsSync(alertSinkFile) ? readFileSync(alertSinkFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
  api = Object.assign(system, { token, request, deliveries }) as unknown as TestSystem;
});
afterAll(async () => {
  await api?.stop();
  db?.destroy();
});

const target = () => ['--endpoint', api.dynamoEndpoint, '--table', api.tableName, '--data-dir', dataDir, '--settle-ms', '0'];

async function sign(petitionId: string, n: number) {
  for (let i = 0; i < n; i++) {
    const res = await api.request('POST', `/v1/petitions/${petitionId}/signatures`, { token: await api.token({ sub: `signer-${randomUUID()}`, community: small.id }) });
    expect(res.status).toBe(201);
  }
  await api.waitForStreams(20_000);
}
const countOf = async (id: string) =>
  (await db.send(new GetCommand({ TableName: api.tableName, Key: keys.petitionCount(id), ConsistentRead: true }))).Item!.signatureCount;
const alertItems = async (id: string) => ((await db.send(new QueryCommand({
  TableName: api.tableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :a)',
  ExpressionAttributeValues: { ':pk': keys.petition(id).pk, ':a': 'ALERT#' }, ConsistentRead: true,
}))).Items ?? []);
const deliveredFor = (id: string) => api.deliveries().filter((d) => d.petitionId === id).map((d) => d.threshold).sort((a, b) => a - b);

async function replay(): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => { lines.push(a.join(' ')); });
  try {
    return { code: await replayDlq(target()), out: lines.join('\n') };
  } finally {
    log.mockRestore();
  }
}

/** A shard that has left the stream (after 24 h, shards are trimmed away with their records). */
function expireStreamRecords(consumer: string) {
  for (const message of queues.receive(consumer)) {
    const file = join(dataDir, 'dead-letters', consumer, message.id);
    const body = JSON.parse(readFileSync(file, 'utf8'));
    body.DDBStreamBatchInfo.shardId = 'shardId-00000001700000000000-0000dead';
    writeFileSync(file, JSON.stringify(body));
  }
}

describe('npm run ops -- replay-dlq', () => {
  it('after the counter failed: the dead letters have Lambda\'s shape, and the replay ends with an exact count and each alert sent once', async () => {
    const petition = await openPetition(api, { community: small.id });
    failing.signatureCounter = true;
    await sign(petition.id, 3);
    failing.signatureCounter = false;

    const messages = queues.receive('signatureCounter');
    expect(messages.length).toBeGreaterThan(0);
    for (const m of messages) {
      const body = streamFailureMessageSchema.parse(m.body);
      expect(body.requestContext.condition).toBe('RetryAttemptsExhausted');
      expect(body.requestContext.approximateInvokeCount).toBeGreaterThanOrEqual(2); // the first try and the retry (more with bisection)
      expect(BigInt(body.DDBStreamBatchInfo.endSequenceNumber) >= BigInt(body.DDBStreamBatchInfo.startSequenceNumber)).toBe(true);
      expect(body.DDBStreamBatchInfo.streamArn).toContain(api.tableName);
    }
    expect(messages.reduce((n, m) => n + streamFailureMessageSchema.parse(m.body).DDBStreamBatchInfo.batchSize, 0)).toBe(3);

    // The counter carries on after the lost batch: later signatures move its checkpoint past it.
    await sign(petition.id, 1);
    expect(await countOf(petition.id)).toBe(1);

    const { code, out } = await replay();
    expect(code).toBe(0);
    expect(out).toContain(`${petition.id}: recounted; count 1 -> 4; thresholds reached [] -> [2]`);
    expect(out).toMatch(/message\(s\): \d+ handled and deleted, 0 kept/);
    expect(queues.receive('signatureCounter')).toEqual([]);
    expect(await countOf(petition.id)).toBe(4);
    await api.waitForStreams(20_000);
    expect(deliveredFor(petition.id)).toEqual([2]);

    await sign(petition.id, 1);
    expect(await countOf(petition.id)).toBe(5);
    expect(deliveredFor(petition.id)).toEqual([2, 5]);
    expect((await alertItems(petition.id)).map((a) => a.threshold)).toEqual([2, 5]);

    // Nothing left: a second run does nothing.
    const again = await replay();
    expect(again.code).toBe(0);
    expect(again.out).toContain('0 message(s)');
  });

  it('after the notifier failed: the replay delivers the alert once', async () => {
    const petition = await openPetition(api, { community: small.id });
    failing.alertNotifier = true;
    await sign(petition.id, 2);
    failing.alertNotifier = false;
    expect(queues.receive('alertNotifier').length).toBe(1);
    expect(deliveredFor(petition.id)).toEqual([]);

    const { code, out } = await replay();
    expect(code).toBe(0);
    expect(out).toMatch(/alertNotifier .*: replayed \(handled\)/);
    expect(queues.receive('alertNotifier')).toEqual([]);
    expect(deliveredFor(petition.id)).toEqual([2]);
    expect((await alertItems(petition.id))[0]!.deliveredAt).toBeTypeOf('string');
    expect((await replay()).out).toContain('0 message(s)');
    expect(deliveredFor(petition.id)).toEqual([2]);
  });

  it('when the stream records are gone: recounts every open petition and delivers every undelivered alert', async () => {
    const counted = await openPetition(api, { community: small.id });
    failing.signatureCounter = true;
    await sign(counted.id, 2);
    failing.signatureCounter = false;
    expireStreamRecords('signatureCounter');

    const alerted = await openPetition(api, { community: small.id });
    failing.alertNotifier = true;
    await sign(alerted.id, 2);
    failing.alertNotifier = false;
    expireStreamRecords('alertNotifier');
    expect(await countOf(counted.id)).toBe(0);
    expect(deliveredFor(alerted.id)).toEqual([]);

    const { code, out } = await replay();
    expect(code).toBe(0);
    expect(out).toMatch(/signatureCounter .*: recovered \(.*no longer in the stream.*every open petition is recounted\)/);
    expect(out).toMatch(/alertNotifier .*: recovered \(.*1 undelivered alert\(s\) delivered\)/);
    expect(queues.receive('signatureCounter')).toEqual([]);
    expect(queues.receive('alertNotifier')).toEqual([]);
    expect(await countOf(counted.id)).toBe(2);
    await api.waitForStreams(20_000);
    expect(deliveredFor(counted.id)).toEqual([2]);
    expect(deliveredFor(alerted.id)).toEqual([2]);
  });

  it('keeps a message it cannot handle', async () => {
    const folder = join(dataDir, 'dead-letters', 'alertNotifier');
    writeFileSync(join(folder, '0000-not-a-message.json'), JSON.stringify({ hello: 'world' }));
    const { code, out } = await replay();
    expect(code).toBe(1);
    expect(out).toContain('not a stream failure message');
    expect(queues.receive('alertNotifier')).toHaveLength(1);
    queues.delete('alertNotifier', '0000-not-a-message.json');
  });
});
