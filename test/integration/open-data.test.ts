import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { petitionColumns } from '#shared/domain/open-data/petitions.ts';
import { consultationColumns } from '#shared/domain/open-data/consultations.ts';
import { budgetColumns } from '#shared/domain/open-data/budgets.ts';
import { signaturesPerDayColumns } from '#shared/domain/open-data/signatures.ts';
import { publicPetitionsOf, type OpenDataSnapshot } from '#shared/domain/open-data/snapshot.ts';
import { createDocumentClient } from '#shared/data/client.ts';
import { keys } from '#shared/data/keys.ts';
import { ternopil, type CommunityConfig } from '#shared/domain/community.ts';
import { openDataStore, snapshotFromTable } from '#shared/open-data/snapshots.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';

const town: CommunityConfig = { ...ternopil, id: 'open-town', name: 'Відкрита громада' };
const other: CommunityConfig = { ...ternopil, id: 'open-other' };
let api: TestSystem;

beforeAll(async () => {
  api = await startTestSystem({ communities: [town, other] });
});
afterAll(async () => {
  await api?.stop();
});

async function petition(community: string, title: string, decision?: Record<string, unknown>, tags?: string[]) {
  const created = await api.request('POST', '/v1/petitions', {
    token: await api.token({ community }),
    body: { title, text: 'Текст петиції достатньої довжини для відкритих даних.', ...(tags ? { tags } : {}) },
  });
  expect(created.status).toBe(201);
  if (decision) {
    const moderator = await api.token({ roles: ['moderator'], community });
    expect((await api.request('POST', `/v1/petitions/${created.body.id}/moderation`, { token: moderator, body: decision })).status).toBe(200);
  }
  return created.body.id as string;
}

