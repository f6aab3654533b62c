import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ternopil, type CommunityConfig } from '#shared/domain/community.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';

const town: CommunityConfig = { ...ternopil, id: 'search-town' };
const other: CommunityConfig = { ...ternopil, id: 'search-other' };
const FINDABLE_WITHIN_MS = 10_000;

let api: TestSystem;
beforeAll(async () => {
  api = await startTestSystem({ communities: [town, other] });
});
afterAll(async () => {
  await api?.stop();
});

type Hit = { type: string; id: string; title: string; snippet: string; highlights: [number, number][]; status: string; url: string };
const search = async (q: string, params = '', community = town.id) =>
  api.request<{ items: Hit[]; nextCursor: string | null }>('GET', `/v1/search?community=${community}&q=${encodeURIComponent(q)}${params}`);

/** Polls until `ids` are found by `q` (the index is eventually current), at most 10 s after `since`. */
async function findable(q: string, id: string, since: number): Promise<number> {
  for (;;) {
    const res = await search(q);
    if (res.body.items?.some((h) => h.id === id)) return Date.now() - since;
    if (Date.now() - since > FINDABLE_WITHIN_MS) throw new Error(`${id} not findable by "${q}" within ${FINDABLE_WITHIN_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function petition(community: string, title: string, text: string, decision?: Record<string, unknown>, draft = false) {
  const author = await api.token({ community });
  const created = await api.request('POST', '/v1/petitions', { token: author, body: { title, text, ...(draft ? { draft } : {}) } });
  expect(created.status).toBe(201);
  if (decision) {
    const moderator = await api.token({ roles: ['moderator'], community });
    expect((await api.request('POST', `/v1/petitions/${created.body.id}/moderation`, { token: moderator, body: decision })).status).toBe(200);
  }
  return created.body.id as string;
}

describe('search', () => {
  const ids: Record<string, string> = {};
  let started: number;

  beforeAll(async () => {
    started = Date.now();
    ids.benches = await petition(town.id, 'Більше лавок у парку Шевченка', 'Просимо встановити двадцять нових лавок уздовж алей. Пʼять із них біля фонтану.', { decision: 'publish' });
    ids.light = await petition(town.id, 'Нічне освітлення на вулиці Руській', 'Лавка біля зупинки стоїть у темряві; потрібні ліхтарі.', { decision: 'publish' });
    ids.draft = await petition(town.id, 'Чернетка про дельфінарій', 'Текст чернетки про дельфінарій, нікому не показаний.', undefined, true);
    ids.queued = await petition(town.id, 'Петиція про обсерваторію', 'Текст про обсерваторію, що чекає модерації.');
    ids.withheld = await petition(town.id, 'Образа про аквапарк сусіда', 'Образливий текст про аквапарк і конкретну людину.', {
      decision: 'reject', reasonCode: 'offensive', explanation: 'Образливий зміст.',
    });
    ids.refused = await petition(town.id, 'Побудувати космодром на озері', 'Будівництво космодрому не належить до повноважень ради.', {
      decision: 'reject', reasonCode: 'not-in-competence', explanation: 'Не належить до повноважень ради.',
    });
    ids.elsewhere = await petition(other.id, 'Лавки для іншої громади', 'Нові лавки в сквері іншої громади.', { decision: 'publish' });
    const council = await api.token({ roles: ['council'], community: town.id });
    const consultation = await api.request('POST', '/v1/consultations', {
      token: council,
      body: {
        title: 'Реконструкція набережної ставу',
        draftText: 'Проєкт рішення: нові лавки, освітлення і велодоріжка вздовж набережної.',
        opensAt: new Date(Date.now() - 3_600_000).toISOString(),
        closesAt: new Date(Date.now() + 86_400_000).toISOString(),
        questions: [{ id: 'q', type: 'single', text: 'Підтримуєте?', options: [{ id: 'y', text: 'Так' }, { id: 'n', text: 'Ні' }] }],
      },
    });
    expect(consultation.status).toBe(201);
    ids.consultation = consultation.body.id;
  });

  it('a new item is findable within 10 s', async () => {
    const elapsed = await findable('набережна', ids.consultation!, started);
    expect(elapsed).toBeLessThanOrEqual(FINDABLE_WITHIN_MS);
    await findable('лавка', ids.light!, started);
  });

  it('finds inflected and differently-cased Ukrainian words, with a snippet showing the match', async () => {
    for (const q of ['лавка', 'ЛАВКАМИ', 'лавки', 'Лавок']) {
      const res = await search(q);
      expect(res.status).toBe(200);
      const found = res.body.items.map((h) => h.id);
      expect(found, q).toEqual(expect.arrayContaining([ids.benches, ids.light, ids.consultation]));
    }
    const res = await search('лавками');
    // A title match ranks first.
    expect(res.body.items[0]!.id).toBe(ids.benches);
    const light = res.body.items.find((h) => h.id === ids.light)!;
    expect(light).toMatchObject({ type: 'petition', status: 'open', url: `/v1/petitions/${ids.light}`, title: 'Нічне освітлення на вулиці Руській' });
    expect(light.snippet).toContain('Лавка біля зупинки');
    const [a, b] = light.highlights[0]!;
    expect(light.snippet.slice(a, b)).toBe('Лавка');
    const consultation = res.body.items.find((h) => h.id === ids.consultation)!;
    expect(consultation).toMatchObject({ type: 'consultation', status: 'open' });
  });

  it('is apostrophe-insensitive and forgives one typo in words of 5+ letters', async () => {
    for (const q of ["п'ять", 'пʼять', 'п’ять', 'ПЯТЬ']) expect((await search(q)).body.items.map((h) => h.id), q).toEqual([ids.benches]);
    expect((await search('Шевчнка')).body.items.map((h) => h.id)).toEqual([ids.benches]);
    expect((await search('освітленя')).body.items.map((h) => h.id)).toEqual(expect.arrayContaining([ids.light, ids.consultation]));
    expect((await search('лавка парк')).body.items.map((h) => h.id)).toEqual([ids.benches]);
  });

  it('never returns an unpublished or withheld item, nor another community\'s', async () => {
    // Indexed by now (the consultation created after them is).
    await findable('набережна', ids.consultation!, started);
    for (const q of ['дельфінарій', 'обсерваторія', 'аквапарк', 'Образливий']) expect((await search(q)).body.items, q).toEqual([]);
    // A rejection whose reason leaves it public stays findable, as rejected.
    expect((await search('космодром')).body.items).toEqual([expect.objectContaining({ id: ids.refused, status: 'rejected' })]);
    const all = await search('лавки', '&limit=100');
    expect(all.body.items.map((h) => h.id)).not.toContain(ids.elsewhere);
    expect((await search('лавки', '', other.id)).body.items.map((h) => h.id)).toEqual([ids.elsewhere]);
  });

  it('a petition is findable within 10 s of its publication', async () => {
    const moderator = await api.token({ roles: ['moderator'], community: town.id });
    const at = Date.now();
    expect((await api.request('POST', `/v1/petitions/${ids.queued}/moderation`, { token: moderator, body: { decision: 'publish' } })).status).toBe(200);
    expect(await findable('обсерваторії', ids.queued!, at)).toBeLessThanOrEqual(FINDABLE_WITHIN_MS);
  });

  it('filters by type, pages with a signed cursor bound to the search, refuses bad input', async () => {
    expect((await search('лавки', '&type=consultation')).body.items.map((h) => h.id)).toEqual([ids.consultation]);
    expect((await search('лавки', '&type=project')).body.items).toEqual([]);
    const first = await search('лавки', '&limit=1');
    expect(first.body.items).toHaveLength(1);
    const seen = [first.body.items[0]!.id];
    let cursor = first.body.nextCursor;
    while (cursor) {
      const next = await search('лавки', `&limit=1&cursor=${encodeURIComponent(cursor)}`);
      expect(next.status).toBe(200);
      seen.push(...next.body.items.map((h) => h.id));
      cursor = next.body.nextCursor;
    }
    expect(seen.sort()).toEqual([ids.benches!, ids.light!, ids.consultation!].sort());
    expect((await search('ліхтарі', `&limit=1&cursor=${encodeURIComponent(first.body.nextCursor!)}`)).status).toBe(400);
    for (const q of ['', '   ', '!!!', 'x'.repeat(201)]) {
      const bad = await search(q);
      expect(bad.status, JSON.stringify(q)).toBe(400);
      expect(bad.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await search('лавки', '&type=budget')).status).toBe(400);
  });

describe('which communities are searched', () => {
  it('a community this deployment serves answers even with nothing in it; any other is refused (403 unknown-community)', async () => {
    const empty: CommunityConfig = { ...ternopil, id: 'search-empty' };
    const { putCommunity } = await import('#shared/data/communities.ts');
    const { createDocumentClient } = await import('#shared/data/client.ts');
    const db = createDocumentClient(api.dynamoEndpoint);
    await putCommunity(db, empty);
    db.destroy();
    await api.waitForStreams(30_000);
    const served = await search('лавка', '', empty.id);
    expect(served.status).toBe(200);
    expect(served.body.items).toEqual([]);
    const unknown = await search('лавка', '', 'nobody-lives-here');
    expect(unknown.status).toBe(403);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    expect((unknown.body as unknown as { type: string }).type).toContain('unknown-community');
  });
});
});
