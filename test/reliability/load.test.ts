/**
 * Load: 2,000 citizens sign one Ternopil petition through the local gateway, 32 at a time, with
 * 300 repeats mixed in at random (some of them racing their own first attempt).
 *
 * Proves: every citizen is acknowledged exactly once with 201 and every repeat with 200 and the
 * same signature; no 5xx; 2,000 signatures stored, one per citizen; the petition's count is 2,000
 * once the stream consumers caught up; the 300-signature alert is recorded once, delivered once
 * by idempotency key, and listed once for the council. Throughput and latency are printed, not
 * asserted (they depend on the machine).
 */
import { randomUUID } from 'node:crypto';
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '#shared/data/client.ts';
import { inPool, percentile, rawClient, type RawClient } from '../support/fuzz-http.ts';
import { openPetition, startTestSystem, type TestSystem } from '../support/system.ts';

const CITIZENS = 2_000;
const REPEATS = 300;
const CLIENTS = 32;
const THRESHOLD = 300; // Ternopil

let api: TestSystem;
let db: DynamoDBDocumentClient;
let client: RawClient;

beforeAll(async () => {
  api = await startTestSystem();
  db = createDocumentClient(api.dynamoEndpoint);
  client = rawClient(api.url, { maxSockets: CLIENTS });
});
afterAll(async () => {
  client?.close();
  db?.destroy();
  await api?.stop();
});

async function storedSignatures(petitionId: string): Promise<{ signerSub: string; id: string }[]> {
  const items: { signerSub: string; id: string }[] = [];
  let start: Record<string, unknown> | undefined;
  for (let page = 0; page < 10_000; page++) {
    const result = await db.send(new ScanCommand({
      TableName: api.tableName,
      FilterExpression: '#t = :sig AND petitionId = :id',
      ExpressionAttributeNames: { '#t': 'type' },
      ExpressionAttributeValues: { ':sig': 'signature', ':id': petitionId },
      ProjectionExpression: 'signerSub, id',
      ...(start ? { ExclusiveStartKey: start } : {}),
    }));
    items.push(...((result.Items ?? []) as { signerSub: string; id: string }[]));
    start = result.LastEvaluatedKey;
    if (!start) break;
  }
  return items;
}

describe('load: one viral petition', () => {
  it(`${CITIZENS} citizens and ${REPEATS} repeats, ${CLIENTS} at a time: exact acknowledgements, count and one alert`, async () => {
    const petition = await openPetition(api);
    const citizens = await Promise.all(Array.from({ length: CITIZENS }, async (_, i) => {
      const sub = `load-${i}-${randomUUID()}`;
      return { sub, token: await api.token({ sub, name: `Громадянин ${i}` }) };
    }));
    const repeats = [...citizens].sort(() => Math.random() - 0.5).slice(0, REPEATS);
    const attempts = [...citizens, ...repeats].sort(() => Math.random() - 0.5);

    const path = `/v1/petitions/${petition.id}/signatures`;
    const started = performance.now();
    const results = await inPool(attempts.map((citizen) => async () => {
      const response = await client.send({ method: 'POST', path, headers: { authorization: `Bearer ${citizen.token}` } });
      return { sub: citizen.sub, status: response.status, ms: response.ms, id: (response.json as { id?: string } | undefined)?.id, text: response.text };
    }), CLIENTS);
    const seconds = (performance.now() - started) / 1000;

    const latencies = results.map((r) => r.ms);
    const streamStarted = performance.now();
    await api.waitForStreams(90_000);
    // Once more: the counter wrote the alert item while we waited, and the notifier delivers it.
    await api.waitForStreams(30_000);
    const streamSeconds = (performance.now() - streamStarted) / 1000;
    console.log([
      `load: ${attempts.length} requests in ${seconds.toFixed(2)} s = ${(attempts.length / seconds).toFixed(0)} requests/s with ${CLIENTS} clients`,
      `latency p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms`,
      `stream consumers caught up ${streamSeconds.toFixed(2)} s after the last response`,
    ].join('\n'));

    // Acknowledgements: no server error, one 201 per citizen, 200 for every repeat, with the same signature.
    const serverErrors = results.filter((r) => r.status >= 500);
    expect(serverErrors.slice(0, 3).map((r) => `${r.status} ${r.text}`)).toEqual([]);
    const byStatus = (status: number) => results.filter((r) => r.status === status);
    expect(byStatus(201)).toHaveLength(CITIZENS);
    expect(byStatus(200)).toHaveLength(REPEATS);
    expect(new Set(byStatus(201).map((r) => r.sub)).size).toBe(CITIZENS);
    const firstIds = new Map(byStatus(201).map((r) => [r.sub, r.id]));
    for (const repeat of byStatus(200)) expect(repeat.id, repeat.sub).toBe(firstIds.get(repeat.sub));

    // Stored: exactly one signature per citizen, the one acknowledged.
    const stored = await storedSignatures(petition.id);
    expect(stored).toHaveLength(CITIZENS);
    expect(new Set(stored.map((s) => s.signerSub)).size).toBe(CITIZENS);
    for (const signature of stored) expect(signature.id).toBe(firstIds.get(signature.signerSub));

    // The count, from the stream, is exact.
    const detail = await api.request('GET', `/v1/petitions/${petition.id}`);
    expect(detail.body.signatureCount).toBe(CITIZENS);
    expect(detail.body.thresholds).toEqual([expect.objectContaining({ signatures: THRESHOLD, reachedAt: expect.any(String) })]);

    // The threshold alert: delivered once by idempotency key, listed once for the council.
    const delivered = api.deliveries().filter((d) => d.petitionId === petition.id);
    console.log(`load: alert deliveries ${delivered.length} (distinct keys ${new Set(delivered.map((d) => d.idempotencyKey)).size})`);
    expect([...new Set(delivered.map((d) => d.idempotencyKey))]).toEqual([`petition-threshold:${petition.id}:${THRESHOLD}`]);
    expect(delivered.every((d) => d.threshold === THRESHOLD && d.signatureCount >= THRESHOLD)).toBe(true);
    const council = await api.token({ sub: `council-${randomUUID()}`, roles: ['council'] });
    const alerts = await api.request('GET', '/v1/council/alerts?limit=100', { token: council });
    expect(alerts.status).toBe(200);
    expect(alerts.body.items.filter((a: { petitionId: string }) => a.petitionId === petition.id)).toHaveLength(1);
  }, 120_000);
});
