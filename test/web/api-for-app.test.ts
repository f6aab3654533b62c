import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ternopil, ukStyle, type CommunityConfig } from '#shared/domain/community.ts';
import { negotiateLanguage } from '#shared/i18n/problems.ts';
import { openPetition, startTestSystem, type TestSystem } from '../support/system.ts';

/** What the web app needs from the API: its own signature, and problems in the person's language. */
let api: TestSystem;
/** A community whose residents may create a few more petitions a day (this file's authors make four). */
const busyTown: CommunityConfig = { ...ternopil, id: 'busy-town', petitions: { ...ternopil.petitions, maxCreatedPerPersonPerDay: 10 } };
beforeAll(async () => {
  api = await startTestSystem({ communities: [ternopil, ukStyle, busyTown] });
});
afterAll(async () => {
  await api?.stop();
});

describe('GET /v1/petitions/{id}/signatures/mine', () => {
  it('is 404 before signing and the one stored signature after (also after a retried sign)', async () => {
    const petition = await openPetition(api);
    const citizen = await api.token({});
    const before = await api.request('GET', `/v1/petitions/${petition.id}/signatures/mine`, { token: citizen });
    expect(before.status).toBe(404);
    const first = await api.request('POST', `/v1/petitions/${petition.id}/signatures`, { token: citizen });
    const again = await api.request('POST', `/v1/petitions/${petition.id}/signatures`, { token: citizen });
    expect([first.status, again.status]).toEqual([201, 200]);
    const mine = await api.request('GET', `/v1/petitions/${petition.id}/signatures/mine`, { token: citizen });
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual({ id: first.body.id, petitionId: petition.id, signedAt: first.body.signedAt });
    // Someone else has not signed it.
    const other = await api.request('GET', `/v1/petitions/${petition.id}/signatures/mine`, { token: await api.token({}) });
    expect(other.status).toBe(404);
  });

  it('needs a signed-in citizen and a petition id', async () => {
    const petition = await openPetition(api);
    expect((await api.request('GET', `/v1/petitions/${petition.id}/signatures/mine`)).status).toBe(401);
    const bad = await api.request('GET', '/v1/petitions/not-a-uuid/signatures/mine', { token: await api.token({}) });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
  });
});

describe('problem details by Accept-Language', () => {
  it('answers in English by default and in Ukrainian when asked', async () => {
    const petition = await openPetition(api);
    const minor = await api.token({ birthdate: '2015-01-01' });
    const en = await api.request('POST', `/v1/petitions/${petition.id}/signatures`, { token: minor });
    expect(en.status).toBe(403);
    expect(en.body.title).toBe('Forbidden');
    expect(en.body.detail).toMatch(/years old/);
    const uk = await api.request('POST', `/v1/petitions/${petition.id}/signatures`, { token: minor, headers: { 'accept-language': 'uk-UA,uk;q=0.9,en;q=0.5' } });
    expect(uk.status).toBe(403);
    expect(uk.body.type).toBe(en.body.type);
    expect(uk.body.title).toBe('Заборонено');
    expect(uk.body.detail).toBe('Ви ще не досягли віку, з якого можна брати участь.');
    expect(uk.headers.get('content-language')).toBe('uk');
  });

  it('localizes validation problems and the gateway’s 401 too', async () => {
    const uk = { 'accept-language': 'uk' };
    const invalid = await api.request('GET', '/v1/petitions/nope', { headers: uk });
    expect(invalid.status).toBe(400);
    expect(invalid.body.title).toBe('Неправильний запит');
    expect(invalid.body.errors[0].location).toBe('path');
    const unauthorized = await api.request('POST', '/v1/petitions', { headers: uk, body: {} });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.body.detail).toBe('Увійдіть, щоб продовжити.');
  });

  it('negotiates by q-value, English unless Ukrainian is preferred', () => {
    expect(negotiateLanguage(undefined)).toBe('en');
    expect(negotiateLanguage('de-DE,de;q=0.9')).toBe('en');
    expect(negotiateLanguage('uk')).toBe('uk');
    expect(negotiateLanguage('en;q=0.4,uk;q=0.8')).toBe('uk');
    expect(negotiateLanguage('en-GB,uk;q=0.8')).toBe('en');
    expect(negotiateLanguage('uk;q=0,en;q=0.1')).toBe('en');
  });
});

describe('GET /v1/me/petitions', () => {
  it('lists only the caller’s own petitions, in every state, newest first, with the moderator’s reason', async () => {
    const sub = `author-${randomUUID()}`;
    const author = await api.token({ sub, community: busyTown.id });
    const moderator = await api.token({ sub: `moderator-${randomUUID()}`, roles: ['moderator'], community: busyTown.id });
    const create = async (title: string, draft = false) => {
      const res = await api.request('POST', '/v1/petitions', { token: author, body: { title, text: 'Текст петиції достатньої довжини для модерації.', ...(draft ? { draft } : {}) } });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const draft = await create('Чернетка про велодоріжки', true);
    const waiting = await create('Петиція на модерації про сквер');
    const published = await create('Опублікована петиція про ліхтарі');
    const rejected = await create('Відхилена петиція з особистими даними');
    expect((await api.request('POST', `/v1/petitions/${published}/moderation`, { token: moderator, body: { decision: 'publish' } })).status).toBe(200);
    const refused = await api.request('POST', `/v1/petitions/${rejected}/moderation`, { token: moderator, body: { decision: 'reject', reasonCode: 'personal-data', explanation: 'Текст містить особисті дані третьої особи.' } });
    expect(refused.status).toBe(200);
    // Someone else's petition is not listed.
    await openPetition(api, { community: busyTown.id });

    const mine = await api.request('GET', '/v1/me/petitions', { token: author });
    expect(mine.status).toBe(200);
    const byId = new Map(mine.body.items.map((p: { id: string }) => [p.id, p]));
    expect([...byId.keys()].sort()).toEqual([draft, waiting, published, rejected].sort());
    expect((byId.get(draft) as { status: string }).status).toBe('draft');
    expect((byId.get(waiting) as { status: string }).status).toBe('moderation');
    expect((byId.get(published) as { status: string }).status).toBe('open');
    // The public view withholds a petition rejected for personal data; its author still reads their own title.
    expect(byId.get(rejected)).toMatchObject({ status: 'rejected', title: 'Відхилена петиція з особистими даними', rejection: { reasonCode: 'personal-data' } });
    expect((await api.request('GET', `/v1/petitions/${rejected}`)).body.title).toBeNull();
    const created = mine.body.items.map((p: { createdAt: string }) => p.createdAt);
    expect(created).toEqual([...created].sort().reverse());

    // Paged with a cursor bound to this person.
    const first = await api.request('GET', '/v1/me/petitions?limit=2', { token: author });
    expect(first.body.items).toHaveLength(2);
    const second = await api.request('GET', `/v1/me/petitions?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`, { token: author });
    expect(second.status).toBe(200);
    expect([...first.body.items, ...second.body.items].map((p: { id: string }) => p.id).sort()).toEqual([...byId.keys()].sort());
    const stolen = await api.request('GET', `/v1/me/petitions?cursor=${encodeURIComponent(first.body.nextCursor)}`, { token: await api.token({}) });
    expect(stolen.status).toBe(400);
  });

  it('needs a signed-in citizen; a newcomer has none', async () => {
    expect((await api.request('GET', '/v1/me/petitions')).status).toBe(401);
    const none = await api.request('GET', '/v1/me/petitions', { token: await api.token({}) });
    expect(none.status).toBe(200);
    expect(none.body).toEqual({ items: [], nextCursor: null });
  });
});
