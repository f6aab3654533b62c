import { randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { createDocumentClient } from '#shared/data/client.ts';
import { keys } from '#shared/data/keys.ts';
import { recountPetitions } from '#shared/data/recount.ts';
import { StreamReader } from '#shared/data/stream-reader.ts';
import { ternopil, type CommunityConfig } from '#shared/domain/community.ts';
import { defaultConsumers } from '../../local/runtime.ts';
import { run as recount } from '../../scripts/ops/recount.ts';
import { openPetition, startTestSystem, type TestSystem } from '../support/system.ts';

const small: CommunityConfig = {
  ...ternopil,
  id: 'recount-small',
  petitions: { ...ternopil.petitions, thresholds: [{ signatures: 2, purpose: 'council-consideration' }, { signatures: 5, purpose: 'response' }] },
};

/** The counter can be held: its stream records then stay "in flight" until released. */
let hold: Promise<void> | undefined;
let release: () => void = () => undefined;
const holdCounter = () => {
  hold = new Promise((resolve) => { release = () => { hold = undefined; resolve(); }; });
};

let api: TestSystem;
let db: ReturnType<typeof createDocumentClient>;

beforeAll(async () => {
  db = createDocumentClient(inject('dynamoEndpoint'));
  const consumers = defaultConsumers().map((consumer) => consumer.name !== 'signatureCounter' ? consumer : {
    ...consumer,
    handler: async (event: DynamoDBStreamEvent) => {
      if (hold && event.Records.length > 0) await hold;
      return consumer.handler(event);
    },
  });
  api = await startTestSystem({ consumers, communities: [small] });
});
afterAll(async () => {
  release();
  await api?.stop();
  db?.destroy();
});

const target = () => ['--endpoint', api.dynamoEndpoint, '--table', api.tableName, '--settle-ms', '0'];
/** The petition's count item: its count and thresholds (the counter's and the recount's). */
const countItem = async (id: string) =>
  (await db.send(new GetCommand({ TableName: api.tableName, Key: keys.petitionCount(id), ConsistentRead: true }))).Item!;
const under = async (id: string, prefix: string) =>
  (await db.send(new QueryCommand({
    TableName: api.tableName,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
    ExpressionAttributeValues: { ':pk': keys.petition(id).pk, ':p': prefix },
    ConsistentRead: true,
  }))).Items ?? [];

async function sign(petitionId: string, n: number) {
  for (let i = 0; i < n; i++) {
    const token = await api.token({ sub: `signer-${randomUUID()}`, community: small.id });
    const res = await api.request('POST', `/v1/petitions/${petitionId}/signatures`, { token });
    expect(res.status).toBe(201);
  }
}

const deliveredFor = (id: string) => api.deliveries().filter((d) => d.petitionId === id).map((d) => d.threshold).sort((a, b) => a - b);

async function quietly<T>(fn: () => Promise<T>): Promise<{ value: T; out: string }> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => { lines.push(a.join(' ')); });
  try {
    return { value: await fn(), out: lines.join('\n') };
  } finally {
    log.mockRestore();
  }
}

