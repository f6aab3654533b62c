/**
 * People hear back (issue 13), on DynamoDB Local and the local SMTP server, through the real stream
 * consumers (events -> fan-out -> sender) that the local poller runs as Lambda would.
 */
import { randomUUID } from 'node:crypto';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { consultationKeys } from '#shared/data/consultations.ts';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDocumentClient } from '#shared/data/client.ts';
import { isFollowing } from '#shared/data/notifications.ts';
import { ternopil } from '#shared/domain/community.ts';
import { mailerFromEnvironment } from '#shared/mail/from-environment.ts';
import type { Mailer, MailMessage } from '#shared/mail/mailer.ts';
import { loadKeyRing } from '#shared/secrets/load-key-ring.ts';
import { createNotificationFanOut, createNotificationSender } from '#shared/streams/notifications.ts';
import { defaultConsumers } from '../../local/runtime.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';

/** The real SMTP mailer, but the 40th message ever fails once (SES throttled, a broken connection). */
class FailingOnce implements Mailer {
  sends = 0;
  failed = false;
  async send(message: MailMessage): Promise<void> {
    if (++this.sends === 40 && !this.failed) {
      this.failed = true;
      throw new Error('connection reset');
    }
    await mailerFromEnvironment()!.send(message);
  }
}

const mailer = new FailingOnce();
/** The sender "crashes" once after handling half of a batch: Lambda retries the whole batch. */
let senderCrashes = 0;
let db: ReturnType<typeof createDocumentClient>;
let api: TestSystem;

beforeAll(async () => {
  db = createDocumentClient(inject('dynamoEndpoint'));
  const consumers = defaultConsumers().map((consumer) => {
    if (consumer.name === 'notificationSender') {
      const real = createNotificationSender({ db, mailer, keyRing: () => loadKeyRing(), webOrigin: () => process.env.WEB_ORIGIN });
      return {
        ...consumer,
        handler: async (event: DynamoDBStreamEvent, context?: Context): Promise<DynamoDBBatchResponse> => {
          if (senderCrashes === 0 && event.Records.length >= 20) {
            senderCrashes++;
            await real({ Records: event.Records.slice(0, Math.floor(event.Records.length / 2)) }, context);
            throw new Error('the sender crashed mid-batch');
          }
          return real(event, context);
        },
      };
    }
    // Small pages and slices, so the fan-out of 300 saves its cursor and resumes several times.
    if (consumer.name === 'notificationFanOut') return { ...consumer, handler: createNotificationFanOut({ db, pageSize: 40, maxPagesPerInvocation: 3 }) };
    return consumer;
  });
  api = await startTestSystem({ consumers, communities: [ternopil] });
});
afterAll(async () => {
  await api?.stop();
  db.destroy();
});

const mailOf = (address: string) => api.mail.messages(address);
const email = (name: string) => `${name}-${randomUUID().slice(0, 8)}@example.com`;

async function publishPetition(authorToken: string, title: string) {
  const moderator = await api.token({ sub: `moderator-${randomUUID()}`, roles: ['moderator'] });
  const created = await api.request('POST', '/v1/petitions', { token: authorToken, body: { title, text: 'Просимо встановити нові ліхтарі вздовж усієї вулиці.' } });
  expect(created.status).toBe(201);
  const published = await api.request('POST', `/v1/petitions/${created.body.id}/moderation`, { token: moderator, body: { decision: 'publish' } });
  expect(published.status).toBe(200);
  return created.body.id as string;
}

