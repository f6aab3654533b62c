import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDocumentClient } from '#shared/data/client.ts';
import { keys } from '#shared/data/keys.ts';
import { ternopil, type CommunityConfig } from '#shared/domain/community.ts';
import { mailerFromEnvironment } from '#shared/mail/from-environment.ts';
import type { Mailer, MailMessage } from '#shared/mail/mailer.ts';
import type { AlertPublisher, CouncilAlert } from '#shared/notify/alert.ts';
import { LocalAlertSink } from '#shared/notify/local-sink.ts';
import { ALERT_UNDELIVERED_EVENT, createAlertNotifier } from '#shared/streams/alert-notifier.ts';
import { defaultConsumers } from '../../local/runtime.ts';
import { handler as counterHandler } from '../../functions/streams/signature-counter.ts';
import { openPetition, startTestSystem, type TestSystem } from '../support/system.ts';

const council = [`rada-a-${randomUUID().slice(0, 6)}@small.example`, `rada-b-${randomUUID().slice(0, 6)}@small.example`];
const small: CommunityConfig = {
  ...ternopil,
  id: 'small-threshold',
  petitions: { ...ternopil.petitions, thresholds: [{ signatures: 2, purpose: 'council-consideration' }, { signatures: 5, purpose: 'response' }] },
  council: { alertRecipients: council },
};
/** English first, and no council address configured. */
const unconfigured: CommunityConfig = {
  ...small,
  id: 'no-council',
  languages: ['en'],
  petitions: { ...small.petitions, thresholds: [{ signatures: 1, purpose: 'response' }] },
  council: { alertRecipients: [] },
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

/** The real SMTP mailer, but the first attempt of every alert crashes after its first recipient. */
class CrashMidRecipients implements Mailer {
  readonly attempts: MailMessage[] = [];
  private readonly crashed = new Set<string>();
  async send(message: MailMessage): Promise<void> {
    const key = message.headers?.['X-Hromada-Alert'] ?? '';
    const sentForKey = this.attempts.filter((m) => m.headers?.['X-Hromada-Alert'] === key).length;
    if (sentForKey === 1 && !this.crashed.has(key)) {
      this.crashed.add(key);
      throw new Error('crash between two recipients');
    }
    this.attempts.push(message);
    await mailerFromEnvironment()!.send(message);
  }
}

let db: ReturnType<typeof createDocumentClient>;
const publisher = new CrashAfterSending();
const mailer = new CrashMidRecipients();
const warnings: string[] = [];
const counterEvents: DynamoDBStreamEvent[] = [];
let api: TestSystem;

beforeAll(async () => {
  db = createDocumentClient(inject('dynamoEndpoint'));
  const consumers = defaultConsumers().map((consumer) => {
    if (consumer.name === 'alertNotifier') {
      return { ...consumer, handler: createAlertNotifier({ db, publisher, mailer, webOrigin: () => process.env.WEB_ORIGIN, warn: (line) => warnings.push(line) }) };
    }
    if (consumer.name === 'signatureCounter') {
      return { ...consumer, handler: async (event: DynamoDBStreamEvent) => {
        counterEvents.push(structuredClone(event));
        return consumer.handler(event);
      } };
    }
    return consumer;
  });
  api = await startTestSystem({ consumers, communities: [small, unconfigured] });
});
afterAll(async () => {
  await api?.stop();
  db.destroy();
});

describe('threshold alerts are recorded once and reach the council once', () => {
  it('survives notifier crashes (after the event, between two recipients) and a redelivered counter batch', async () => {
    const petition = await openPetition(api, { community: small.id, title: 'Ліхтарі на вулиці Руській' });
    // Two signers cross the first threshold at the same instant.
    const signers = await Promise.all(Array.from({ length: 6 }, () => api.token({ sub: `s-${randomUUID()}`, community: small.id })));
    await Promise.all(signers.slice(0, 2).map((token) => api.request('POST', `/v1/petitions/${petition.id}/signatures`, { token })));
    await api.waitForStreams(20_000);
    for (const token of signers.slice(2)) await api.request('POST', `/v1/petitions/${petition.id}/signatures`, { token });
    await api.waitForStreams(20_000);

    const councilToken = await api.token({ roles: ['council'], community: small.id });
    const listed = async () => (await api.request('GET', '/v1/council/alerts', { token: councilToken })).body.items
      .filter((a: { petitionId: string }) => a.petitionId === petition.id)
      .map((a: { threshold: number }) => a.threshold)
      .sort((a: number, b: number) => a - b);
    expect(await listed()).toEqual([2, 5]);
    // The crash made each event go out twice, with the same key: the integration's side sees each once.
    const mine = publisher.sink.deliveries.filter((d) => d.petitionId === petition.id);
    expect(mine).toHaveLength(4);
    expect(publisher.sink.alerts().filter((d) => d.petitionId === petition.id).map((d) => d.threshold).sort()).toEqual([2, 5]);

    // Each council recipient: exactly one e-mail per threshold, in Ukrainian, with count and console link.
    for (const address of council) {
      const mails = await api.mailTo(address);
      expect(mails.map((m) => m.subject).sort()).toEqual([
        'Петиція набрала 2 підписи: Ліхтарі на вулиці Руській',
        'Петиція набрала 5 підписів: Ліхтарі на вулиці Руській',
      ]);
      const first = mails.find((m) => m.subject.includes(' 2 '))!;
      expect(first.headers['x-hromada-alert']).toBe(`petition-threshold:${petition.id}:2`);
      expect(first.text).toContain('Електронна петиція «Ліхтарі на вулиці Руській» набрала 2 підписи (розгляд міською радою)');
      expect(first.text).toMatch(/Підписів на момент фіксації: [2-6]\./);
      expect(first.text).toContain(`${api.url}/council`);
      expect(first.to).toBe(address);
    }
    // The notifier crashed between the two recipients of each alert; the retry sent only the second.
    expect(mailer.attempts.filter((m) => m.subject.includes('Ліхтарі'))).toHaveLength(4);
    for (const threshold of [2, 5]) {
      const { Item } = await db.send(new GetCommand({ TableName: api.tableName, Key: keys.alert(petition.id, threshold), ConsistentRead: true }));
      expect(Item?.deliveredAt).toBeTypeOf('string');
      expect(Item?.recipientCount).toBe(2);
    }

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
    for (const address of council) expect(await api.mailTo(address)).toHaveLength(2);
  });

  it('leaves an alert undelivered, and says so, when the community names no recipient', async () => {
    const petition = await openPetition(api, { community: unconfigured.id, title: 'More benches' });
    await api.request('POST', `/v1/petitions/${petition.id}/signatures`, { token: await api.token({ community: unconfigured.id }) });
    await api.waitForStreams(20_000);
    const { Item } = await db.send(new GetCommand({ TableName: api.tableName, Key: keys.alert(petition.id, 1), ConsistentRead: true }));
    expect(Item).toBeDefined();
    expect(Item?.deliveredAt).toBeUndefined();
    expect(Item?.undelivered).toBe('no-recipients');
    const warned = warnings.map((line) => JSON.parse(line)).filter((w) => w.petitionId === petition.id);
    expect(warned.length).toBeGreaterThanOrEqual(1);
    expect(warned[0]).toMatchObject({ event: ALERT_UNDELIVERED_EVENT, reason: 'no-recipients', community: unconfigured.id, threshold: 1 });
    // The event for integrations still went out; no e-mail to anyone of this petition.
    expect(publisher.sink.alerts().filter((d) => d.petitionId === petition.id)).toHaveLength(1);
    expect(mailer.attempts.filter((m) => m.subject.includes('More benches'))).toEqual([]);
  });
});
