import { randomUUID } from 'node:crypto';
import { GetCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '#shared/data/client.ts';
import { keys } from '#shared/data/keys.ts';
import { ternopil, ukStyle, type CommunityConfig } from '#shared/domain/community.ts';
import { openPetition, startTestSystem, type TestSystem } from '../support/system.ts';

/** Ternopil's rules with three thresholds, so one burst crosses several. */
const multi: CommunityConfig = {
  ...ternopil,
  id: 'multi-threshold',
  petitions: {
    ...ternopil.petitions,
    thresholds: [
      { signatures: 100, purpose: 'council-consideration' },
      { signatures: 300, purpose: 'response' },
      { signatures: 450, purpose: 'debate' },
    ],
  },
};

let api: TestSystem;
let db: ReturnType<typeof createDocumentClient>;

beforeAll(async () => {
  api = await startTestSystem({ communities: [ternopil, ukStyle, multi] });
  db = createDocumentClient(api.dynamoEndpoint);
});
afterAll(async () => {
  await api?.stop();
  db.destroy();
});

async function countStoredSignatures(petitionId: string): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({
      TableName: api.tableName,
      FilterExpression: '#t = :sig AND petitionId = :id',
      ExpressionAttributeNames: { '#t': 'type' },
      ExpressionAttributeValues: { ':sig': 'signature', ':id': petitionId },
      ...(start ? { ExclusiveStartKey: start } : {}),
    }));
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
}

async function inBatches<T>(jobs: (() => Promise<T>)[], concurrency: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]!();
    }
  }));
  return results;
}

