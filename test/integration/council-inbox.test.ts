import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ternopil, ukStyle, type CommunityConfig } from '#shared/domain/community.ts';
import { openPetition, startTestSystem, type TestSystem } from '../support/system.ts';

/** A small community: 3 signatures ask for the council's consideration, answered within 10 working days. */
const small: CommunityConfig = {
  ...ternopil,
  id: 'council-inbox-demo',
  petitions: { ...ternopil.petitions, thresholds: [{ signatures: 3, purpose: 'council-consideration' }], responseWorkingDays: 10 },
};

let api: TestSystem;
beforeAll(async () => {
  api = await startTestSystem({ communities: [ternopil, ukStyle, small] });
});
afterAll(async () => {
  await api?.stop();
});

describe('the council’s inbox API', () => {
  it('alerts carry a private ETag: 304 without a body while unchanged, 200 with the new alert after a crossing', async () => {
    const council = await api.token({ sub: `council-${randomUUID()}`, roles: ['council'], community: small.id });
    const first = await api.request('GET', '/v1/council/alerts', { token: council });
    expect(first.status).toBe(200);
    expect(first.body.items).toEqual([]);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^W\/".+"$/);
    expect(first.headers.get('cache-control')).toBe('private, no-cache');

    const unchanged = await api.request('GET', '/v1/council/alerts', { token: council, headers: { 'if-none-match': etag! } });
    expect(unchanged.status).toBe(304);
    expect(unchanged.text).toBe('');

    const petition = await openPetition(api, { community: small.id, title: 'Нова зупинка біля школи №5' });
    for (let i = 0; i < 3; i++) {
      const signer = await api.token({ community: small.id });
      expect((await api.request('POST', `/v1/petitions/${petition.id}/signatures`, { token: signer })).status).toBe(201);
    }
    await api.waitForStreams(30_000);
    const changed = await api.request('GET', '/v1/council/alerts', { token: council, headers: { 'if-none-match': etag! } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(changed.body.items.map((a: { petitionId: string; threshold: number }) => [a.petitionId, a.threshold])).toEqual([[petition.id, 3]]);

    // Another community's council sees none of it, and its ETag is not this one.
    const other = await api.token({ sub: `council-${randomUUID()}`, roles: ['council'], community: 'ternopil' });
    const theirs = await api.request('GET', '/v1/council/alerts', { token: other, headers: { 'if-none-match': changed.headers.get('etag')! } });
    expect(theirs.status).toBe(200);
    expect(theirs.body.items.some((a: { petitionId: string }) => a.petitionId === petition.id)).toBe(false);

    // The awaiting list says when the answer is due: 10 working days after the day it was reached.
    const inbox = await api.request('GET', '/v1/council/petitions', { token: council });
    expect(inbox.status).toBe(200);
    const item = inbox.body.items.find((p: { id: string }) => p.id === petition.id);
    // Ten working days are 12 to 14 calendar days, depending on the weekday it was reached.
    expect(item.responseDue.daysLeft).toBeGreaterThanOrEqual(12);
    expect(item.responseDue.daysLeft).toBeLessThanOrEqual(14);
    expect(item.responseDue.dueOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const due = new Date(`${item.responseDue.dueOn}T12:00:00Z`).getUTCDay();
    expect([1, 2, 3, 4, 5]).toContain(due);
  });

});
