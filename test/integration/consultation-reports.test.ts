import { randomUUID } from 'node:crypto';
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '#shared/data/client.ts';
import { ternopil, ukStyle } from '#shared/domain/community.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';

let api: TestSystem;
let db: DynamoDBDocumentClient;

beforeAll(async () => {
  api = await startTestSystem({ communities: [ternopil, ukStyle] });
  db = createDocumentClient(api.dynamoEndpoint);
});
afterAll(async () => {
  await api?.stop();
  db.destroy();
});

const hour = 3_600_000;

async function publishConsultation(title: string, community = 'ternopil') {
  const council = await api.token({ sub: `council-${randomUUID()}`, roles: ['council'], community });
  const created = await api.request('POST', '/v1/consultations', {
    token: council,
    body: {
      title,
      draftText: 'Проєкт рішення про реконструкцію парку імені Тараса Шевченка.',
      opensAt: new Date(Date.now() - hour).toISOString(),
      closesAt: new Date(Date.now() + 24 * hour).toISOString(),
      questions: [{ id: 'support', type: 'single', text: 'Do you support the draft?', options: [{ id: 'yes', text: 'Так' }, { id: 'no', text: 'Ні' }] }],
    },
  });
  if (created.status !== 201) throw new Error(`create failed: ${created.status} ${created.text}`);
  return created.body.id as string;
}

async function comment(consultation: string, text: string, community = 'ternopil') {
  const posted = await api.request('POST', `/v1/consultations/${consultation}/comments`, { token: await api.token({ community }), body: { text } });
  if (posted.status !== 201) throw new Error(`comment failed: ${posted.status} ${posted.text}`);
  return posted.body.id as string;
}

type QueueItem = { id: string; kind: string; text: string; consultationTitle: string; reportCount: number; reasons: Record<string, number>; status: string; hidden: unknown };

async function queue(token: string, state: 'reported' | 'hidden', community?: string) {
  const query = new URLSearchParams({ state, limit: '100', ...(community ? { community } : {}) });
  return api.request<{ items: QueueItem[]; nextCursor: string | null }>('GET', `/v1/moderation/contributions?${query}`, { token });
}

