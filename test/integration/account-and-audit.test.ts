import { randomUUID } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../shared/data/client.ts';
import { keys } from '../../shared/data/keys.ts';
import { openPetition, startTestSystem, type TestSystem } from '../support/system.ts';

let api: TestSystem;
let db: ReturnType<typeof createDocumentClient>;
beforeAll(async () => {
  api = await startTestSystem();
  db = createDocumentClient(api.dynamoEndpoint);
});
afterAll(async () => {
  await api?.stop();
  db?.destroy();
});

describe('audit trail', () => {
  it('records moderation and council responses with who and when, newest first', async () => {
    const moderatorSub = `moderator-${randomUUID()}`;
    const author = await api.token({});
    const moderator = await api.token({ sub: moderatorSub, roles: ['moderator'] });
    const created = await api.request('POST', '/v1/petitions', { token: author, body: { title: 'Audit me please now', text: 'A petition whose moderation is audited.' } });
    await api.request('POST', `/v1/petitions/${created.body.id}/moderation`, {
      token: moderator, body: { decision: 'reject', reasonCode: 'unclear', explanation: 'The request is not clear.' },
    });
    const council = await api.token({ roles: ['council'] });
    const trail = await api.request('GET', '/v1/council/audit', { token: council });
    expect(trail.status).toBe(200);
    expect(trail.body.items[0]).toMatchObject({
      action: 'petition.rejected',
      actor: { sub: moderatorSub, roles: ['moderator'] },
      target: { type: 'petition', id: created.body.id },
      detail: { reasonCode: 'unclear' },
    });
    // A refused decision (already rejected) writes no entry.
    const before = trail.body.items.length;
    expect((await api.request('POST', `/v1/petitions/${created.body.id}/moderation`, { token: moderator, body: { decision: 'publish' } })).status).toBe(409);
    expect((await api.request('GET', '/v1/council/audit', { token: council })).body.items).toHaveLength(before);
    // Citizens cannot read it; another community sees none of it.
    expect((await api.request('GET', '/v1/council/audit', { token: author })).status).toBe(403);
    const other = await api.token({ roles: ['council'], community: 'uk-style-demo' });
    expect((await api.request('GET', '/v1/council/audit', { token: other })).body.items).toEqual([]);
  });
});

describe('personal data', () => {
  it('exports a person’s signatures and petitions, and erases names where the law allows', async () => {
    const sub = `person-${randomUUID()}`;
    const me = await api.token({ sub, name: 'Марія Петренко' });
    const open = await openPetition(api);
    const closed = await openPetition(api, { title: 'Petition that will close' });
    for (const p of [open, closed]) expect((await api.request('POST', `/v1/petitions/${p.id}/signatures`, { token: me })).status).toBe(201);
    const mine = await api.request('POST', '/v1/petitions', { token: me, body: { title: 'My own petition here', text: 'Text of my own petition body.' } });

    const exported = await api.request('GET', '/v1/me/data', { token: me });
    expect(exported.status).toBe(200);
    expect(exported.body.signatures.map((s: { petitionId: string }) => s.petitionId).sort()).toEqual([open.id, closed.id].sort());
    expect(exported.body.signatures[0].publishedName).toBe('Марія Петренко');
    expect(exported.body.petitionsCreated.map((p: { petitionId: string }) => p.petitionId)).toEqual([mine.body.id]);

    await db.send(new UpdateCommand({
      TableName: api.tableName, Key: keys.petition(closed.id),
      UpdateExpression: 'SET closesAt = :past', ExpressionAttributeValues: { ':past': new Date(Date.now() - 1000).toISOString() },
    }));
    const erased = await api.request('DELETE', '/v1/me/data', { token: me });
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({ anonymisedSignatures: [closed.id], keptWhileOpen: [open.id] });
    const after = await api.request('GET', '/v1/me/data', { token: me });
    const byPetition = Object.fromEntries(after.body.signatures.map((s: { petitionId: string; publishedName: string | null }) => [s.petitionId, s.publishedName]));
    expect(byPetition).toEqual({ [open.id]: 'Марія Петренко', [closed.id]: null });
    // The count never changes by erasure.
    await api.waitForStreams();
    expect((await api.request('GET', `/v1/petitions/${closed.id}`)).body.signatureCount).toBe(1);
  });
});