describe('the author hears of moderation', () => {
  it('tells an author who asked that the petition is published, in their language, with one-click unsubscribe', async () => {
    const address = email('author');
    const author = await api.token({ email: address });
    const saved = await api.request('PUT', '/v1/me/notifications', { token: author, body: { language: 'en', kinds: ['own'] } });
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({ email: address, language: 'en', kinds: ['own'] });
    expect((await api.request('GET', '/v1/me/notifications', { token: author })).body).toEqual(saved.body);

    const id = await publishPetition(author, 'Lights on Ruska street');
    await api.waitForStreams(30_000);
    const mails = mailOf(address);
    expect(mails.map((m) => m.subject)).toEqual(['Your petition is published: Lights on Ruska street']);
    expect(mails[0]!.text).toContain(`${api.url}/petitions/${id}`);
    expect(mails[0]!.headers['list-unsubscribe']).toMatch(/^<http:\/\/127\.0\.0\.1:\d+\/v1\/notifications\/unsubscribe\?token=[^>]+>$/);
    expect(mails[0]!.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
  });

  it('tells nothing to an author who never asked, and refuses preferences without an e-mail claim', async () => {
    const noEmail = await api.token({});
    const refused = await api.request('PUT', '/v1/me/notifications', { token: noEmail, body: { language: 'uk', kinds: ['own'] } });
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    const address = email('silent-author');
    const author = await api.token({ email: address });
    await publishPetition(author, 'Тиша в парку вночі');
    await api.waitForStreams(30_000);
    expect(mailOf(address)).toEqual([]);
  });
});

describe('signers who asked hear of the threshold and the response, each exactly once', () => {
  it('300 signers with notify (uk and en), 20 without; the sender fails and crashes mid-batch; one unsubscribes by the link', async () => {
    const author = await api.token({ email: email('author300') });
    const id = await publishPetition(author, 'Ліхтарі на вулиці Руській');
    const asked = Array.from({ length: 300 }, (_, i) => ({ address: email(`signer${i}`), lang: i % 3 === 0 ? 'en' : 'uk' }));
    const silent = Array.from({ length: 20 }, (_, i) => ({ address: email(`quiet${i}`) }));
    const sign = async (address: string, notify: boolean, lang: string) => {
      const token = await api.token({ email: address });
      const res = await api.request('POST', `/v1/petitions/${id}/signatures`, {
        token,
        headers: { 'accept-language': lang === 'en' ? 'en-GB,en;q=0.9' : 'uk-UA,uk;q=0.9' },
        ...(notify ? { body: { notify: true } } : {}),
      });
      expect(res.status).toBe(201);
    };
    // The 20 who did not ask sign first, so the 300th signature is one that asked.
    for (const chunk of chunks(silent, 10)) await Promise.all(chunk.map((s) => sign(s.address, false, 'uk')));
    for (const chunk of chunks(asked, 20)) await Promise.all(chunk.map((s) => sign(s.address, true, s.lang)));
    await api.waitForStreams(60_000);

    expect(senderCrashes).toBe(1);
    expect(mailer.failed).toBe(true);
    for (const { address, lang } of asked) {
      const subjects = mailOf(address).map((m) => m.subject);
      expect(subjects, address).toEqual([lang === 'en' ? 'Petition reached 300 signatures: Ліхтарі на вулиці Руській' : 'Петиція набрала 300 підписів: Ліхтарі на вулиці Руській']);
    }
    for (const { address } of silent) expect(mailOf(address), address).toEqual([]);

    // One unsubscribes with the link of that e-mail, as a mail client does (RFC 8058 one-click POST).
    const leaving = asked[1]!;
    const link = /^<(.+)>$/.exec(mailOf(leaving.address)[0]!.headers['list-unsubscribe']!)![1]!;
    const forged = await fetch(link.replace(/token=[^.]+/, `token=${Buffer.from('someone-else').toString('base64url')}`), {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click',
    });
    expect(forged.status).toBe(400);
    const unsubscribed = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(unsubscribed.status).toBe(200);

    const council = await api.token({ roles: ['council'] });
    const answered = await api.request('POST', `/v1/petitions/${id}/response`, {
      token: council,
      body: { decision: 'supported', text: 'Рада підтримала петицію: ліхтарі встановлять до весни.' },
    });
    expect(answered.status).toBe(200);
    await api.waitForStreams(60_000);

    for (const { address, lang } of asked) {
      const subjects = mailOf(address).map((m) => m.subject);
      if (address === leaving.address) {
        expect(subjects, address).toHaveLength(1);
        continue;
      }
      const response = lang === 'en' ? 'The council answered the petition: Ліхтарі на вулиці Руській' : 'Рада відповіла на петицію: Ліхтарі на вулиці Руській';
      expect(subjects.filter((s) => s === response), address).toHaveLength(1);
      expect(subjects, address).toHaveLength(2);
    }
    const ukResponse = mailOf(asked[1 + 1]!.address).find((m) => m.subject.startsWith('Рада'))!;
    expect(ukResponse.text).toContain('Рішення: підтримано.');
    for (const { address } of silent) expect(mailOf(address)).toEqual([]);

    // Two write units per recipient and event: the outbox item and the sent marker.
    const outbox = await db.send(new QueryCommand({
      TableName: api.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :to)',
      ExpressionAttributeValues: { ':pk': `NOTIFY#petition-threshold:${id}:300`, ':to': 'TO#' },
      Select: 'COUNT',
    }));
    expect(outbox.Count).toBe(300);
  }, 240_000);
});