describe('reports of comments and proposals', () => {
  it('one report per person (a repeat 200, counted once); another person makes two; reasons tallied', async () => {
    const id = await publishConsultation('Скарги: підрахунок');
    const target = await comment(id, 'Коментар, на який скаржаться.');
    const reporter = await api.token({ sub: `reporter-${randomUUID()}` });
    const path = `/v1/consultations/${id}/comments/${target}/reports`;
    const first = await api.request('POST', path, { token: reporter, body: { reason: 'offensive', note: 'Образа сусіда.' } });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ consultationId: id, kind: 'comment', id: target, reason: 'offensive' });
    const again = await api.request('POST', path, { token: reporter, body: { reason: 'spam' } });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    // Two at once from one person: still one report.
    const racing = await api.token({ sub: `racer-${randomUUID()}` });
    const raced = await Promise.all([1, 2, 3].map(() => api.request('POST', path, { token: racing, body: { reason: 'spam' } })));
    expect(raced.map((r) => r.status).sort()).toEqual([200, 200, 201]);

    const moderator = await api.token({ roles: ['moderator'] });
    const listed = (await queue(moderator, 'reported')).body.items.find((i) => i.id === target);
    expect(listed).toMatchObject({
      kind: 'comment', text: 'Коментар, на який скаржаться.', consultationTitle: 'Скарги: підрахунок', reportCount: 2, status: 'published', hidden: null,
      reasons: { offensive: 1, spam: 1, 'personal-data': 0, 'off-topic': 0, other: 0 },
    });
    // A report item holds the person's pseudonym, never their sub.
    const { Items } = await db.send(new QueryCommand({ TableName: api.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `COMMENT#${target}` } }));
    expect(Items).toHaveLength(2);
    expect(JSON.stringify(Items)).not.toMatch(/reporter-|racer-/);
  });

  it('proposals too; refuses a hidden item (409), another community (403), one’s own (403), a bad reason (400)', async () => {
    const id = await publishConsultation('Скарги: відмови');
    const authorSub = `author-${randomUUID()}`;
    const author = await api.token({ sub: authorSub });
    const proposal = await api.request('POST', `/v1/consultations/${id}/proposals`, {
      token: author, body: { title: 'Більше лавок', text: 'Пропоную поставити двадцять лавок уздовж головної алеї.' },
    });
    const path = `/v1/consultations/${id}/proposals/${proposal.body.id}/reports`;
    expect((await api.request('POST', path, { token: await api.token({}), body: { reason: 'off-topic' } })).status).toBe(201);
    const outsider = await api.request('POST', path, { token: await api.token({ community: 'uk-style-demo' }), body: { reason: 'spam' } });
    expect(outsider.status).toBe(403);
    expect(outsider.body.type).toMatch(/not-resident$/);
    const own = await api.request('POST', path, { token: author, body: { reason: 'spam' } });
    expect(own.status).toBe(403);
    expect(own.body.type).toMatch(/own-contribution$/);
    expect((await api.request('POST', path, { token: await api.token({}), body: { reason: 'boring' } })).status).toBe(400);
    expect((await api.request('POST', path, { token: await api.token({}), body: { reason: 'other', note: 'x'.repeat(501) } })).status).toBe(400);

    const moderator = await api.token({ roles: ['moderator'] });
    const hide = { decision: 'hide', reasonCode: 'off-topic', explanation: 'Не стосується проєкту рішення.' };
    expect((await api.request('POST', `/v1/consultations/${id}/proposals/${proposal.body.id}/moderation`, { token: moderator, body: hide })).status).toBe(200);
    const late = await api.request('POST', path, { token: await api.token({}), body: { reason: 'spam' } });
    expect(late.status).toBe(409);
    expect(late.body.type).toMatch(/hidden$/);
    const uk = await api.request('POST', path, { token: await api.token({}), body: { reason: 'spam' }, headers: { 'accept-language': 'uk' } });
    expect(uk.body.title).toBe('Конфлікт');
    const hidden = (await queue(moderator, 'hidden')).body.items.find((i) => i.id === proposal.body.id);
    expect(hidden).toMatchObject({ kind: 'proposal', reportCount: 1, reasons: { 'off-topic': 1 } });
  });

  it('the queue: reported oldest first with full text; another community’s moderator refused; hide or keep takes it out', async () => {
    const id = await publishConsultation('Скарги: черга');
    const older = await comment(id, 'Перший коментар зі скаргою.');
    const newer = await comment(id, 'Другий коментар зі скаргою.');
    const quiet = await comment(id, 'Коментар без скарг.');
    for (const target of [older, newer]) {
      expect((await api.request('POST', `/v1/consultations/${id}/comments/${target}/reports`, { token: await api.token({}), body: { reason: 'spam' } })).status).toBe(201);
    }
    const moderator = await api.token({ roles: ['moderator'] });
    const reported = (await queue(moderator, 'reported')).body.items.map((i) => i.id);
    expect(reported.indexOf(older)).toBeGreaterThanOrEqual(0);
    expect(reported.indexOf(older)).toBeLessThan(reported.indexOf(newer));
    expect(reported).not.toContain(quiet);

    const outsider = await api.token({ roles: ['moderator'], community: 'uk-style-demo' });
    const refused = await queue(outsider, 'reported', 'ternopil');
    expect(refused.status).toBe(403);
    expect(refused.text).toMatch(/other-community/);
    expect((await queue(outsider, 'reported')).body.items.map((i) => i.id)).not.toContain(older);
    expect((await queue(await api.token({}), 'reported')).status).toBe(403);

    // Hide the older: out of the reported queue, first in the hidden list, its text readable there.
    const hide = { decision: 'hide', reasonCode: 'spam', explanation: 'Реклама стороннього сайту.' };
    expect((await api.request('POST', `/v1/consultations/${id}/comments/${older}/moderation`, { token: moderator, body: hide })).status).toBe(200);
    // Keep the newer: "publish" on a reported visible comment reviews it; a second keep is a 409.
    const keep = await api.request('POST', `/v1/consultations/${id}/comments/${newer}/moderation`, { token: moderator, body: { decision: 'publish' } });
    expect(keep.status).toBe(200);
    expect(keep.body).toMatchObject({ status: 'published', text: 'Другий коментар зі скаргою.' });
    expect((await api.request('POST', `/v1/consultations/${id}/comments/${newer}/moderation`, { token: moderator, body: { decision: 'publish' } })).status).toBe(409);

    const after = (await queue(moderator, 'reported')).body.items.map((i) => i.id);
    expect(after).not.toContain(older);
    expect(after).not.toContain(newer);
    const hiddenList = (await queue(moderator, 'hidden')).body.items;
    expect(hiddenList[0]).toMatchObject({ id: older, text: 'Перший коментар зі скаргою.', status: 'hidden', hidden: { reasonCode: 'spam', explanation: 'Реклама стороннього сайту.' } });
    expect(hiddenList.map((i) => i.id)).not.toContain(newer);
    const publicList = await api.request('GET', `/v1/consultations/${id}/comments`);
    expect(publicList.body.items.find((c: { id: string }) => c.id === older)).toMatchObject({ text: null, hidden: { explanation: 'Реклама стороннього сайту.' } });

    // A new report after the review brings the kept comment back; showing the hidden one again takes it off the hidden list.
    expect((await api.request('POST', `/v1/consultations/${id}/comments/${newer}/reports`, { token: await api.token({}), body: { reason: 'other' } })).status).toBe(201);
    expect((await queue(moderator, 'reported')).body.items.find((i) => i.id === newer)).toMatchObject({ reportCount: 2 });
    expect((await api.request('POST', `/v1/consultations/${id}/comments/${older}/moderation`, { token: moderator, body: { decision: 'publish' } })).status).toBe(200);
    expect((await queue(moderator, 'hidden')).body.items.map((i) => i.id)).not.toContain(older);

    // Pages of one: the cursor walks the queue.
    const page1 = await api.request('GET', '/v1/moderation/contributions?state=reported&limit=1', { token: moderator });
    expect(page1.body.items).toHaveLength(1);
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const page2 = await api.request('GET', `/v1/moderation/contributions?state=reported&limit=1&cursor=${encodeURIComponent(page1.body.nextCursor)}`, { token: moderator });
    expect(page2.status).toBe(200);
  });
});
