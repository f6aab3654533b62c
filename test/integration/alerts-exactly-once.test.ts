import { randomUUID } from 'node:crypto';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDocumentClient } from '../../shared/data/client.ts';
import { ternopil, type CommunityConfig } from '../../shared/domain/community.ts';
import type { AlertPublisher, CouncilAlert } from '../../shared/notify/alert.ts';
import { LocalAlertSink } from '../../shared/notify/local-sink.ts';
import { createAlertNotifier } from '../../shared/streams/alert-notifier.ts';
import { defaultConsumers } from '../../local/runtime.ts';
import { handler as counterHandler } from '../../functions/streams/signature-counter.ts';
import { openPetition, startTestSystem, type TestSystem } from '../support/system.ts';

const small: CommunityConfig = {
  ...ternopil,
  id: 'small-threshold',
  petitions: { ...ternopil.petitions, thresholds: [{ signatures: 2, purpose: 'council-consideration' }, { signatures: 5, purpose: 'response' }] },
};

/** Delivers, then "crashes" before the notifier can mark the alert delivered — once per alert. */
class CrashAfterSending implements AlertPublisher {
  readonly sink = new LocalAlertSink();
  private readonly crashed = new Set<string>();
  async publish(alert: CouncilAlert): Promise<void> {
    await this.sink.publish(alert);
    if (!this.crashed.has(alert.idempotencyKey)) {
      this.crashed.add(alert.idempotencyKey);
      throw new Error('crash after sending');
    }
  }
}

let db: ReturnType<typeof createDocumentClient>;
const publisher = new CrashAfterSending();
const counterEvents: DynamoDBStreamEvent[] = [];
let api: TestSystem;

beforeAll(async () => {
  db = createDocumentClient(inject('dynamoEndpoint'));
  const consumers = defaultConsumers().map((consumer) => {
    if (consumer.name === 'alertNotifier') return { ...consumer, handler: createAlertNotifier({ db, publisher }) };
    if (consumer.name === 'signatureCounter') {
      return { ...consumer, handler: async (event: DynamoDBStreamEvent) => {
        counterEvents.push(structuredClone(event));
        return consumer.handler(event);
      } };
    }
    return consumer;
  });
  api = await startTestSystem({ consumers, communities: [small] });
});
afterAll(async () => {
  await api?.stop();
  db.destroy();
});

describe('threshold alerts are recorded once and reach the council once', () => {
  it('survives a notifier crash after sending and a redelivered counter batch', async () => {
    const petition = await openPetition(api, { community: small.id });
    // Two signers cross the first threshold at the same instant.
    const signers = await Promise.all(Array.from({ length: 6 }, () => api.token({ sub: `s-${randomUUID()}`, community: small.id })));
    await Promise.all(signers.slice(0, 2).map((token) => api.request('POST', `/v1/petitions/${petition.id}/signatures`, { token })));
    await api.waitForStreams(20_000);
    for (const token of signers.slice(2)) await api.request('POST', `/v1/petitions/${petition.id}/signatures`, { token });
    await api.waitForStreams(20_000);

    const council = await api.token({ roles: ['council'], community: small.id });
    const listed = async () => (await api.request('GET', '/v1/council/alerts', { token: council })).body.items
      .filter((a: { petitionId: string }) => a.petitionId === petition.id)
      .map((a: { threshold: number }) => a.threshold)
      .sort((a: number, b: number) => a - b);
    expect(await listed()).toEqual([2, 5]);
    // The crash made each alert go out twice, with the same key: the council's side sees each once.
    const mine = publisher.sink.deliveries.filter((d) => d.petitionId === petition.id);
    expect(mine).toHaveLength(4);
    expect(publisher.sink.alerts().filter((d) => d.petitionId === petition.id).map((d) => d.threshold).sort()).toEqual([2, 5]);

    // Lambda may deliver any batch again: replaying every batch the counter saw changes nothing.
    const before = (await api.request('GET', `/v1/petitions/${petition.id}`)).body;
    expect(before.signatureCount).toBe(6);
    for (const event of counterEvents) await counterHandler(structuredClone(event) as DynamoDBStreamEvent & { shardId: string });
    await api.waitForStreams(20_000);
    const after = (await api.request('GET', `/v1/petitions/${petition.id}`, { headers: { 'cache-control': 'no-cache' } })).body;
    expect(after.signatureCount).toBe(6);
    expect(after.thresholds).toEqual(before.thresholds);
    expect(await listed()).toEqual([2, 5]);
    expect(publisher.sink.alerts().filter((d) => d.petitionId === petition.id)).toHaveLength(2);
  });
});
