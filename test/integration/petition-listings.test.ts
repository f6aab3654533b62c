import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '#shared/data/client.ts';
import { ternopil, type CommunityConfig } from '#shared/domain/community.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { setPetitionDeadline } from '../support/petition-deadline.ts';

/** A community of its own, so the counts are this file's petitions only. */
const town: CommunityConfig = { ...ternopil, id: 'listing-town' };
const other: CommunityConfig = { ...ternopil, id: 'listing-other' };

let api: TestSystem;
let db: ReturnType<typeof createDocumentClient>;

beforeAll(async () => {
  api = await startTestSystem({ communities: [town, other] });
  db = createDocumentClient(api.dynamoEndpoint);
});
afterAll(async () => {
  await api?.stop();
  db.destroy();
});

const ids = (body: { items: { id: string }[] }) => body.items.map((p) => p.id).sort();

async function create(community: string, title: string, tags?: string[]) {
  const author = await api.token({ community });
  const created = await api.request('POST', '/v1/petitions', {
    token: author,
    body: { title, text: 'Текст петиції достатньої довжини для модерації.', ...(tags ? { tags } : {}) },
  });
  expect(created.status).toBe(201);
  return created.body as { id: string; tags: string[] };
}

async function moderate(community: string, id: string, body: Record<string, unknown>) {
  const moderator = await api.token({ roles: ['moderator'], community });
  const res = await api.request('POST', `/v1/petitions/${id}/moderation`, { token: moderator, body });
  expect(res.status).toBe(200);
  return res.body;
}

/** Moves the deadline into the past, as the clock would: the petition is closed. */
async function close(id: string, minutesAgo: number) {
  const closesAt = new Date(Date.now() - minutesAgo * 60_000).toISOString();
  await setPetitionDeadline(db, api.tableName, id, closesAt);
}