const csvRows = async (community = town.id) => {
  const res = await api.request('GET', `/v1/open-data/petitions?community=${community}&format=csv`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  // A strict parser: every record has the header's fields, quotes are balanced, nothing is relaxed.
  const records = parse(res.text, { columns: true, relax_quotes: false, relax_column_count: false, skip_empty_lines: false, bom: false }) as Record<string, string>[];
  expect(res.text.split('\n')[0]).toBe(petitionColumns.join(','));
  return records;
};

describe('open data', () => {
  it('the catalogue lists the petitions dataset, DCAT-style, CC BY 4.0, with working URLs', async () => {
    await petition(town.id, 'Каталог: перша петиція', { decision: 'publish' });
    // Datasets are kept from the stream: the publication reaches them within seconds, not at once.
    await api.waitForStreams(30_000);
    const res = await api.request('GET', `/v1/open-data?community=${town.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/public, max-age=\d+/);
    const [dataset] = res.body.datasets;
    expect(dataset).toMatchObject({
      id: 'open-town-petitions', publisher: 'Відкрита громада', formats: ['CSV', 'JSON'],
      license: { id: 'CC-BY-4.0', url: 'https://creativecommons.org/licenses/by/4.0/' },
      columns: [...petitionColumns],
    });
    expect(Date.parse(dataset.modified)).not.toBeNaN();
    for (const distribution of dataset.distributions) {
      const got = await api.request('GET', distribution.url);
      expect(got.status, distribution.url).toBe(200);
      expect(got.headers.get('content-type')).toContain(distribution.format === 'CSV' ? 'text/csv' : 'application/json');
    }
  });

  it('CSV: strict, formula-guarded, withheld titles empty, drafts and other communities absent; JSON has the same columns', async () => {
    const formula = await petition(town.id, '=HYPERLINK("http://x") лавки', { decision: 'publish' }, ['парки', 'транспорт']);
    const withheld = await petition(town.id, 'Образлива назва для приховування', { decision: 'reject', reasonCode: 'offensive', explanation: 'Образливий зміст.' });
    const draft = await petition(town.id, 'На модерації, не публічна');
    const elsewhere = await petition(other.id, 'Петиція іншої громади тут', { decision: 'publish' });
    // The dataset is kept from the stream: wait until every write above has reached it.
    await api.waitForStreams(30_000);
    const rows = await csvRows();
    const byId = new Map(rows.map((r) => [r.petition_id, r]));
    expect(byId.get(formula)).toMatchObject({ title: `'=HYPERLINK("http://x") лавки`, status: 'open', tags: 'парки;транспорт', signature_count: '0', response_threshold: '300' });
    expect(byId.get(withheld)).toMatchObject({ title: '', content_withheld: 'true', status: 'rejected', rejection_reason: 'offensive' });
    expect(byId.has(draft)).toBe(false);
    expect(byId.has(elsewhere)).toBe(false);
    const json = await api.request('GET', `/v1/open-data/petitions?community=${town.id}&format=json`);
    expect(json.body.columns).toEqual([...petitionColumns]);
    for (const row of json.body.rows) expect(Object.keys(row)).toEqual([...petitionColumns]);
    expect(json.body.rows.find((r: { petition_id: string }) => r.petition_id === withheld).title).toBeNull();
    expect(json.text).not.toContain('Образлива назва');
  });

  it('a new row appears within 10 s of the change', async () => {
    const at = Date.now();
    const id = await petition(town.id, 'Свіжа петиція для набору даних', { decision: 'publish' });
    for (;;) {
      if ((await csvRows()).some((r) => r.petition_id === id)) break;
      expect(Date.now() - at).toBeLessThan(10_000);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });

  it('the consultations dataset: every consultation and poll, CSV and JSON, in the catalogue', async () => {
    const council = await api.token({ roles: ['council'], community: town.id });
    const created = await api.request('POST', '/v1/consultations', {
      token: council,
      body: {
        title: '=SUM(1) Де облаштувати сквер?',
        opensAt: new Date(Date.now() - 60_000).toISOString(),
        closesAt: new Date(Date.now() + 86_400_000).toISOString(),
        questions: [{ id: 'q', type: 'single', text: 'Де?', options: [{ id: 'a', text: 'Тут' }, { id: 'b', text: 'Там' }] }],
      },
    });
    expect(created.status).toBe(201);
    // Datasets are kept from the stream (a change shows within seconds; see "a new row appears").
    await api.waitForStreams(30_000);
    const csv = await api.request('GET', `/v1/open-data/consultations?community=${town.id}&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.text.split('\n')[0]).toBe(consultationColumns.join(','));
    const rows = parse(csv.text, { columns: true, relax_quotes: false, relax_column_count: false }) as Record<string, string>[];
    expect(rows).toEqual([expect.objectContaining({
      consultation_id: created.body.id, kind: 'poll', title: "'=SUM(1) Де облаштувати сквер?", status: 'open',
      results_url: `/v1/consultations/${created.body.id}/results`,
    })]);
    const json = await api.request('GET', `/v1/open-data/consultations?community=${other.id}`);
    expect(json.body.rows).toEqual([]);
    const catalogue = await api.request('GET', `/v1/open-data?community=${town.id}`);
    expect(catalogue.body.datasets.map((d: { id: string }) => d.id).slice(0, 2)).toEqual(['open-town-petitions', 'open-town-consultations']);
    expect(catalogue.body.datasets[1].columns).toEqual([...consultationColumns]);
  });

  it('signatures per day: from the hourly counts, per UTC day with the running total, public petitions only, in the catalogue', async () => {
    const signed = await petition(town.id, 'Петиція з підписами по днях', { decision: 'publish' });
    for (let i = 0; i < 3; i++) {
      expect((await api.request('POST', `/v1/petitions/${signed}/signatures`, { token: await api.token({ community: town.id }) })).status).toBe(201);
    }
    await api.waitForStreams(30_000);
    // Earlier days' hourly counts, as the recount stores them (two hours of one day, then another day).
    const today = new Date().toISOString().slice(0, 10);
    const db = createDocumentClient(api.dynamoEndpoint);
    for (const [hour, count] of [['2026-01-10T09', 1], ['2026-01-10T17', 2]] as const) {
      await db.send(new PutCommand({ TableName: api.tableName, Item: { ...keys.countHistory(signed, hour), type: 'count-history', hour, signatureCount: count } }));
    }
    db.destroy();
    const withheld = await petition(town.id, 'Прихована назва підписів', { decision: 'reject', reasonCode: 'offensive', explanation: 'Образливий зміст.' });
    const elsewhere = await petition(other.id, 'Петиція іншої громади з підписами', { decision: 'publish' });
    await api.waitForStreams(30_000);

    const csv = await api.request('GET', `/v1/open-data/signatures-per-day?community=${town.id}&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.text.split('\n')[0]).toBe(signaturesPerDayColumns.join(','));
    const rows = parse(csv.text, { columns: true, relax_quotes: false, relax_column_count: false }) as Record<string, string>[];
    expect(rows.filter((r) => r.petition_id === signed)).toEqual([
      { petition_id: signed, date: '2026-01-10', signatures: '2', cumulative_signatures: '2' },
      { petition_id: signed, date: today, signatures: '1', cumulative_signatures: '3' },
    ]);
    expect(rows.some((r) => r.petition_id === elsewhere)).toBe(false);
    expect(csv.text).not.toContain('Прихована назва');
    const json = await api.request('GET', `/v1/open-data/signatures-per-day?community=${town.id}`);
    expect(json.body.columns).toEqual([...signaturesPerDayColumns]);
    expect(json.body.rows.filter((r: { petition_id: string }) => r.petition_id === signed).at(-1)).toEqual({
      petition_id: signed, date: today, signatures: 1, cumulative_signatures: 3,
    });
    expect(json.text).not.toContain('Прихована назва');
    expect(rows.every((r) => r.petition_id !== withheld || r.signatures === '0')).toBe(true);
    const catalogue = await api.request('GET', `/v1/open-data?community=${town.id}`);
    const entry = catalogue.body.datasets.find((d: { id: string }) => d.id === 'open-town-signatures-per-day');
    expect(entry).toMatchObject({ columns: [...signaturesPerDayColumns], formats: ['CSV', 'JSON'] });
    for (const distribution of entry.distributions) expect((await api.request('GET', distribution.url)).status).toBe(200);
  }, 60_000);

  it('the budgets dataset: one row per project of each budget whose results are public, with votes, winners and implementation', async () => {
    const council = await api.token({ roles: ['council'], community: town.id });
    const pb = [
      'META', 'key;value', 'description;Бюджет відкритих даних', 'country;Ukraine', 'unit;Town', 'instance;2025', 'num_projects;2', 'num_votes;2',
      'budget;100', 'vote_type;approval', 'rule;greedy', 'PROJECTS', 'project_id;cost;name', 'a;60;=Парк', 'b;50;Бібліотека',
      'VOTES', 'voter_id;vote', 'v1;a,b', 'v2;b',
    ].join('\n');
    const imported = await api.request('POST', '/v1/budgets/import', { token: council, rawBody: pb, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    expect(imported.status, imported.text).toBe(201);
    const budgetId = imported.body.budget.id as string;
    // A budget still in its voting phase: its results are not public, so it is not in the dataset.
    const day = 86_400_000;
    const at = (offset: number) => new Date(Date.now() + offset).toISOString();
    const running = await api.request('POST', '/v1/budgets', {
      token: council,
      body: {
        kind: 'public', title: 'Бюджет, що триває', money: { total: 1000 }, preSupport: { required: 0 },
        schedule: { submission: at(-3 * day), preSupport: null, review: at(-2 * day), voting: at(-day), results: at(day), implementation: at(2 * day) },
        ballotRules: { type: 'approval', projects: { min: 1, max: 2 } }, rule: { name: 'greedy', rankBy: 'votes' },
      },
    });
    expect(running.status, running.text).toBe(201);

    const csv = await api.request('GET', `/v1/open-data/budgets?community=${town.id}&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.text.split('\n')[0]).toBe(budgetColumns.join(','));
    const rows = parse(csv.text, { columns: true, relax_quotes: false, relax_column_count: false }) as Record<string, string>[];
    expect(rows).toEqual([
      expect.objectContaining({ budget_id: budgetId, project_id: 'a', project_title: "'=Парк", cost: '60', votes: '1', selected: 'false', implementation_status: '' }),
      expect.objectContaining({ budget_id: budgetId, project_id: 'b', project_title: 'Бібліотека', cost: '50', votes: '2', selected: 'true', implementation_status: 'planned', implementation_progress: '0' }),
    ]);
    expect(rows.some((r) => r.budget_id === running.body.id)).toBe(false);
    const json = await api.request('GET', `/v1/open-data/budgets?community=${town.id}`);
    expect(json.body.columns).toEqual([...budgetColumns]);
    for (const row of json.body.rows) expect(Object.keys(row)).toEqual([...budgetColumns]);
    expect(json.body.rows[1]).toMatchObject({ votes: 2, selected: true, implementation_progress: 0 });
    expect((await api.request('GET', `/v1/open-data/budgets?community=${other.id}`)).body.rows).toEqual([]);
    const catalogue = await api.request('GET', `/v1/open-data?community=${town.id}`);
    const entry = catalogue.body.datasets.find((d: { id: string }) => d.id === 'open-town-budgets');
    expect(entry).toMatchObject({ columns: [...budgetColumns], formats: ['CSV', 'JSON'] });
    expect(Date.parse(entry.modified)).not.toBeNaN();
    for (const distribution of entry.distributions) expect((await api.request('GET', distribution.url)).status).toBe(200);

    // Pabulib ballots: one entry per budget whose results are public, pointing at its .pb export; none for the running one.
    const pabulib = catalogue.body.datasets.filter((d: { formats: string[] }) => d.formats.includes('PB'));
    expect(pabulib).toEqual([expect.objectContaining({
      id: `open-town-budget-${budgetId}-pabulib`, formats: ['PB'], url: `/v1/budgets/${budgetId}/export.pb`,
      license: expect.objectContaining({ id: 'CC-BY-4.0' }),
      distributions: [{ format: 'PB', mediaType: 'text/plain; charset=utf-8', url: `/v1/budgets/${budgetId}/export.pb` }],
    })]);
    const file = await api.request('GET', pabulib[0].url);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(file.text).toMatch(/^META\n/);
    expect(file.text).toContain('v1;a,b');
  }, 60_000);

  it('is kept from the stream: after every change above, the stored snapshot is what a fresh read of the table gives', async () => {
    await api.waitForStreams(30_000);
    const db = createDocumentClient(api.dynamoEndpoint);
    let counted = 0;
    try {
      for (const community of [town.id, other.id]) {
        const stored = (await openDataStore().read(community))!;
        // Written by the publisher (or by the first request), not rebuilt by this read.
        expect(stored.version).not.toBeNull();
        const fresh = await snapshotFromTable(db, community);
        expect(Object.keys(stored.value.petitions).length).toBeGreaterThan(0);
        // Each petition with its count (the snapshot keeps counts apart, from the count items' records).
        const byId = (s: OpenDataSnapshot) => Object.fromEntries(publicPetitionsOf(s).map((p) => [p.id, p]));
        expect(byId(stored.value)).toEqual(byId(fresh));
        counted += publicPetitionsOf(fresh).filter((p) => p.signatureCount > 0).length;
        expect(stored.value.consultations).toEqual(fresh.consultations);
        // Hourly counts of public petitions (the snapshot may also hold those of one no longer public).
        for (const id of Object.keys(fresh.petitions)) expect(stored.value.hourly[id] ?? {}).toEqual(fresh.hourly[id]);
      }
      // Some petition was signed: the counts compared above are not all zero.
      expect(counted).toBeGreaterThan(0);
    } finally {
      db.destroy();
    }
  });
});
