/**
 * Faults: what a crash costs.
 *
 * (a) DynamoDB Local is SIGKILLed in the middle of a signing load, and started again a few seconds
 *     later on the same port and data folder. While it is down every request fails fast with 503
 *     problem+json (no hang, no 500); citizens retry until they get 201/200. Afterwards every
 *     signature acknowledged is stored (the same one that was acknowledged), no citizen has two,
 *     the count equals the stored signatures, and the threshold is alerted once.
 * (b) The stream consumers die in the middle of a batch:
 *     1. the signature counter and the alert notifier throw after doing part of their work, for
 *        their first invocations (Lambda retries the batch);
 *     2. the stream poller is stopped while both are stuck mid-batch (the counter having counted
 *        half its batch, the notifier having published an alert but not marked it delivered), and
 *        a new poller starts from the same checkpoint file.
 *     Either way the count ends exact and every alert reaches the council once by idempotency key.
 *
 * This file runs its own DynamoDB Local (with a data folder, so it can be killed and restarted),
 * shared by its three tests, and checks in afterAll that none of its java processes is left.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { QueryCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '#shared/data/client.ts';
import { putCommunity } from '#shared/data/communities.ts';
import { ternopil, type CommunityConfig } from '#shared/domain/community.ts';
import { LocalAlertSink } from '#shared/notify/local-sink.ts';
import type { AlertPublisher, CouncilAlert } from '#shared/notify/alert.ts';
import { createAlertNotifier } from '#shared/streams/alert-notifier.ts';
import { recountPetitions } from '#shared/data/recount.ts';
import { StreamReader } from '#shared/data/stream-reader.ts';
import { mailerFromEnvironment } from '#shared/mail/from-environment.ts';
import type { DevTokenRequest } from '../../local/dev-auth.ts';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../local/dynamodb-local.ts';
import { defaultConsumers, startLocalSystem, type LocalSystem } from '../../local/runtime.ts';
import { startStreamPoller, type StreamConsumer, type StreamPoller } from '../../local/stream-poller.ts';
import { contractViolation, inPool, percentile, rawClient, type RawClient } from '../support/fuzz-http.ts';
import { openPetition, type TestSystem } from '../support/system.ts';

const work = mkdtempSync(join(tmpdir(), 'hromada-faults-'));
const dataDir = join(work, 'dynamodb');
/** One sink file for every system of this file: the notifier module keeps the sink it was loaded with. */
const alertSinkFile = join(work, 'council-alerts.jsonl');

let dynamo: DynamoDbLocal;
const javaPids: number[] = [];
const cleanups: (() => Promise<void> | void)[] = [];

async function startJava(port?: number): Promise<DynamoDbLocal> {
  dynamo = await startDynamoDbLocal({ dataDir, ...(port ? { port } : {}) });
  javaPids.push(dynamo.pid);
  return dynamo;
}

beforeAll(async () => {
  // Hundreds of expected "data store unavailable" warnings would bury the figures this file prints.
  // Set before the first request: the handler modules (and their logger) are imported lazily.
  process.env.LOG_LEVEL = 'ERROR';
  await startJava();
});

afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
  await dynamo?.stop();
  rmSync(work, { recursive: true, force: true });
  // Never leave java behind: none of the DynamoDB Local processes this file started may be running.
  const running = spawnSync('pgrep', ['-f', 'DynamoDBLocal'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map(Number);
  expect(javaPids.length).toBeGreaterThan(0);
  expect(running.filter((pid) => javaPids.includes(pid))).toEqual([]);
});

type System = TestSystem & { db: DynamoDBDocumentClient; logs: string[] };

