/**
 * People hear that a petition closed (issue 13), on DynamoDB Local and the local SMTP server: the
 * close-petitions schedule (run here directly, as its interval would) records each closing once,
 * and the real stream consumers (events -> fan-out -> sender) turn the record into e-mails.
 */
import { randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ClosingRun } from '#shared/app/petition-closings.ts';
import { createDocumentClient } from '#shared/data/client.ts';
import { keys } from '#shared/data/keys.ts';
import { ternopil } from '#shared/domain/community.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { setPetitionDeadline } from '../support/petition-deadline.ts';

let db: ReturnType<typeof createDocumentClient>;
let api: TestSystem;

beforeAll(async () => {
  db = createDocumentClient(inject('dynamoEndpoint'));
  api = await startTestSystem({ communities: [ternopil] });
});
afterAll(async () => {
  await api?.stop();
  db?.destroy();
});

const email = (name: string) => `${name}-${randomUUID().slice(0, 8)}@example.com`;
const mailOf = (address: string) => api.mail.messages(address);
const closedSubject = (lang: 'uk' | 'en', title: string) => (lang === 'en' ? `Signing has closed: ${title}` : `Збір підписів завершено: ${title}`);

async function publishPetition(authorToken: string, title: string): Promise<string> {
  const moderator = await api.token({ sub: `moderator-${randomUUID()}`, roles: ['moderator'] });
  const created = await api.request('POST', '/v1/petitions', { token: authorToken, body: { title, text: 'Просимо встановити нові лавки вздовж усіх алей парку.' } });
  expect(created.status, created.text).toBe(201);
  const published = await api.request('POST', `/v1/petitions/${created.body.id}/moderation`, { token: moderator, body: { decision: 'publish' } });
  expect(published.status, published.text).toBe(200);
  return created.body.id as string;
}

async function sign(id: string, address: string, notify: boolean, lang: 'uk' | 'en') {
  const res = await api.request('POST', `/v1/petitions/${id}/signatures`, {
    token: await api.token({ email: address }),
    headers: { 'accept-language': lang === 'en' ? 'en-GB,en;q=0.9' : 'uk-UA,uk;q=0.9' },
    ...(notify ? { body: { notify: true } } : {}),
  });
  expect(res.status, res.text).toBe(201);
}

/** Moves a petition's deadline (and its "ending soon" index key) into the past. */
async function closeAt(id: string, closesAt: string) {
  await setPetitionDeadline(db, api.tableName, id, closesAt);
}

describe('signers who asked, followers and the author hear that a petition closed, once', () => {
  it('records the closing once however often the job runs; each who asked gets one message in their language with the final count', async () => {
    const authorAddress = email('author');
    const author = await api.token({ email: authorAddress });
    expect((await api.request('PUT', '/v1/me/notifications', { token: author, body: { language: 'uk', kinds: ['own'] } })).status).toBe(200);
    const title = 'Лавки в парку Топільче';
    const id = await publishPetition(author, title);
    const stillOpen = await publishPetition(await api.token({}), 'Фонтан на Театральному майдані');

    const asked = [
      { address: email('asked-uk1'), lang: 'uk' as const },
      { address: email('asked-en'), lang: 'en' as const },
      { address: email('asked-uk2'), lang: 'uk' as const },
    ];
    const silent = [email('silent1'), email('silent2')];
    const follower = email('follower');
    for (const s of asked) await sign(id, s.address, true, s.lang);
    for (const address of silent) await sign(id, address, false, 'uk');
    const followed = await api.request('PUT', `/v1/petitions/${id}/follow`, { token: await api.token({ email: follower }), headers: { 'accept-language': 'uk' } });
    expect(followed.body).toEqual({ following: true });
    // Someone who asked to hear about the petition that is still open.
    const waiting = email('waiting');
    await sign(stillOpen, waiting, true, 'en');
    await api.waitForStreams(30_000);
    const counted = await db.send(new GetCommand({ TableName: api.tableName, Key: keys.petitionCount(id), ConsistentRead: true }));
    expect(counted.Item?.signatureCount).toBe(5);

    // Its deadline passed five minutes ago (signatures were counted well before it).
    await closeAt(id, new Date(Date.now() - 5 * 60_000).toISOString());

    const first = (await api.runSchedule('closePetitions')) as ClosingRun;
    expect(first).toEqual({ communities: 1, recorded: [id], alreadyRecorded: 0 });
    await api.waitForStreams(30_000);
    const second = (await api.runSchedule('closePetitions')) as ClosingRun;
    expect(second).toEqual({ communities: 1, recorded: [], alreadyRecorded: 1 });
    // Even a run that looks at the whole window again (its watermark lost) records nothing twice.
    await db.send(new DeleteCommand({ TableName: api.tableName, Key: keys.closingWatermark('ternopil') }));
    expect(await api.runSchedule('closePetitions')).toEqual({ communities: 1, recorded: [], alreadyRecorded: 1 });
    await api.waitForStreams(30_000);

    const record = await db.send(new GetCommand({ TableName: api.tableName, Key: keys.petitionClosed(id) }));
    expect(record.Item).toMatchObject({ type: 'petition-closed', petitionId: id, title, community: 'ternopil', signatureCount: 5 });

    for (const { address, lang } of asked) {
      const mails = mailOf(address);
      expect(mails.map((m) => m.subject), address).toEqual([closedSubject(lang, title)]);
      expect(mails[0]!.text).toContain(lang === 'en' ? 'The final count: 5 signatures.' : 'Остаточний підсумок: 5 підписів.');
      expect(mails[0]!.text).toContain(`${api.url}/petitions/${id}`);
      expect(mails[0]!.html).toContain(`href="${api.url}/petitions/${id}"`);
      expect(mails[0]!.headers['list-unsubscribe']).toMatch(/^<http:\/\/127\.0\.0\.1:\d+\/v1\/notifications\/unsubscribe\?token=[^>]+>$/);
    }
    expect(mailOf(follower).map((m) => m.subject)).toEqual([closedSubject('uk', title)]);
    // The author (who chose `own`) heard of the publication, and now of the closing: once.
    expect(mailOf(authorAddress).map((m) => m.subject).filter((s) => s.startsWith('Збір підписів'))).toEqual([closedSubject('uk', title)]);
    expect(mailOf(authorAddress)[mailOf(authorAddress).length - 1]!.text).toContain('Остаточний підсумок: 5 підписів.');
    for (const address of silent) expect(mailOf(address), address).toEqual([]);
    // The petition that is still open: nothing recorded, nothing heard.
    expect(mailOf(waiting)).toEqual([]);
    expect((await db.send(new GetCommand({ TableName: api.tableName, Key: keys.petitionClosed(stillOpen) }))).Item).toBeUndefined();
    // The petition itself is as it was: published, closed by the clock.
    const view = await api.request('GET', `/v1/petitions/${id}`);
    expect(view.body).toMatchObject({ status: 'closed', signatureCount: 5 });
  }, 120_000);
});
