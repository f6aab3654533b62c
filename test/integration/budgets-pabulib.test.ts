/**
 * Real elections from Pabulib, through the API: imported as finished budgets, counted from the
 * stored ballots by each file's own rule (which must fund exactly the projects the city funded,
 * selected = 1), and exported back as the same election.
 *
 * This file writes some 20,000 items (a 10,000-ballot file among them), so it runs the local
 * system on a DynamoDB Local of its own rather than the run's shared one: its bursts of batch
 * writes would otherwise queue in front of other files' latency-sensitive concurrency tests.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { budgetKeys, importBudget } from '#shared/data/budgets.ts';
import { createDocumentClient } from '#shared/data/client.ts';
import { parsePabulib, writePabulib } from '#shared/domain/budget/pabulib.ts';
import { fileSha256, importedBudget, uuidFromName } from '#shared/domain/budget-process/open-data.ts';
import { putCommunity } from '#shared/data/communities.ts';
import { ternopil, ukStyle } from '#shared/domain/community.ts';
import type { DevTokenRequest } from '../../local/dev-auth.ts';
import { startLocalSystem, type LocalSystem } from '../../local/runtime.ts';

/** The shared data folder next to the repository (read at test time, never copied into the repo). */
const PABULIB = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../shared/data/pabulib');
const FILES = ['Poland_Krakow_2022_Stare_Miasto.pb', 'Poland_Swiecie_2023.pb', 'Poland_Warszawa_2018_Nadwisle.pb', 'Poland_Warszawa_2023_Rembertow.pb'];
const read = (name: string) => readFileSync(resolve(PABULIB, name), 'utf8');

let system: LocalSystem;
let council: string;