describe('followers of a consultation hear of its report', () => {
  it('e-mails the report to each follower once, in their language; not to one who unfollowed', async () => {
    const council = await api.token({ sub: `council-${randomUUID()}`, roles: ['council'] });
    const created = await api.request('POST', '/v1/consultations', {
      token: council,
      body: {
        title: 'Реконструкція парку Шевченка',
        opensAt: new Date(Date.now() - 3_600_000).toISOString(),
        closesAt: new Date(Date.now() + 86_400_000).toISOString(),
        questions: [{ id: 'support', type: 'single', text: 'Чи підтримуєте?', options: [{ id: 'yes', text: 'Так' }, { id: 'no', text: 'Ні' }] }],
      },
    });
    expect(created.status, created.text).toBe(201);
    const id = created.body.id as string;
    const followers = [{ address: email('c-uk'), lang: 'uk' }, { address: email('c-en'), lang: 'en' }, { address: email('c-gone'), lang: 'uk' }];
    const tokens = await Promise.all(followers.map((f) => api.token({ email: f.address })));
    for (const [i, f] of followers.entries()) {
      const res = await api.request('PUT', `/v1/consultations/${id}/follow`, { token: tokens[i]!, headers: { 'accept-language': f.lang } });
      expect(res.body).toEqual({ following: true });
    }
    await api.request('DELETE', `/v1/consultations/${id}/follow`, { token: tokens[2]! });
    // Closed a while ago (results final), then the council reports.
    await db.send(new UpdateCommand({
      TableName: api.tableName, Key: consultationKeys.consultation(id),
      UpdateExpression: 'SET closesAt = :past', ExpressionAttributeValues: { ':past': new Date(Date.now() - 2 * 60_000).toISOString() },
    }));
    const reported = await api.request('POST', `/v1/consultations/${id}/report`, { token: council, body: { summary: 'Рада врахувала результати консультації.' } });
    expect(reported.status, reported.text).toBe(201);
    await api.waitForStreams(30_000);
    expect(mailOf(followers[0]!.address).map((m) => m.subject)).toEqual(['Опубліковано звіт консультації: Реконструкція парку Шевченка']);
    expect(mailOf(followers[1]!.address).map((m) => m.subject)).toEqual(['The consultation report is published: Реконструкція парку Шевченка']);
    expect(mailOf(followers[1]!.address)[0]!.text).toContain(`${api.url}/consultations/${id}`);
    expect(mailOf(followers[2]!.address)).toEqual([]);
    // A consultation may be followed at any time, its report published or not (idempotent).
    expect((await api.request('PUT', `/v1/consultations/${id}/follow`, { token: tokens[2]! })).body).toEqual({ following: true });
    expect((await api.request('PUT', `/v1/consultations/${id}/follow`, { token: tokens[2]! })).body).toEqual({ following: true });
  });
});

describe('personal data', () => {
  it('exports the address and what the person follows; erasure removes both', async () => {
    const address = email('follower');
    const sub = `follower-${randomUUID()}`;
    const me = await api.token({ sub, email: address });
    const id = await publishPetition(await api.token({}), 'Новий сквер біля школи');
    expect((await api.request('PUT', `/v1/petitions/${id}/follow`, { token: me, headers: { 'accept-language': 'en' } })).body).toEqual({ following: true });
    const exported = (await api.request('GET', '/v1/me/data', { token: me })).body;
    expect(exported.notifications).toMatchObject({ email: address, language: 'en', kinds: ['followed'] });
    expect(exported.following).toEqual([{ type: 'petition', id }]);
    expect(await isFollowing(db, 'petition', id, sub)).toBe(true);

    const erased = await api.request('DELETE', '/v1/me/data', { token: me });
    expect(erased.body).toMatchObject({ notificationAddressRemoved: true, followsRemoved: 1 });
    const after = (await api.request('GET', '/v1/me/data', { token: me })).body;
    expect(after.notifications).toBeNull();
    expect(after.following).toEqual([]);
    expect((await api.request('GET', '/v1/me/notifications', { token: me })).body).toMatchObject({ email: null, kinds: [] });
    // Nothing of theirs is left for a fan-out to find.
    expect(await isFollowing(db, 'petition', id, sub)).toBe(false);
  });

  it('unfollows on request, and a petition not open cannot be followed', async () => {
    const me = await api.token({ email: email('unfollow') });
    const id = await publishPetition(await api.token({}), 'Велодоріжка вздовж ставу');
    await api.request('PUT', `/v1/petitions/${id}/follow`, { token: me });
    expect((await api.request('DELETE', `/v1/petitions/${id}/follow`, { token: me })).body).toEqual({ following: false });
    expect((await api.request('GET', '/v1/me/data', { token: me })).body.following).toEqual([]);
    expect((await api.request('PUT', `/v1/petitions/${randomUUID()}/follow`, { token: me })).status).toBe(404);
    expect((await api.request('PUT', `/v1/petitions/${id}/follow`, { token: await api.token({}) })).status).toBe(422);
  });
});

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