/** The local system on this file's DynamoDB Local, with a fresh table, like startTestSystem. */
async function startSystem(name: string, communities: CommunityConfig[], consumers?: StreamConsumer[]): Promise<System> {
  const tableName = `${name}-${randomUUID().slice(0, 8)}`;
  const logs: string[] = [];
  const system: LocalSystem = await startLocalSystem({
    log: (line) => logs.push(`${new Date().toISOString()} ${line}`),
    port: 0,
    inMemory: false,
    dataDir: join(work, tableName),
    dynamoEndpoint: dynamo.endpoint,
    alertSinkFile,
    tableName,
    ...(consumers ? { consumers } : {}),
  });
  const db = createDocumentClient(dynamo.endpoint);
  for (const community of communities) await putCommunity(db, community);
  const token = (claims: Partial<DevTokenRequest>) =>
    system.auth.mint({ sub: claims.sub ?? `citizen-${randomUUID()}`, roles: claims.roles ?? ['citizen'], community: claims.community ?? 'ternopil', birthdate: '1990-01-01', ...(claims.name ? { name: claims.name } : {}) });
  async function request(method: string, path: string, opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...opts.headers, ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}) };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(system.url + path, { method, headers, ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, body: (res.headers.get('content-type') ?? '').includes('json') && text ? JSON.parse(text) : text };
  }
  const deliveries = (): CouncilAlert[] =>
    existsSync(alertSinkFile) ? readFileSync(alertSinkFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as CouncilAlert) : [];
  const stopSystem = system.stop.bind(system);
  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= stopSystem().finally(() => db.destroy()));
  const api = Object.assign(system, { token, request, deliveries, db, stop, logs }) as unknown as System;
  cleanups.push(() => api.stop());
  return api;
}

async function storedSignatures(api: System, petitionId: string): Promise<Map<string, string>> {
  const bySigner = new Map<string, string>();
  let duplicates = 0;
  let start: Record<string, unknown> | undefined;
  for (let page = 0; page < 10_000; page++) {
    const result = await api.db.send(new ScanCommand({
      TableName: api.tableName,
      FilterExpression: '#t = :sig AND petitionId = :id',
      ExpressionAttributeNames: { '#t': 'type' },
      ExpressionAttributeValues: { ':sig': 'signature', ':id': petitionId },
      ...(start ? { ExclusiveStartKey: start } : {}),
    }));
    for (const item of result.Items ?? []) {
      if (bySigner.has(String(item.signerSub))) duplicates++;
      bySigner.set(String(item.signerSub), String(item.id));
    }
    start = result.LastEvaluatedKey;
    if (!start) break;
  }
  expect(duplicates, 'a citizen with two stored signatures').toBe(0);
  return bySigner;
}

async function councilAlertThresholds(api: System, community: string, petitionId: string): Promise<number[]> {
  const council = await api.token({ sub: `council-${randomUUID()}`, roles: ['council'], community });
  const response = await api.request('GET', '/v1/council/alerts?limit=100', { token: council });
  expect(response.status).toBe(200);
  return (response.body.items as { petitionId: string; threshold: number }[]).filter((a) => a.petitionId === petitionId).map((a) => a.threshold).sort((a, b) => a - b);
}

function deliveredKeys(api: System, petitionId: string): { raw: number; keys: string[] } {
  const mine = api.deliveries().filter((d) => d.petitionId === petitionId);
  return { raw: mine.length, keys: [...new Set(mine.map((d) => d.idempotencyKey))].sort() };
}

/**
 * Why a count differs from the stored signatures: the petition's count and checkpoint items, the
 * signatures that have no record in the stream, whether the count converges if given more time,
 * and what the stream consumers logged. Printed only when the count is wrong.
 */