describe('npm run ops -- recount', () => {
  it('restores a petition whose counter items were deleted: exact count, stamps from the alerts, no second alert', async () => {
    const petition = await openPetition(api, { community: small.id });
    await sign(petition.id, 6);
    await api.waitForStreams(20_000);
    const original = await countItem(petition.id);
    expect(original.signatureCount).toBe(6);
    expect(deliveredFor(petition.id)).toEqual([2, 5]);

    // Lose the counter's work: the count item (count, stamps, rank) and the checkpoints.
    await db.send(new DeleteCommand({ TableName: api.tableName, Key: keys.petitionCount(petition.id) }));
    for (const checkpoint of await under(petition.id, 'COUNTED#')) {
      await db.send(new DeleteCommand({ TableName: api.tableName, Key: { pk: checkpoint.pk, sk: checkpoint.sk } }));
    }

    const { value: code, out } = await quietly(() => recount(['--petition', petition.id, ...target()]));
    expect(code).toBe(0);
    expect(out).toContain(`${petition.id}: recounted; count null -> 6; thresholds reached [] -> [2, 5]`);
    expect(out).toContain('stamps restored from their alert items: 2, 5');

    const after = await countItem(petition.id);
    expect(after.signatureCount).toBe(6);
    // The stamps are the ones the counter recorded, not new ones.
    expect(after.thresholds.map((t: { reachedAt: string }) => t.reachedAt)).toEqual(original.thresholds.map((t: { reachedAt: string }) => t.reachedAt));
    expect((await under(petition.id, 'ALERT#')).map((a) => a.threshold)).toEqual([2, 5]);
    await api.waitForStreams(20_000);
    expect(deliveredFor(petition.id)).toEqual([2, 5]);

    // Idempotent: nothing left to do.
    const again = await quietly(() => recount(['--petition', petition.id, ...target()]));
    expect(again.value).toBe(0);
    expect(again.out).toContain(`${petition.id}: unchanged; count 6 -> 6`);

    // The counter carries on from there: one more signature counts once.
    await sign(petition.id, 1);
    await api.waitForStreams(20_000);
    expect((await countItem(petition.id)).signatureCount).toBe(7);
  });

  it('repairs a corrupted count and records (once) a threshold the corruption hid', async () => {
    const petition = await openPetition(api, { community: small.id });
    await sign(petition.id, 1);
    await api.waitForStreams(20_000);
    // Corrupt: a wrong count and a thresholds list that is not one. Then signatures the counter misses.
    await db.send(new UpdateCommand({
      TableName: api.tableName, Key: keys.petitionCount(petition.id),
      UpdateExpression: 'SET signatureCount = :bad, thresholds = :bad2',
      ExpressionAttributeValues: { ':bad': 40, ':bad2': 'garbage' },
    }));
    const { value: code, out } = await quietly(() => recount(['--all-open', '--community', small.id, ...target()]));
    expect(code).toBe(0);
    expect(out).toContain(`${petition.id}: recounted; count 40 -> 1; thresholds reached [] -> []`);
    const repaired = await countItem(petition.id);
    expect(repaired.signatureCount).toBe(1);
    expect(repaired.thresholds.map((t: { signatures: number; reachedAt: null }) => [t.signatures, t.reachedAt])).toEqual([[2, null], [5, null]]);

    await sign(petition.id, 1);
    await api.waitForStreams(20_000);
    expect((await countItem(petition.id)).signatureCount).toBe(2);
    expect(deliveredFor(petition.id)).toEqual([2]);
  });

  it('repairs a corrupted counter checkpoint that made the counter skip new signatures', async () => {
    const petition = await openPetition(api, { community: small.id });
    await sign(petition.id, 1);
    await api.waitForStreams(20_000);
    const [checkpoint] = await under(petition.id, 'COUNTED#');
    expect(checkpoint).toBeDefined();
    await db.send(new UpdateCommand({
      TableName: api.tableName, Key: { pk: checkpoint!.pk, sk: checkpoint!.sk },
      UpdateExpression: 'SET lastSequenceNumber = :far', ExpressionAttributeValues: { ':far': '999999999999999999999999' },
    }));
    await sign(petition.id, 1);
    await api.waitForStreams(20_000);
    expect((await countItem(petition.id)).signatureCount).toBe(1); // the counter skipped it

    const { value: code, out } = await quietly(() => recount(['--petition', petition.id, ...target()]));
    expect(code).toBe(0);
    expect(out).toContain(`${petition.id}: recounted; count 1 -> 2; thresholds reached [] -> [2]`);
    expect(out).toContain('corrupted (past the end of their shard) and repaired: 1');
    await sign(petition.id, 1);
    await api.waitForStreams(20_000);
    expect((await countItem(petition.id)).signatureCount).toBe(3);
    expect(deliveredFor(petition.id)).toEqual([2]);
  });

  it('counts exactly when signatures are still on their way to the counter (the watermark)', async () => {
    const petition = await openPetition(api, { community: small.id });
    await sign(petition.id, 1);
    await api.waitForStreams(20_000);

    holdCounter();
    await sign(petition.id, 4); // stored, their stream records held before the counter
    const { value: code, out } = await quietly(() => recount(['--petition', petition.id, ...target()]));
    expect(code).toBe(0);
    expect(out).toContain(`${petition.id}: recounted; count 1 -> 5; thresholds reached [] -> [2, 5]`);
    expect(out).toContain('new alerts (first time recorded): 2, 5');

    // The counter now receives the 4 records the recount already counted: it must not add them again.
    release();
    await api.waitForStreams(20_000);
    const item = await countItem(petition.id);
    expect(item.signatureCount).toBe(5);
    expect(out).toMatch(/checkpoints moved to the recount's watermark: [1-9]/);
    expect((await under(petition.id, 'ALERT#')).map((a) => a.threshold)).toEqual([2, 5]);
    expect(deliveredFor(petition.id)).toEqual([2, 5]);
    await sign(petition.id, 1);
    await api.waitForStreams(20_000);
    expect((await countItem(petition.id)).signatureCount).toBe(6);
  });

  it('writes nothing while signatures keep arriving during the count, and says so', async () => {
    const petition = await openPetition(api, { community: small.id });
    await sign(petition.id, 1);
    await api.waitForStreams(20_000);
    const before = await countItem(petition.id);
    await db.send(new UpdateCommand({
      TableName: api.tableName, Key: keys.petitionCount(petition.id), UpdateExpression: 'SET signatureCount = :bad', ExpressionAttributeValues: { ':bad': 7 },
    }));
    // A stream on which every pass shows one more signature record of the petition.
    let seq = 10n ** 20n;
    const busyStream = Object.assign(Object.create(StreamReader.prototype) as StreamReader, {
      shards: async () => [{ ShardId: 'shardId-busy' }],
      readToTip: async (_shard: string, _after: string | undefined, onRecord: (r: object) => void) => {
        seq += 1n;
        onRecord({ eventName: 'INSERT', dynamodb: { SequenceNumber: String(seq), Keys: { sk: { S: `SIG#${petition.id}` } } } });
        return String(seq);
      },
    });
    const [result] = await recountPetitions(db, busyStream, [petition.id], { settleMs: 0, maxRounds: 2, maxAttempts: 2 });
    expect(result!.outcome).toBe('busy');
    const after = await countItem(petition.id);
    expect(after.signatureCount).toBe(7);
    expect(after.thresholds).toEqual(before.thresholds);
    expect(await under(petition.id, 'COUNTED#')).toHaveLength(1);
  });

  it('refuses bad options with a usage message and exit code 2', async () => {
    const errors: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((m: unknown) => { errors.push(String(m)); });
    try {
      expect(await recount(['--petition', petition(), '--all-open', ...target()])).toBe(2);
      expect(await recount(['--petition', 'x y', ...target()])).toBe(2);
      expect(await recount(['--petition', 'abc'])).toBe(2);
      expect(await recount(['--all-open', '--stage', 'dev', '--endpoint', 'http://127.0.0.1:1', '--table', 'abc'])).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(errors.join('\n')).toContain('Give --petition ID (repeatable) or --all-open.');
    expect(errors.join('\n')).toContain('Give either --endpoint and --table (DynamoDB Local) or --stage (AWS).');
  });
});

const petition = () => randomUUID();