describe('petition listings by state', () => {
  const p: Record<string, string> = {};

  beforeAll(async () => {
    p.transport = (await create(town.id, 'Більше автобусів на Дружбі', ['Transport'])).id;
    p.parks = (await create(town.id, 'Нові лавки у парку', ['parks'])).id;
    p.closed = (await create(town.id, 'Освітлення вулиці Руської', ['transport'])).id;
    p.answered = (await create(town.id, 'Ремонт тротуару на Шевченка', ['transport'])).id;
    p.rejected = (await create(town.id, 'Перейменувати Сонце', ['misc'])).id;
    p.withheld = (await create(town.id, 'Образлива назва петиції', ['misc'])).id;
    p.draft = (await api.request('POST', '/v1/petitions', {
      token: await api.token({ community: town.id }),
      body: { title: 'Чернетка петиції тут', text: 'Текст чернетки, яку не подано на модерацію.', draft: true },
    })).body.id;
    p.elsewhere = (await create(other.id, 'Петиція іншої громади', ['transport'])).id;

    await moderate(town.id, p.transport, { decision: 'publish' });
    // The moderator corrects the author's category.
    const corrected = await moderate(town.id, p.parks, { decision: 'publish', tags: ['Парки', 'парки', 'благоустрій'] });
    expect(corrected.tags).toEqual(['парки', 'благоустрій']);
    await moderate(town.id, p.closed, { decision: 'publish' });
    await moderate(town.id, p.answered, { decision: 'publish' });
    await moderate(town.id, p.rejected, { decision: 'reject', reasonCode: 'not-in-competence', explanation: 'Не належить до повноважень ради.' });
    await moderate(town.id, p.withheld, { decision: 'reject', reasonCode: 'offensive', explanation: 'Образливий зміст.' });
    await moderate(other.id, p.elsewhere, { decision: 'publish' });
    await close(p.closed, 10);
    await close(p.answered, 5);
    const council = await api.token({ roles: ['council'], community: town.id });
    const answer = await api.request('POST', `/v1/petitions/${p.answered}/response`, {
      token: council, body: { decision: 'supported', text: 'Тротуар відремонтують навесні.' },
    });
    expect(answer.status).toBe(200);
  });

  it('lists each state, with counts per state on the first page', async () => {
    const open = await api.request('GET', `/v1/petitions?community=${town.id}&status=open`);
    expect(open.status).toBe(200);
    expect(ids(open.body)).toEqual([p.transport!, p.parks!].sort());
    expect(open.body.counts).toEqual({ open: 2, closed: 2, answered: 1, rejected: 2 });
    expect(open.body.items.find((x: { id: string }) => x.id === p.transport).tags).toEqual(['transport']);

    const closed = await api.request('GET', `/v1/petitions?community=${town.id}&status=closed`);
    // Most recently closed first.
    expect(closed.body.items.map((x: { id: string }) => x.id)).toEqual([p.answered, p.closed]);
    expect(closed.body.items.every((x: { status: string }) => x.status === 'closed')).toBe(true);

    const answered = await api.request('GET', `/v1/petitions?community=${town.id}&status=answered`);
    expect(ids(answered.body)).toEqual([p.answered]);
    expect(answered.body.items[0].response).toMatchObject({ decision: 'supported' });

    const rejected = await api.request('GET', `/v1/petitions?community=${town.id}&status=rejected`);
    expect(ids(rejected.body)).toEqual([p.rejected!, p.withheld!].sort());
    const withheld = rejected.body.items.find((x: { id: string }) => x.id === p.withheld);
    expect(withheld).toMatchObject({ title: null, text: null, contentWithheld: true, rejection: { reasonCode: 'offensive' } });
    expect(rejected.text).not.toContain('Образлива назва');
    expect(rejected.body.items.find((x: { id: string }) => x.id === p.rejected).title).toBe('Перейменувати Сонце');

    // Never a draft, never another community's petition.
    const all = [open, closed, answered, rejected].flatMap((r) => r.body.items.map((x: { id: string }) => x.id));
    expect(all).not.toContain(p.draft);
    expect(all).not.toContain(p.elsewhere);
  });

  it('sorts open petitions three ways and closed ones by count', async () => {
    for (const sort of ['newest', 'most-signed', 'ending-soon']) {
      const res = await api.request('GET', `/v1/petitions?community=${town.id}&status=open&sort=${sort}`);
      expect(res.status).toBe(200);
      expect(ids(res.body)).toEqual([p.transport!, p.parks!].sort());
    }
    // Newest published first.
    expect((await api.request('GET', `/v1/petitions?community=${town.id}&status=open`)).body.items[0].id).toBe(p.parks);
    const closed = await api.request('GET', `/v1/petitions?community=${town.id}&status=closed&sort=most-signed`);
    expect(ids(closed.body)).toEqual([p.closed!, p.answered!].sort());
    const unsupported = await api.request('GET', `/v1/petitions?community=${town.id}&status=closed&sort=ending-soon`);
    expect(unsupported.status).toBe(400);
    expect(unsupported.headers.get('content-type')).toContain('application/problem+json');
    expect((await api.request('GET', `/v1/petitions?community=${town.id}&status=withdrawn`)).status).toBe(400);
  });

  it('filters by category, counts included', async () => {
    const parks = await api.request('GET', `/v1/petitions?community=${town.id}&status=open&tag=${encodeURIComponent('Парки')}`);
    expect(ids(parks.body)).toEqual([p.parks]);
    expect(parks.body.counts).toEqual({ open: 1, closed: 0, answered: 0, rejected: 0 });
    const transport = await api.request('GET', `/v1/petitions?community=${town.id}&status=closed&tag=transport`);
    expect(ids(transport.body)).toEqual([p.closed!, p.answered!].sort());
    expect(transport.body.counts).toEqual({ open: 1, closed: 2, answered: 1, rejected: 0 });
    expect((await api.request('GET', `/v1/petitions?community=${town.id}&tag=${encodeURIComponent('=cmd()')}`)).status).toBe(400);
  });

  it('pages with signed cursors bound to their listing', async () => {
    const first = await api.request('GET', `/v1/petitions?community=${town.id}&status=closed&limit=1`);
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const seen = [first.body.items[0].id];
    let cursor: string | null = first.body.nextCursor;
    while (cursor) {
      const next = await api.request('GET', `/v1/petitions?community=${town.id}&status=closed&limit=1&cursor=${encodeURIComponent(cursor)}`);
      expect(next.status).toBe(200);
      expect(next.body.counts).toBeNull();
      seen.push(...next.body.items.map((x: { id: string }) => x.id));
      cursor = next.body.nextCursor;
    }
    expect(seen.sort()).toEqual([p.closed!, p.answered!].sort());
    // The closed listing's cursor is refused by the rejected listing and by another community's.
    const misuse = await api.request('GET', `/v1/petitions?community=${town.id}&status=rejected&limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(misuse.status).toBe(400);
    const elsewhere = await api.request('GET', `/v1/petitions?community=${other.id}&status=closed&limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(elsewhere.status).toBe(400);
  });

  it('tags are validated at creation', async () => {
    const author = await api.token({ community: town.id });
    const tooMany = await api.request('POST', '/v1/petitions', {
      token: author, body: { title: 'Забагато категорій тут', text: 'Текст петиції достатньої довжини тут.', tags: ['a1', 'b2', 'c3', 'd4', 'e5', 'f6'] },
    });
    expect(tooMany.status).toBe(400);
  });
});
