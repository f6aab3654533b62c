import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { emptyIndex, type StoredIndex } from '#shared/domain/search/index.ts';
import { applyToIndexes } from '#shared/search/indexer.ts';
import type { SearchIndexStore } from '#shared/search/store.ts';

/** A store that keeps versions like S3's ETags and can be made to lose a race. */
function memoryStore() {
  const data = new Map<string, { index: StoredIndex; version: number }>();
  let writes = 0;
  let conflictsToInject = 0;
  const store: SearchIndexStore = {
    async read(community, known) {
      const entry = data.get(community);
      const version = entry ? String(entry.version) : null;
      if (known !== undefined && known === version) return undefined;
      return { index: structuredClone(entry?.index ?? emptyIndex(community)), version };
    },
    async write(community, index, expected) {
      const entry = data.get(community);
      if (conflictsToInject > 0) {
        conflictsToInject--;
        // Someone else wrote meanwhile.
        data.set(community, { index: entry?.index ?? emptyIndex(community), version: (entry?.version ?? 0) + 1 });
        return null;
      }
      if ((entry ? String(entry.version) : null) !== expected) return null;
      writes++;
      data.set(community, { index: structuredClone(index), version: (entry?.version ?? 0) + 1 });
      return String((entry?.version ?? 0) + 1);
    },
  };
  return { store, data, writes: () => writes, injectConflicts: (n: number) => { conflictsToInject = n; } };
}

let seq = 0;
const record = (eventName: 'INSERT' | 'MODIFY' | 'REMOVE', newItem?: Record<string, unknown>, oldItem?: Record<string, unknown>): DynamoDBRecord => ({
  eventName,
  dynamodb: {
    SequenceNumber: String(++seq),
    ...(newItem ? { NewImage: marshall(newItem, { removeUndefinedValues: true }) as never } : {}),
    ...(oldItem ? { OldImage: marshall(oldItem, { removeUndefinedValues: true }) as never } : {}),
  },
});

const petition = (over: Record<string, unknown> = {}) => ({
  pk: 'PETITION#p1', sk: 'PETITION', type: 'petition', id: 'p1', community: 'c', title: 'Лавки в парку', text: 'Текст', status: 'moderation',
  createdAt: '2026-01-01T00:00:00Z', publishedAt: null, closesAt: null, rejection: null, signatureCount: 0, ...over,
});

describe('the search indexer', () => {
  it('indexes public items only, removes them when they stop being public, skips unsearchable changes', async () => {
    const { store, data, writes } = memoryStore();
    await applyToIndexes(store, [record('INSERT', petition())]);
    expect(writes()).toBe(0);
    const open = petition({ status: 'open', publishedAt: '2026-01-02T00:00:00Z', closesAt: '2026-02-01T00:00:00Z' });
    await applyToIndexes(store, [record('MODIFY', open, petition())]);
    expect(Object.keys(data.get('c')!.index.docs)).toEqual(['petition:p1']);
    // A new signature count: nothing searchable changed, no write.
    await applyToIndexes(store, [record('MODIFY', { ...open, signatureCount: 5 }, open)]);
    expect(writes()).toBe(1);
    // A project and a consultation of the same community; another community apart.
    await applyToIndexes(store, [
      record('INSERT', { pk: 'BUDGET#b', sk: 'PROJECT#x', type: 'budget-project', id: 'x', budgetId: 'b', community: 'c', title: 'Сквер', description: 'Опис', submittedAt: '2026-01-01T00:00:00Z', review: { feasible: false } }),
      record('INSERT', { pk: 'CONSULTATION#k', sk: 'CONSULTATION', type: 'consultation', id: 'k', community: 'c', title: 'Опитування', draftText: null, opensAt: '2026-01-01T00:00:00Z', closesAt: '2026-03-01T00:00:00Z' }),
      record('INSERT', petition({ id: 'p2', community: 'd', status: 'open', publishedAt: '2026-01-02T00:00:00Z' })),
    ]);
    expect(Object.keys(data.get('c')!.index.docs).sort()).toEqual(['consultation:k', 'petition:p1', 'project:b:x']);
    expect(data.get('c')!.index.docs['project:b:x']).toMatchObject({ status: 'rejected', budgetId: 'b' });
    expect(Object.keys(data.get('d')!.index.docs)).toEqual(['petition:p2']);
    // Erased: out of the index.
    await applyToIndexes(store, [record('REMOVE', undefined, open)]);
    expect(Object.keys(data.get('c')!.index.docs)).not.toContain('petition:p1');
  });

  it('never indexes a petition whose rejection withholds its content', async () => {
    const { store, data } = memoryStore();
    const rejected = petition({ status: 'rejected', rejection: { reasonCode: 'personal-data', explanation: 'x' } });
    await applyToIndexes(store, [record('MODIFY', rejected, petition())]);
    expect(data.get('c')?.index.docs ?? {}).toEqual({});
    const visible = petition({ id: 'p3', status: 'rejected', rejection: { reasonCode: 'duplicate', explanation: 'x' } });
    await applyToIndexes(store, [record('MODIFY', visible, petition({ id: 'p3' }))]);
    expect(data.get('c')!.index.docs['petition:p3']).toMatchObject({ status: 'rejected' });
  });

  it('retries a conflicting write over the newer version; the newest image of an item wins', async () => {
    const { store, data, injectConflicts } = memoryStore();
    injectConflicts(2);
    const a = petition({ status: 'open', publishedAt: '2026-01-02T00:00:00Z', title: 'Перша назва' });
    const outcome = await applyToIndexes(store, [record('MODIFY', a, petition()), record('MODIFY', { ...a, status: 'open', title: 'Друга назва' }, a)]);
    expect(outcome.failedSequenceNumbers).toEqual([]);
    expect(data.get('c')!.index.docs['petition:p1']!.title).toBe('Друга назва');
  });

  it('reports the batch for retry when the store keeps conflicting', async () => {
    const { store, injectConflicts } = memoryStore();
    injectConflicts(100);
    const r = record('INSERT', petition({ status: 'open' }));
    const outcome = await applyToIndexes(store, [r]);
    expect(outcome.failedSequenceNumbers).toEqual([r.dynamodb!.SequenceNumber]);
  });
});