/** The same helpers as test/support/system.ts, on this file's own DynamoDB Local. */
const api = {
  get tableName() {
    return system.tableName;
  },
  get dynamoEndpoint() {
    return system.dynamoEndpoint;
  },
  token: (claims: Partial<DevTokenRequest>) =>
    system.auth.mint({ sub: claims.sub ?? `citizen-${randomUUID()}`, roles: claims.roles ?? ['citizen'], community: claims.community ?? 'ternopil', birthdate: '1990-01-01' }),
  async request(method: string, path: string, opts: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body = opts.rawBody;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(system.url + path, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    const parsed: any = (res.headers.get('content-type') ?? '').includes('json') && text ? JSON.parse(text) : text;
    return { status: res.status, headers: res.headers, body: parsed, text };
  },
};

beforeAll(async () => {
  system = await startLocalSystem({ port: 0, inMemory: true, dataDir: '', alertSinkFile: 'stdout', tableName: `test-${randomUUID().slice(0, 8)}`, consumers: [] });
  const db = createDocumentClient(system.dynamoEndpoint);
  for (const community of [ternopil, ukStyle]) await putCommunity(db, community);
  db.destroy();
  council = await api.token({ sub: `council-${randomUUID()}`, roles: ['council'] });
});
afterAll(async () => {
  await system?.stop();
});

const importOnce = (text: string, token = council) =>
  api.request('POST', '/v1/budgets/import', { token, rawBody: text, headers: { 'content-type': 'text/plain; charset=utf-8' } });

/**
 * Imports as a client must: a 202 means the time budget of one request ran out (a big file, or a
 * busy store), and the same file is sent again to continue; every 202 reports progress.
 */
async function importFile(text: string, token = council, options: { maxSeconds?: number } = {}) {
  for (let attempt = 1; ; attempt++) {
    const started = Date.now();
    const res = await importOnce(text, token);
    if (options.maxSeconds) expect((Date.now() - started) / 1000, `import request ${attempt}`).toBeLessThan(options.maxSeconds);
    if (res.status !== 202 || attempt >= 20) return Object.assign(res, { attempts: attempt });
    expect(res.body.progress.written).toBeLessThan(res.body.progress.total);
  }
}

describe.each(FILES)('%s', (name) => {
  const text = read(name);
  const original = parsePabulib(text);
  const selected = original.projects.filter((p) => p.selected === 1).map((p) => p.projectId);
  let id: string;

  it('imports as a finished budget with its projects and ballots', async () => {
    const res = await importFile(text);
    expect(res.status, res.text).toBe(201);
    id = res.body.budget.id;
    expect(res.body).toMatchObject({
      projects: original.projects.length,
      ballots: original.votes.length,
      recount: { matchesFile: true },
      budget: { phase: 'implementation', community: 'ternopil', imported: { format: 'pabulib' }, money: { total: original.meta.budget } },
    });
    const projects = await api.request('GET', `/v1/budgets/${id}/projects`);
    expect(projects.body.items.map((p: { id: string }) => p.id)).toEqual(original.projects.map((p) => p.projectId));
  });

  it('GET results gives exactly the projects with selected = 1, counted by the file’s rule from the stored ballots', async () => {
    const res = await api.request('GET', `/v1/budgets/${id}/results`);
    expect(res.status).toBe(200);
    expect([...res.body.winners].sort()).toEqual([...selected].sort());
    expect(res.body).toMatchObject({ published: false, ballots: { total: original.votes.length } });
    expect(res.body.totalSpent).toBeLessThanOrEqual(original.meta.budget);
  });

  it('exports back the same election (META, projects, votes, voter ids and order)', async () => {
    const res = await api.request('GET', `/v1/budgets/${id}/export.pb`);
    expect(res.status).toBe(200);
    expect(parsePabulib(res.text)).toEqual(original);
  });

  it('a voter finds their ballot by the file’s voter id', async () => {
    const vote = original.votes[Math.floor(original.votes.length / 2)]!;
    const res = await api.request('GET', `/v1/budgets/${id}/ballots?receipt=${encodeURIComponent(vote.voterId)}`);
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toMatchObject({ receipt: vote.voterId, projects: vote.vote });
  });

  it('the same file again is the same budget (200), nothing doubled', async () => {
    const again = await importFile(text);
    expect(again.status).toBe(200);
    expect(again.body.budget.id).toBe(id);
    const results = await api.request('GET', `/v1/budgets/${id}/results`);
    expect(results.body.ballots.total).toBe(original.votes.length);
  });
});

describe('import', () => {
  it('refuses what is not a council member’s valid .pb file', async () => {
    const text = read('Poland_Warszawa_2018_Nadwisle.pb');
    expect((await importFile(text, await api.token({}))).status).toBe(403);
    const json = await api.request('POST', '/v1/budgets/import', { token: council, body: { file: text } });
    expect(json.status).toBe(415);
    const broken = await importFile(text.replace('num_votes;157', 'num_votes;158'));
    expect(broken.status).toBe(422);
    expect(broken.body).toMatchObject({ type: expect.stringContaining('pabulib-format'), line: expect.any(Number) });
    const unsupported = await importFile(text.replace('rule;greedy-threshold', 'rule;greedy-custom'));
    expect(unsupported.body).toMatchObject({ status: 422, type: expect.stringContaining('unsupported-election') });
    const huge = await importOnce('x'.repeat(5 * 1024 * 1024 + 1));
    expect(huge.status).toBe(413);
  });

  it('the same file in another community is another budget (tenant isolation)', async () => {
    const text = read('Poland_Warszawa_2018_Nadwisle.pb');
    const here = await importFile(text);
    const there = await importFile(text, await api.token({ roles: ['council'], community: 'uk-style-demo' }));
    expect(there.status).toBe(201);
    expect(there.body.budget).toMatchObject({ community: 'uk-style-demo' });
    expect(there.body.budget.id).not.toBe(here.body.budget.id);
    // Ternopil's council cannot publish the other community's import.
    expect((await api.request('POST', `/v1/budgets/${there.body.budget.id}/results`, { token: council })).status).toBe(404);
  });

  it('the council may publish an imported election’s results; they stay the same', async () => {
    const text = read('Poland_Swiecie_2023.pb');
    const { body } = await importFile(text);
    const id = body.budget.id as string;
    const published = await api.request('POST', `/v1/budgets/${id}/results`, { token: council });
    expect(published.status).toBe(201);
    expect(published.body).toMatchObject({ published: true, rule: { name: 'equal-shares', completion: 'add1', tieBreaking: ['lower-cost', 'more-votes', 'list-order'] } });
    const selected = parsePabulib(text).projects.filter((p) => p.selected === 1).map((p) => p.projectId).sort();
    expect([...published.body.winners].sort()).toEqual(selected);
    expect((await api.request('GET', `/v1/budgets/${id}/results`)).body).toEqual(published.body);
  });

  /** Rembertów's projects with its ballots repeated under new voter ids, up to `count`. */
  const synthetic = (count: number, instance: string) => {
    const base = parsePabulib(read('Poland_Warszawa_2023_Rembertow.pb'));
    const votes = Array.from({ length: count }, (_, i) => ({ ...base.votes[i % base.votes.length]!, voterId: `v${i + 1}` }));
    return writePabulib({ ...base, meta: { ...base.meta, numVotes: votes.length, instance }, votes });
  };

  it('a file of 10,000 ballots: each request stays within a Lambda’s time, 202 until the same file again completes it', async () => {
    const big = synthetic(10_000, 'synthetic-10000');
    // Each request within a Lambda's default 10 s (the handler stops writing after 6 s).
    const res = await importFile(big, council, { maxSeconds: 10 });
    console.log(`import of 10,000 ballots: ${res.attempts} request(s)`);
    expect(res.status, res.text).toBe(201);
    expect(res.body.ballots).toBe(10_000);
    const results = await api.request('GET', `/v1/budgets/${res.body.budget.id}/results`);
    expect(results.body.ballots.total).toBe(10_000);
  });

  it('an import cut short by its deadline is not served, and continues from its watermark', async () => {
    const text = synthetic(3_000, 'synthetic-3000');
    const sha = fileSha256(text);
    const id = uuidFromName(`ternopil\u0000${sha}`);
    const decision = importedBudget(parsePabulib(text), { id, community: 'ternopil', createdBy: 'council-x', fileSha256: sha, now: new Date() });
    if (!decision.ok) throw new Error(decision.message);
    const db = createDocumentClient(api.dynamoEndpoint);
    const audit = { community: 'ternopil', action: 'budget.imported', actor: { sub: 'council-x', roles: ['council' as const] }, target: { type: 'budget', id }, at: new Date() };
    try {
      const cut = await importBudget(db, { ...decision.value, audit, deadline: Date.now() + 150 });
      expect(cut.state).toBe('in-progress');
      const partial = cut.state === 'in-progress' ? cut.written : 0;
      expect(partial).toBeGreaterThan(0);
      expect((await api.request('GET', `/v1/budgets/${id}/results`)).body).toMatchObject({ status: 409, type: expect.stringContaining('import-incomplete') });
      expect((await api.request('GET', '/v1/budgets?community=ternopil&limit=100')).body.items.map((b: { id: string }) => b.id)).not.toContain(id);
      const { Item } = await db.send(new GetCommand({ TableName: api.tableName, Key: budgetKeys.budget(id), ConsistentRead: true }));
      expect(Item!.origin.importedChunks * 25).toBe(partial);
      const finished = await importFile(text);
      expect(finished.status).toBe(201);
      expect((await api.request('GET', `/v1/budgets/${id}/results`)).body.ballots.total).toBe(3_000);
      expect((await importFile(text)).status).toBe(200);
    } finally {
      db.destroy();
    }
  });
});