async function diagnoseCount(api: System, petitionId: string, stored: Map<string, string>, count: number): Promise<{ text: string; tornWrites: TornWrite[] }> {
  const lines = [`count ${count}, stored ${stored.size}`];
  const items = await api.db.send(new QueryCommand({
    TableName: api.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `PETITION#${petitionId}` }, ConsistentRead: true,
  }));
  lines.push(`petition items: ${JSON.stringify((items.Items ?? []).map((i) => ({ sk: i.sk, lastSequenceNumber: i.lastSequenceNumber, signatureCount: i.signatureCount })))}`);
  const config = { endpoint: dynamo.endpoint, region: 'eu-central-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
  const ghostCheckpoints: { streamed: string | undefined; found: string | undefined; skipped: number }[] = [];
  let countChainBroken = false;
  const ddb = new DynamoDBClient(config);
  const streams = new DynamoDBStreamsClient(config);
  try {
    const arn = (await ddb.send(new DescribeTableCommand({ TableName: api.tableName }))).Table?.LatestStreamArn;
    const shards = (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription?.Shards ?? [];
    // The shard in order: every signature record, and the counter's own writes (its checkpoint and
    // the count), so a loss can be placed: which transaction skipped which record, and whether the
    // records arrived out of sequence order.
    const inStream: string[] = [];
    const history: string[] = [];
    const signatureSeqs: bigint[] = [];
    let lastCheckpoint: string | undefined;
    let lastCount: string | undefined;
    let previous = -1n;
    let outOfOrder = 0;
    for (const shard of shards) {
      let iterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
      for (let page = 0; iterator && page < 500; page++) {
        const { Records = [], NextShardIterator } = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
        for (const record of Records) {
          const seq = BigInt(record.dynamodb?.SequenceNumber ?? '0');
          if (seq <= previous) outOfOrder++;
          previous = seq;
          const pk = record.dynamodb?.Keys?.pk?.S;
          const sk = record.dynamodb?.Keys?.sk?.S ?? '';
          const at = record.dynamodb?.ApproximateCreationDateTime?.toISOString().slice(11, 19);
          if (sk === `SIG#${petitionId}`) {
            inStream.push(`${pk}`);
            signatureSeqs.push(seq);
            history.push(`${seq} ${at} ${record.eventName} SIG`);
          } else if (pk === `PETITION#${petitionId}` && (sk.startsWith('COUNTED#') || sk === 'PETITION#COUNT')) {
            const image = record.dynamodb?.NewImage;
            // Each write's old image is the previous write's new image, unless a write reached the
            // table without a record in the stream.
            if (sk.startsWith('COUNTED#')) {
              const old = record.dynamodb?.OldImage?.lastSequenceNumber?.S;
              if (record.eventName === 'MODIFY' && old !== lastCheckpoint) {
                ghostCheckpoints.push({ streamed: lastCheckpoint, found: old, skipped: signatureSeqs.filter((s) => s > BigInt(lastCheckpoint ?? '-1') && s <= BigInt(old ?? '-1')).length });
              }
              lastCheckpoint = image?.lastSequenceNumber?.S;
            } else {
              const old = record.dynamodb?.OldImage?.signatureCount?.N;
              if (record.eventName === 'MODIFY' && lastCount !== undefined && old !== lastCount) countChainBroken = true;
              lastCount = image?.signatureCount?.N;
            }
            history.push(`${seq} ${at} ${record.eventName} ${sk.startsWith('COUNTED#') ? `checkpoint ${image?.lastSequenceNumber?.S}` : `count ${image?.signatureCount?.N}`}`);
          }
        }
        if (Records.length === 0) break;
        iterator = NextShardIterator;
      }
    }
    const missing = [...stored.keys()].filter((sub) => !inStream.includes(`PERSON#${sub}`));
    lines.push(`shards ${shards.map((s) => s.ShardId).join(', ')}; signature records in the stream ${inStream.length}; stored signatures without a stream record ${missing.length}; records out of sequence order ${outOfOrder}`);
    lines.push(`checkpoint writes without a stream record: ${JSON.stringify(ghostCheckpoints)}; count writes without one: ${countChainBroken}`);
    lines.push('the shard (sequence, time, event, what):', ...history);
  } finally {
    ddb.destroy();
    streams.destroy();
  }
  await delay(5_000);
  await api.waitForStreams(30_000);
  lines.push(`count after 5 s more: ${(await api.request('GET', `/v1/petitions/${petitionId}`)).body.signatureCount}`);
  lines.push('stream consumers log:', ...api.logs.slice(-40));
  // A torn transaction: the counter's checkpoint Put reached the table without its stream record and
  // without the count Update of the same transaction (the count's chain of old and new images is
  // whole), so the next batch skipped the records up to that checkpoint uncounted.
  const tornWrites = countChainBroken ? [] : ghostCheckpoints.map((g) => ({ checkpoint: g.found ?? '', uncounted: g.skipped }));
  return { text: lines.join('\n'), tornWrites };
}

interface TornWrite {
  /** The checkpoint value found in the table that no stream record ever carried. */
  checkpoint: string;
  /** Signature records between the last streamed checkpoint and that one: skipped uncounted. */
  uncounted: number;
}

/**
 * Waits until the stream consumers are done, twice: waitForIdle covers the records that were in the
 * stream when it was called, and the counter writes alert items (for the notifier) meanwhile.
 */
async function settle(target: { waitForStreams(timeoutMs?: number): Promise<void> } | { waitForIdle(timeoutMs?: number): Promise<void> }): Promise<void> {
  for (let pass = 0; pass < 2; pass++) {
    if ('waitForStreams' in target) await target.waitForStreams(60_000);
    else await target.waitForIdle(60_000);
  }
}

const key = (petitionId: string, threshold: number) => `petition-threshold:${petitionId}:${threshold}`;

// ---------------------------------------------------------------------------------------------

describe('(a) DynamoDB Local killed mid-load', () => {
  it('503 while it is down, then every acknowledged signature kept, count exact, one alert', async () => {
    const CITIZENS = 600;
    const CLIENTS = 16;
    const RATE_PER_SECOND = 50; // the load spans ~12 s: before, during and after the outage
    const CRASH_AFTER = 150;
    const DOWN_FOR_MS = 3_000;

    const api = await startSystem('faults-crash', [ternopil]);
    const client: RawClient = rawClient(api.url, { maxSockets: CLIENTS });
    cleanups.push(() => client.close());
    const petition = await openPetition(api);
    const citizens = await Promise.all(Array.from({ length: CITIZENS }, async (_, i) => {
      const sub = `crash-${i}-${randomUUID()}`;
      return { sub, token: await api.token({ sub, name: `Громадянин ${i}` }) };
    }));

    interface Attempt { sub: string; status: number; ms: number; sentAt: number; id?: string; violation?: string; phase: 'load' | 'retry' }
    const attempts: Attempt[] = [];
    const path = `/v1/petitions/${petition.id}/signatures`;
    const t0 = performance.now();
    const sign = async (citizen: { sub: string; token: string }, phase: Attempt['phase']) => {
      const sentAt = performance.now() - t0;
      let attempt: Attempt;
      try {
        const response = await client.send({ method: 'POST', path, headers: { authorization: `Bearer ${citizen.token}` }, timeoutMs: 30_000 });
        const violation = contractViolation(response, { allow503: true });
        attempt = { sub: citizen.sub, status: response.status, ms: response.ms, sentAt, phase, ...(violation ? { violation } : {}), ...((response.json as { id?: string })?.id ? { id: (response.json as { id: string }).id } : {}) };
      } catch (error) {
        attempt = { sub: citizen.sub, status: 0, ms: performance.now() - t0 - sentAt, sentAt, phase, violation: `no response: ${(error as Error).message}` };
      }
      attempts.push(attempt);
      return attempt;
    };

    // The outage, driven beside the load: kill java after CRASH_AFTER answers, keep it down, start it again.
    const outage = { crashAt: NaN, restartStartedAt: NaN, restartedAt: NaN, health: undefined as number | undefined };
    const port = dynamo.port;
    const driver = (async () => {
      while (attempts.length < CRASH_AFTER) await delay(10);
      outage.crashAt = performance.now() - t0;
      await dynamo.crash();
      await delay(500);
      outage.health = (await api.request('GET', '/health')).status;
      await delay(DOWN_FOR_MS - 500);
      outage.restartStartedAt = performance.now() - t0;
      await startJava(port);
      outage.restartedAt = performance.now() - t0;
    })();

    await inPool(citizens.map((citizen, i) => async () => {
      const due = (i * 1000) / RATE_PER_SECOND - (performance.now() - t0);
      if (due > 0) await delay(due);
      await sign(citizen, 'load');
    }), CLIENTS);
    await driver;

    // A citizen retries until acknowledged (bounded).
    const acknowledged = (sub: string) => attempts.some((a) => a.sub === sub && (a.status === 201 || a.status === 200));
    await inPool(citizens.map((citizen) => async () => {
      for (let tries = 0; tries < 40 && !acknowledged(citizen.sub); tries++) {
        if ((await sign(citizen, 'retry')).status >= 500) await delay(250);
      }
    }), CLIENTS);

    const during = attempts.filter((a) => a.sentAt >= outage.crashAt && a.sentAt < outage.restartedAt);
    const unavailable = attempts.filter((a) => a.status === 503);
    const firstAfter = attempts.filter((a) => a.sentAt >= outage.crashAt && (a.status === 201 || a.status === 200)).sort((a, b) => a.sentAt - b.sentAt)[0];
    const last503 = unavailable.map((a) => a.sentAt + a.ms).sort((a, b) => b - a)[0] ?? NaN;
    console.log([
      `faults (a): ${attempts.length} requests (${attempts.filter((a) => a.phase === 'retry').length} retries); statuses ${JSON.stringify(countBy(attempts.map((a) => a.status)))}`,
      `java killed at ${(outage.crashAt / 1000).toFixed(2)} s, restart began at ${(outage.restartStartedAt / 1000).toFixed(2)} s, answering at ${(outage.restartedAt / 1000).toFixed(2)} s (start took ${((outage.restartedAt - outage.restartStartedAt) / 1000).toFixed(2)} s)`,
      `503s: ${unavailable.length}, answered 503 from ${(Math.min(...unavailable.map((a) => a.sentAt)) / 1000).toFixed(2)} s to ${(last503 / 1000).toFixed(2)} s; first 201/200 after the crash sent at ${firstAfter ? (firstAfter.sentAt / 1000).toFixed(2) : '-'} s`,
      `latency during the outage: p50 ${percentile(during.map((a) => a.ms), 50).toFixed(0)} ms, p99 ${percentile(during.map((a) => a.ms), 99).toFixed(0)} ms, max ${Math.max(...during.map((a) => a.ms)).toFixed(0)} ms; /health during the outage: ${outage.health}`,
    ].join('\n'));

    // While down: 503 problem+json, fast; never a 500, never a hang.
    expect(attempts.filter((a) => a.violation).slice(0, 5).map((a) => `${a.status} ${a.violation}`)).toEqual([]);
    expect(attempts.filter((a) => ![200, 201, 503].includes(a.status)).map((a) => a.status)).toEqual([]);
    expect(unavailable.length, 'the outage was hit').toBeGreaterThanOrEqual(10);
    expect(outage.health).toBe(503);
    expect(Math.max(...unavailable.map((a) => a.ms)), 'slowest 503 (ms)').toBeLessThan(8_000);

    // Every citizen acknowledged in the end; each acknowledged signature is the one stored.
    const acknowledgedIds = new Map<string, Set<string>>();
    for (const a of attempts) if (a.status === 201 || a.status === 200) acknowledgedIds.set(a.sub, (acknowledgedIds.get(a.sub) ?? new Set()).add(a.id as string));
    expect(citizens.filter((c) => !acknowledgedIds.has(c.sub)).map((c) => c.sub)).toEqual([]);
    const stored = await storedSignatures(api, petition.id);
    const lost = [...acknowledgedIds].filter(([sub, ids]) => ids.size !== 1 || stored.get(sub) !== [...ids][0]);
    expect(lost.slice(0, 5).map(([sub, ids]) => `${sub}: acknowledged ${[...ids].join(', ')}, stored ${stored.get(sub)}`)).toEqual([]);
    expect(stored.size).toBe(CITIZENS);
    const created = attempts.filter((a) => a.status === 201);
    expect(new Set(created.map((a) => a.sub)).size, 'a citizen acknowledged twice with 201').toBe(created.length);

    // The count catches up exactly; the threshold (300) is alerted once.
    await settle(api);
    const detail = await api.request('GET', `/v1/petitions/${petition.id}`);
    let counted = detail.body.signatureCount as number;
    if (counted !== stored.size) {
      // DynamoDB Local is not crash-atomic: killed (SIGKILL) during the counter's transaction, it can
      // keep one of its writes and lose the others and their stream records (TransactWriteItems in
      // AWS is atomic). Tolerated only when the shard proves exactly that — one checkpoint write that
      // no stream record carried, a whole chain of count writes, and exactly the missing signatures
      // between — and then the operators' recovery (`npm run ops -- recount`) must make it exact.
      const { text, tornWrites } = await diagnoseCount(api, petition.id, stored, counted);
      expect(tornWrites.length === 1 && tornWrites[0]!.uncounted === stored.size - counted, text).toBe(true);
      console.log(`faults (a): DynamoDB Local tore the counter's transaction at the kill (checkpoint ${tornWrites[0]!.checkpoint} kept without its stream record or the count; ${tornWrites[0]!.uncounted} signatures uncounted); recounting`);
      const streamArn = (await api.db.send(new DescribeTableCommand({ TableName: api.tableName }))).Table!.LatestStreamArn!;
      const streams = new DynamoDBStreamsClient({ endpoint: dynamo.endpoint, region: 'eu-central-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
      try {
        const [result] = await recountPetitions(api.db, new StreamReader(streams, streamArn), [petition.id], { settleMs: 200 });
        expect(result).toMatchObject({ petitionId: petition.id, outcome: 'recounted' });
      } finally {
        streams.destroy();
      }
      counted = (await api.request('GET', `/v1/petitions/${petition.id}`)).body.signatureCount as number;
    }
    expect(counted).toBe(stored.size);
    const alerts = deliveredKeys(api, petition.id);
    console.log(`faults (a): alert deliveries ${alerts.raw}, distinct keys ${alerts.keys.length}`);
    expect(alerts.keys).toEqual([key(petition.id, 300)]);
    expect(await councilAlertThresholds(api, 'ternopil', petition.id)).toEqual([300]);
    await api.stop();
  }, 120_000);
});

// ---------------------------------------------------------------------------------------------

const multi = (id: string, thresholds: number[]): CommunityConfig => ({
  ...ternopil,
  id,
  petitions: { ...ternopil.petitions, thresholds: thresholds.map((signatures) => ({ signatures, purpose: 'council-consideration' as const })) },
});

async function signAll(api: System, community: string, petitionId: string, count: number, concurrency = 16) {
  const statuses = await inPool(Array.from({ length: count }, () => async () => {
    const token = await api.token({ community });
    return (await api.request('POST', `/v1/petitions/${petitionId}/signatures`, { token })).status;
  }), concurrency);
  expect(statuses.filter((s) => s !== 201)).toEqual([]);
}

describe('(b) stream consumers killed mid-batch', () => {
  it('1. counter and notifier throw after part of their work, first invocations: count exact, every alert once', async () => {
    const community = multi('faults-consumers', [40, 80, 120]);
    const deaths = { signatureCounter: 0, alertNotifier: 0 };
    const consumers = defaultConsumers().map((consumer): StreamConsumer => {
      if (consumer.name === 'signatureCounter') {
        return { ...consumer, handler: async (event: DynamoDBStreamEvent) => {
          if (deaths.signatureCounter < 3 && event.Records.length >= 1) {
            deaths.signatureCounter++;
            await consumer.handler({ ...event, Records: event.Records.slice(0, Math.ceil(event.Records.length / 2)) });
            throw new Error('signature counter died mid-batch');
          }
          return consumer.handler(event);
        } };
      }
      if (consumer.name === 'alertNotifier') {
        return { ...consumer, handler: async (event: DynamoDBStreamEvent) => {
          if (deaths.alertNotifier < 2 && event.Records.length >= 1) {
            deaths.alertNotifier++;
            await consumer.handler({ ...event, Records: event.Records.slice(0, 1) });
            throw new Error('alert notifier died mid-batch');
          }
          return consumer.handler(event);
        } };
      }
      return consumer;
    });
    const api = await startSystem('faults-consumers', [community], consumers);
    const petition = await openPetition(api, { community: community.id });
    await signAll(api, community.id, petition.id, 150);
    await settle(api);

    console.log(`faults (b1): invocations that died mid-batch: ${JSON.stringify(deaths)}`);
    expect(deaths.signatureCounter).toBeGreaterThanOrEqual(1);
    expect(deaths.alertNotifier).toBeGreaterThanOrEqual(1);
    const stored = await storedSignatures(api, petition.id);
    expect(stored.size).toBe(150);
    expect((await api.request('GET', `/v1/petitions/${petition.id}`)).body.signatureCount).toBe(150);
    expect(deliveredKeys(api, petition.id).keys).toEqual([40, 80, 120].map((t) => key(petition.id, t)).sort());
    expect(await councilAlertThresholds(api, community.id, petition.id)).toEqual([40, 80, 120]);
    await api.stop();
  }, 90_000);

  it('2. the poller stopped while both are stuck mid-batch, a new one started from the same checkpoint file: count exact, every alert once', async () => {
    const community = multi('faults-poller', [30, 60, 90]);
    // The system's own poller runs no consumer: this test runs its pollers itself.
    const api = await startSystem('faults-poller', [community], []);
    const petition = await openPetition(api, { community: community.id });
    const checkpointFile = join(work, 'poller-checkpoints.json');
    const logs: string[] = [];

    let kill!: (error: Error) => void;
    const killed = new Promise<never>((_, reject) => {
      kill = reject;
    });
    killed.catch(() => undefined);
    const stuck = { counter: false, notifier: false, counterCounted: 0 };

    /** Publishes, then hangs before the notifier can mark the alert delivered — the first time. */
    const sink = new LocalAlertSink(alertSinkFile);
    const hangingPublisher: AlertPublisher = {
      async publish(alert) {
        await sink.publish(alert);
        if (!stuck.notifier) {
          stuck.notifier = true;
          await killed;
        }
      },
    };
    const real = defaultConsumers();
    const first: StreamConsumer[] = real.map((consumer): StreamConsumer => {
      if (consumer.name === 'alertNotifier') return { ...consumer, handler: createAlertNotifier({ db: api.db, publisher: hangingPublisher, mailer: mailerFromEnvironment }) };
      if (consumer.name === 'signatureCounter') {
        return { ...consumer, handler: async (event: DynamoDBStreamEvent) => {
          if (stuck.notifier && !stuck.counter && event.Records.length >= 2) {
            const half = event.Records.slice(0, Math.ceil(event.Records.length / 2));
            await consumer.handler({ ...event, Records: half });
            stuck.counterCounted = half.length;
            stuck.counter = true;
            await killed;
          }
          return consumer.handler(event);
        } };
      }
      return consumer;
    });
    const poller1: StreamPoller = startStreamPoller({ endpoint: dynamo.endpoint, tableName: api.tableName, consumers: first, checkpointFile, pollIntervalMs: 50 });
    cleanups.push(() => poller1.stop());

    const until = async (condition: () => boolean, what: string) => {
      for (const deadline = Date.now() + 30_000; !condition(); await delay(50)) if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    };
    // Wave 1 crosses 30: the notifier publishes that alert and hangs.
    await signAll(api, community.id, petition.id, 45);
    await until(() => stuck.notifier, 'the notifier to hang after publishing');
    // Wave 2: the counter counts half of its batch, then hangs.
    await signAll(api, community.id, petition.id, 75);
    await until(() => stuck.counter, 'the counter to hang mid-batch');

    // Kill: stop the poller while both invocations are stuck; they then fail, unacknowledged.
    const stopping = poller1.stop();
    kill(new Error('killed with the poller'));
    await stopping;
    const countAfterKill = (await api.request('GET', `/v1/petitions/${petition.id}`)).body.signatureCount as number;

    const poller2 = startStreamPoller({ endpoint: dynamo.endpoint, tableName: api.tableName, consumers: real, checkpointFile, pollIntervalMs: 50, log: (m) => logs.push(m) });
    cleanups.push(() => poller2.stop());
    await settle(poller2);
    await poller2.stop();

    const alerts = deliveredKeys(api, petition.id);
    console.log(`faults (b2): count when killed ${countAfterKill} (of 120; the stuck batch had counted ${stuck.counterCounted}), alert deliveries ${alerts.raw} for ${alerts.keys.length} keys`);
    expect(logs.some((line) => line.includes('resuming stream consumers from'))).toBe(true);
    expect(countAfterKill).toBeLessThan(120);
    const stored = await storedSignatures(api, petition.id);
    expect(stored.size).toBe(120);
    expect((await api.request('GET', `/v1/petitions/${petition.id}`)).body.signatureCount).toBe(120);
    expect(alerts.keys).toEqual([30, 60, 90].map((t) => key(petition.id, t)).sort());
    expect(alerts.raw).toBeGreaterThan(alerts.keys.length); // the stuck alert went out twice, with one key
    expect(await councilAlertThresholds(api, community.id, petition.id)).toEqual([30, 60, 90]);
    await api.stop();
  }, 90_000);
});

function countBy(values: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const value of values) out[value] = (out[value] ?? 0) + 1;
  return out;
}
