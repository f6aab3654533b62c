import { randomUUID } from 'node:crypto';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '#shared/data/client.ts';
import { keys } from '#shared/data/keys.ts';
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

describe('a person who signed their own petition', () => {
  it('can export and erase their data (the petition is read once, not twice in one batch)', async () => {
    const sub = `author-${randomUUID()}`;
    const me = await api.token({ sub, name: 'Олег Автор' });
    const moderator = await api.token({ sub: `moderator-${randomUUID()}`, roles: ['moderator'] });
    const created = await api.request('POST', '/v1/petitions', { token: me, body: { title: 'Моя петиція про сквер', text: 'Просимо облаштувати сквер біля школи.' } });
    expect(created.status).toBe(201);
    expect((await api.request('POST', `/v1/petitions/${created.body.id}/moderation`, { token: moderator, body: { decision: 'publish' } })).status).toBe(200);
    expect((await api.request('POST', `/v1/petitions/${created.body.id}/signatures`, { token: me })).status).toBe(201);

    const exported = await api.request('GET', '/v1/me/data', { token: me });
    expect(exported.status, exported.text).toBe(200);
    expect(exported.body.signatures.map((s: { petitionId: string }) => s.petitionId)).toEqual([created.body.id]);
    expect(exported.body.petitionsCreated.map((p: { petitionId: string }) => p.petitionId)).toEqual([created.body.id]);
    const erased = await api.request('DELETE', '/v1/me/data', { token: me });
    expect(erased.status, erased.text).toBe(200);
    expect(erased.body).toMatchObject({ keptWhileOpen: [created.body.id] });
  });
});

describe('personal data: complete export, drafts erased (issue 14)', () => {
  it('exports budget projects, pre-supports, consultation comments and proposals; erasure deletes never-submitted drafts only', async () => {
    const sub = `complete-${randomUUID()}`;
    const me = await api.token({ sub, name: 'Оксана Мельник' });
    const council = await api.token({ roles: ['council'] });
    const now = Date.now();
    const day = 86_400_000;
    const at = (days: number) => new Date(now + days * day - 60_000).toISOString();

    // A budget collecting projects and pre-supports: one project of mine, one I support.
    const budget = await api.request('POST', '/v1/budgets', {
      token: council,
      body: {
        kind: 'public', title: 'Бюджет для експорту даних', money: { currency: 'UAH', total: 1_000_000 },
        schedule: { submission: at(0), preSupport: at(1), review: at(2), voting: at(3), results: at(4), implementation: at(5) },
        preSupport: { required: 5 },
        ballotRules: { type: 'approval', projects: { min: 1, max: 3 } },
        rule: { name: 'greedy', rankBy: 'votes' },
      },
    });
    expect(budget.status, budget.text).toBe(201);
    const project = (title: string) => ({ title, description: 'Опис проєкту, достатньо довгий для правил.', cost: 50_000 });
    const mine = await api.request('POST', `/v1/budgets/${budget.body.id}/projects`, { token: me, body: project('Мій проєкт: лавки') });
    expect(mine.status, mine.text).toBe(201);
    const theirs = await api.request('POST', `/v1/budgets/${budget.body.id}/projects`, { token: await api.token({}), body: project('Чужий проєкт: ліхтарі') });
    expect(theirs.status, theirs.text).toBe(201);
    expect((await api.request('POST', `/v1/budgets/${budget.body.id}/projects/${theirs.body.id}/supports`, { token: me })).status).toBe(201);

    // A consultation where I comment and propose.
    const consultation = await api.request('POST', '/v1/consultations', {
      token: council,
      body: {
        title: 'Консультація для експорту', opensAt: new Date(now - 3_600_000).toISOString(), closesAt: new Date(now + day).toISOString(),
        resultsVisibility: 'live', questions: [{ id: 'q', type: 'open', text: 'Ваші ідеї?' }],
      },
    });
    expect(consultation.status, consultation.text).toBe(201);
    const comment = await api.request('POST', `/v1/consultations/${consultation.body.id}/comments`, { token: me, body: { text: 'Мій коментар до проєкту' } });
    const proposal = await api.request('POST', `/v1/consultations/${consultation.body.id}/proposals`, { token: me, body: { title: 'Моя пропозиція', text: 'Текст моєї пропозиції, досить довгий.' } });
    expect([comment.status, proposal.status]).toEqual([201, 201]);

    // A draft never submitted, and a petition submitted for moderation.
    const draft = await api.request('POST', '/v1/petitions', { token: me, body: { title: 'Моя чернетка петиції', text: 'Чернетка, яку ніхто не бачив.', draft: true } });
    const submitted = await api.request('POST', '/v1/petitions', { token: me, body: { title: 'Моя подана петиція', text: 'Петиція, подана на модерацію.' } });
    expect([draft.status, submitted.status]).toEqual([201, 201]);

    const exported = await api.request('GET', '/v1/me/data', { token: me });
    expect(exported.status).toBe(200);
    expect(exported.body.budgetProjects).toEqual([expect.objectContaining({ budgetId: budget.body.id, projectId: mine.body.id, title: 'Мій проєкт: лавки', cost: 50_000 })]);
    expect(exported.body.budgetPreSupports).toEqual([expect.objectContaining({ budgetId: budget.body.id, projectId: theirs.body.id, projectTitle: 'Чужий проєкт: ліхтарі' })]);
    expect(exported.body.consultationComments).toEqual([expect.objectContaining({ consultationId: consultation.body.id, id: comment.body.id, text: 'Мій коментар до проєкту' })]);
    expect(exported.body.consultationProposals).toEqual([expect.objectContaining({ consultationId: consultation.body.id, id: proposal.body.id, title: 'Моя пропозиція' })]);
    expect(exported.body.petitionsCreated.map((p: { petitionId: string }) => p.petitionId).sort()).toEqual([draft.body.id, submitted.body.id].sort());
    expect(exported.body.notIncluded).toMatch(/ballot/i);

    const erased = await api.request('DELETE', '/v1/me/data', { token: me });
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({ draftsDeleted: [draft.body.id], petitionsCreatedKept: 1, budgetProjectsKept: 1, consultationContributionsKept: 2 });
    const { Item: draftItem } = await db.send(new GetCommand({ TableName: api.tableName, Key: keys.petition(draft.body.id) }));
    expect(draftItem).toBeUndefined();
    const { Item: submittedItem } = await db.send(new GetCommand({ TableName: api.tableName, Key: keys.petition(submitted.body.id) }));
    expect(submittedItem?.status).toBe('moderation');
    const after = await api.request('GET', '/v1/me/data', { token: me });
    expect(after.body.petitionsCreated.map((p: { petitionId: string }) => p.petitionId)).toEqual([submitted.body.id]);
    // Submitting the erased draft finds nothing.
    expect((await api.request('POST', `/v1/petitions/${draft.body.id}/submit`, { token: me })).status).toBe(404);
  });
});
