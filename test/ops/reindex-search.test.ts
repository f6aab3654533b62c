import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { StoredIndex } from '#shared/domain/search/index.ts';
import { rebuildIndex } from '#shared/search/indexer.ts';
import { searchIndexStore, type SearchIndexStore } from '#shared/search/store.ts';
import { run as reindex } from '../../scripts/ops/reindex-search.ts';
import { openPetition, startTestSystem, type TestSystem } from '../support/system.ts';

/**
 * The backfill: items written while no indexer ran (a first deploy onto existing data) become
 * findable once the command has run; what is not public, or another community's, never does.
 */
let api: TestSystem;
const dir = mkdtempSync(join(tmpdir(), 'hromada-reindex-'));
let published: string;
let draft: string;
let other: string;

beforeAll(async () => {
  // No stream consumers: nothing is indexed as it is written.
  api = await startTestSystem({ consumers: [] });
  published = (await openPetition(api, { title: 'Лавки в парку Шевченка' })).id;
  other = (await openPetition(api, { community: 'uk-style-demo', title: 'Benches in the park' })).id;
  const created = await api.request('POST', '/v1/petitions', {
    token: await api.token({}),
    body: { title: 'Чернетка про лавки', text: 'Ще не подана на модерацію, тож її не знайти.' },
  });
  draft = created.body.id;
});
afterAll(async () => {
  await api?.stop();
  vi.unstubAllEnvs();
});

async function localIndex(community: string): Promise<StoredIndex> {
  vi.stubEnv('SEARCH_BUCKET', undefined);
  vi.stubEnv('SEARCH_INDEX_DIR', dir);
  return (await searchIndexStore().read(community))!.index;
}

const target = () => ['--endpoint', api.dynamoEndpoint, '--table', api.tableName, '--index-dir', dir];

describe('npm run ops -- reindex-search', () => {
  it('indexes what is public in each community, and only that', async () => {
    expect(Object.keys((await localIndex('ternopil')).docs)).toEqual([]);
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await reindex([...target(), '--community', 'ternopil', '--community', 'uk-style-demo'])).toBe(0);
    const ternopil = (await localIndex('ternopil')).docs;
    expect(Object.keys(ternopil)).toEqual([`petition:${published}`]);
    expect(ternopil[`petition:${published}`]?.title).toBe('Лавки в парку Шевченка');
    expect(Object.keys(ternopil).some((k) => k.includes(draft) || k.includes(other))).toBe(false);
    expect(Object.keys((await localIndex('uk-style-demo')).docs)).toEqual([`petition:${other}`]);
    expect(log.mock.calls.flat().join('\n')).toMatch(/ternopil: 0 -> 1 documents/);

    // Again: the same index; a stale document someone left behind is dropped.
    const store = searchIndexStore();
    const snapshot = (await store.read('ternopil'))!;
    const stale = { ...snapshot.index.docs[`petition:${published}`]!, id: 'gone', title: 'Видалена' };
    await store.write('ternopil', { ...snapshot.index, docs: { ...snapshot.index.docs, 'petition:gone': stale } }, snapshot.version);
    log.mockClear();
    expect(await reindex([...target(), '--community', 'ternopil'])).toBe(0);
    expect(Object.keys((await localIndex('ternopil')).docs)).toEqual([`petition:${published}`]);
    expect(log.mock.calls.flat().join('\n')).toMatch(/ternopil: 2 -> 1 documents/);
    log.mockRestore();
  });

  it('refuses bad options with the usage', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await reindex([...target(), '--community', 'Not A Community'])).toBe(2);
    expect(await reindex(['--stage', 'prod', '--index-dir', dir])).toBe(2);
    expect(error.mock.calls.flat().join('\n')).toMatch(/Usage: npm run ops -- reindex-search/);
    error.mockRestore();
  });
});

describe('rebuildIndex', () => {
  const item = (id: string) => ({ type: 'petition', id, community: 'c', status: 'open', title: `T ${id}`, text: 'x', createdAt: '2026-01-01T00:00:00.000Z' });

  /** A store another writer (the indexer) changes while the rebuild reads the table, `times` times. */
  function busyStore(times: number) {
    const inner = new Map<string, { index: StoredIndex; version: string }>();
    let n = 0;
    const store: SearchIndexStore = {
      async read(community) {
        const v = inner.get(community);
        return v ? { index: v.index, version: v.version } : { index: { version: 1, community, docs: {} }, version: null };
      },
      async write(community, index, expected) {
        if ((inner.get(community)?.version ?? null) !== expected) return null;
        const version = `v${++n}`;
        inner.set(community, { index, version });
        return version;
      },
    };
    let changes = times;
    async function* items() {
      yield item('a');
      if (changes-- > 0) await store.write('c', { version: 1, community: 'c', docs: {} }, (await store.read('c'))!.version);
      yield item('b');
    }
    return { store, items, inner };
  }

  it('starts over when the index changed while the table was read, never writing over it', async () => {
    const { store, items, inner } = busyStore(2);
    const outcome = await rebuildIndex(store, 'c', items);
    expect(outcome.documents).toBe(2);
    expect(Object.keys(inner.get('c')!.index.docs).sort()).toEqual(['petition:a', 'petition:b']);
    // Two writes by "the indexer", then the rebuild's own.
    expect(inner.get('c')!.version).toBe('v3');
  });

  it('gives up, saying so, when the index keeps changing', async () => {
    const { store, items } = busyStore(10);
    await expect(rebuildIndex(store, 'c', items, 3)).rejects.toThrow(/kept changing/);
  });
});