describe('petition lifecycle through the API', () => {
  it('created, queued for moderation, published, listed, answered by the council', async () => {
    const author = await api.token({});
    const moderator = await api.token({ roles: ['moderator'] });
    const created = await api.request('POST', '/v1/petitions', {
      token: author,
      body: { title: 'Нічне освітлення на вулиці Руській', text: 'Просимо встановити ліхтарі вздовж усієї вулиці Руській.' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'moderation', signatureCount: 0, closesAt: null, thresholds: [{ signatures: 300, reachedAt: null }] });
    expect(JSON.stringify(created.body)).not.toContain('authorSub');

    // Not public before moderation.
    expect((await api.request('GET', `/v1/petitions/${created.body.id}`)).status).toBe(404);
    const queue = await api.request('GET', '/v1/moderation/petitions', { token: moderator });
    expect(queue.body.items.map((p: { id: string }) => p.id)).toContain(created.body.id);

    const published = await api.request('POST', `/v1/petitions/${created.body.id}/moderation`, { token: moderator, body: { decision: 'publish' } });
    expect(published.status).toBe(200);
    expect(published.body.status).toBe('open');
    expect(Date.parse(published.body.closesAt) - Date.parse(published.body.publishedAt)).toBe(30 * 86_400_000);
    const again = await api.request('POST', `/v1/petitions/${created.body.id}/moderation`, { token: moderator, body: { decision: 'publish' } });
    expect(again.status).toBe(409);

    const detail = await api.request('GET', `/v1/petitions/${created.body.id}`);
    expect(detail.status).toBe(200);
    expect(detail.headers.get('cache-control')).toMatch(/public, max-age=\d+/);
    const etag = detail.headers.get('etag')!;
    expect((await api.request('GET', `/v1/petitions/${created.body.id}`, { headers: { 'if-none-match': etag } })).status).toBe(304);

    const list = await api.request('GET', '/v1/petitions?community=ternopil&sort=newest');
    expect(list.body.items[0].id).toBe(created.body.id);

    // Below the threshold that asks for a response, and still open: not the council's to answer yet
    // (answering is shown in the 500-signer test below and in integrity.test.ts).
    const council = await api.token({ roles: ['council'] });
    const response = await api.request('POST', `/v1/petitions/${created.body.id}/response`, {
      token: council,
      body: { decision: 'supported', text: 'Ліхтарі буде встановлено до кінця року.' },
    });
    expect(response.status).toBe(409);
    expect(response.body.type).toContain('threshold-not-reached');
  });

  it('a rejection carries its coded reason', async () => {
    const author = await api.token({});
    const moderator = await api.token({ roles: ['moderator'] });
    const created = await api.request('POST', '/v1/petitions', { token: author, body: { title: 'Заборонити все на світі', text: 'Текст, що порушує правила модерації платформи.' } });
    const rejected = await api.request('POST', `/v1/petitions/${created.body.id}/moderation`, {
      token: moderator,
      body: { decision: 'reject', reasonCode: 'not-in-competence', explanation: 'Питання не належить до повноважень міської ради.' },
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', rejection: { reasonCode: 'not-in-competence' } });
    const badReason = await api.request('POST', `/v1/petitions/${created.body.id}/moderation`, { token: moderator, body: { decision: 'reject', reasonCode: 'dislike', explanation: 'no' } });
    expect(badReason.status).toBe(400);
  });

  it('a moderator of another community cannot see or moderate it', async () => {
    const author = await api.token({});
    const created = await api.request('POST', '/v1/petitions', { token: author, body: { title: 'Сквер на Дружбі', text: 'Облаштувати сквер з деревами і лавками.' } });
    const outsider = await api.token({ roles: ['moderator'], community: 'uk-style-demo' });
    expect((await api.request('POST', `/v1/petitions/${created.body.id}/moderation`, { token: outsider, body: { decision: 'publish' } })).status).toBe(404);
    const theirQueue = await api.request('GET', '/v1/moderation/petitions', { token: outsider });
    expect(theirQueue.body.items.map((p: { id: string }) => p.id)).not.toContain(created.body.id);
  });

  it('limits how many petitions one person creates a day, leaving nothing behind when refusing', async () => {
    const author = await api.token({ sub: `prolific-${randomUUID()}` });
    const statuses: number[] = [];
    for (let i = 0; i < ternopil.petitions.maxCreatedPerPersonPerDay + 1; i++) {
      statuses.push((await api.request('POST', '/v1/petitions', { token: author, body: { title: `Petition number ${i} title`, text: 'Enough text for a petition body.' } })).status);
    }
    expect(statuses.slice(0, -1).every((s) => s === 201)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });
});

describe('signing', () => {
  it('first signing 201, any retry 200 with the same signature', async () => {
    const petition = await openPetition(api);
    const citizen = await api.token({ name: 'Олена Коваль' });
    const first = await api.request('POST', `/v1/petitions/${petition.id}/signatures`, { token: citizen });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ petitionId: petition.id, signatureCount: expect.any(Number) });
    const retry = await api.request('POST', `/v1/petitions/${petition.id}/signatures`, { token: citizen });
    expect(retry.status).toBe(200);
    expect(retry.body.id).toBe(first.body.id);
    expect(retry.body.signedAt).toBe(first.body.signedAt);
  });

  it('refuses: not published 409/404, closed 409, non-resident 403, under-age 403, malformed id 400 — and writes nothing', async () => {
    const author = await api.token({});
    const unpublished = await api.request('POST', '/v1/petitions', { token: author, body: { title: 'Ще не опублікована', text: 'Петиція, яку ще не перевірив модератор.' } });
    const signerSub = `signer-${randomUUID()}`;
    const signer = await api.token({ sub: signerSub });
    const notOpen = await api.request('POST', `/v1/petitions/${unpublished.body.id}/signatures`, { token: signer });
    expect(notOpen.status).toBe(409);

    const closed = await openPetition(api);
    await db.send(new UpdateCommand({
      TableName: api.tableName, Key: keys.petition(closed.id),
      UpdateExpression: 'SET closesAt = :past', ExpressionAttributeValues: { ':past': new Date(Date.now() - 1000).toISOString() },
    }));
    expect((await api.request('POST', `/v1/petitions/${closed.id}/signatures`, { token: signer })).status).toBe(409);

    const open = await openPetition(api);
    const outsider = await api.token({ sub: signerSub, community: 'uk-style-demo' });
    const nonResident = await api.request('POST', `/v1/petitions/${open.id}/signatures`, { token: outsider });
    expect(nonResident.status).toBe(403);
    expect(nonResident.body.type).toContain('not-resident');
    const child = await api.token({ sub: `child-${randomUUID()}`, birthdate: '2015-04-01' });
    const underAge = await api.request('POST', `/v1/petitions/${open.id}/signatures`, { token: child });
    expect(underAge.status).toBe(403);
    expect(underAge.body.type).toContain('under-age');
    expect((await api.request('POST', `/v1/petitions/not-a-uuid/signatures`, { token: signer })).status).toBe(400);

    for (const id of [unpublished.body.id, closed.id, open.id]) {
      const { Item } = await db.send(new GetCommand({ TableName: api.tableName, Key: keys.signature(signerSub, id) }));
      expect(Item).toBeUndefined();
    }
    expect(await countStoredSignatures(open.id)).toBe(0);
  });

  it('500 citizens at once with 200 repeats: 500 signatures, a count of 500, one alert per threshold', async () => {
    const petition = await openPetition(api, { community: multi.id });
    const tokens = await Promise.all(Array.from({ length: 500 }, (_, i) => api.token({ sub: `crowd-${i}-${randomUUID()}`, community: multi.id, name: `Citizen ${i}` })));
    const attempts = [...tokens, ...tokens.slice(0, 200)].sort(() => Math.random() - 0.5);
    const responses = await inBatches(attempts.map((token) => () => api.request('POST', `/v1/petitions/${petition.id}/signatures`, { token })), 32);
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(500);
    expect(statuses.filter((s) => s === 200)).toHaveLength(200);

    await api.waitForStreams(30_000);
    expect(await countStoredSignatures(petition.id)).toBe(500);
    const detail = await api.request('GET', `/v1/petitions/${petition.id}`);
    expect(detail.body.signatureCount).toBe(500);
    expect(detail.body.thresholds.map((t: { reachedAt: string | null }) => t.reachedAt !== null)).toEqual([true, true, true]);

    const council = await api.token({ roles: ['council'], community: multi.id });
    const alerts = await api.request('GET', '/v1/council/alerts', { token: council });
    const mine = alerts.body.items.filter((a: { petitionId: string }) => a.petitionId === petition.id);
    expect(mine.map((a: { threshold: number }) => a.threshold).sort((a: number, b: number) => a - b)).toEqual([100, 300, 450]);
    const delivered = api.deliveries().filter((d) => d.petitionId === petition.id);
    expect(new Set(delivered.map((d) => d.idempotencyKey)).size).toBe(3);
    expect(delivered).toHaveLength(3);

    const inbox = await api.request('GET', '/v1/council/petitions', { token: council });
    expect(inbox.body.items.map((p: { id: string }) => p.id)).toContain(petition.id);

    // The public signer list: names only, every signer exactly once across pages.
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: { name: string; signedAt: string }[]; nextCursor: string | null } } =
        await api.request('GET', `/v1/petitions/${petition.id}/signers?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      for (const item of page.body.items) {
        expect(Object.keys(item).sort()).toEqual(['name', 'signedAt']);
        names.push(item.name);
      }
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(names).toHaveLength(500);
    expect(new Set(names).size).toBe(500);

    // Responding takes it out of the council's inbox; a second answer is refused.
    expect((await api.request('POST', `/v1/petitions/${petition.id}/response`, { token: council, body: { decision: 'noted', text: 'Розглянуто на сесії ради.' } })).status).toBe(200);
    expect((await api.request('POST', `/v1/petitions/${petition.id}/response`, { token: council, body: { decision: 'noted', text: 'Second answer here' } })).status).toBe(409);
    const after = await api.request('GET', '/v1/council/petitions', { token: council });
    expect(after.body.items.map((p: { id: string }) => p.id)).not.toContain(petition.id);

    // Open data: counts over time.
    const json = await api.request('GET', `/v1/petitions/${petition.id}/export`);
    expect(json.body.signatureCounts.at(-1).signatureCount).toBe(500);
    const csv = await api.request('GET', `/v1/petitions/${petition.id}/export?format=csv`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.text.split('\n')[0]).toBe('petition_id,title,status,hour,signature_count');
    expect(csv.text).toContain(',500');
  }, 120_000);

  it('lists most signed and ending soon', async () => {
    const community: CommunityConfig = { ...ternopil, id: `sorting-${randomUUID().slice(0, 6)}` };
    const { putCommunity } = await import('#shared/data/communities.ts');
    await putCommunity(db, community);
    const a = await openPetition(api, { community: community.id, title: 'Petition A for sorting' });
    const b = await openPetition(api, { community: community.id, title: 'Petition B for sorting' });
    for (let i = 0; i < 3; i++) await api.request('POST', `/v1/petitions/${b.id}/signatures`, { token: await api.token({ community: community.id }) });
    await api.waitForStreams(20_000);
    const most = await api.request('GET', `/v1/petitions?community=${community.id}&sort=most-signed`);
    expect(most.body.items.map((p: { id: string }) => p.id)).toEqual([b.id, a.id]);
    const ending = await api.request('GET', `/v1/petitions?community=${community.id}&sort=ending-soon&limit=1`);
    expect(ending.body.items.map((p: { id: string }) => p.id)).toEqual([a.id]);
    const next = await api.request('GET', `/v1/petitions?community=${community.id}&sort=ending-soon&limit=1&cursor=${ending.body.nextCursor}`);
    expect(next.body.items.map((p: { id: string }) => p.id)).toEqual([b.id]);
  });
});
