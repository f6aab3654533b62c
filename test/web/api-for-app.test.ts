import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { negotiateLanguage } from '../../shared/i18n/problems.ts';
import { openPetition, startTestSystem, type TestSystem } from '../support/system.ts';

/** What the web app needs from the API: its own signature, and problems in the person's language. */
let api: TestSystem;
beforeAll(async () => {
  api = await startTestSystem();
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
