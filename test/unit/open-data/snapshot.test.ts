import { describe, expect, it } from 'vitest';
import type { Petition } from '#shared/domain/petitions/petition.ts';
import { applyChanges, emptySnapshot, petitionRowsOf, signaturesPerDayRowsOf } from '#shared/domain/open-data/snapshot.ts';

const petition = (id: string, extra: Partial<Petition> = {}): Petition => ({
  id, community: 'c', authorSub: 'a', title: `Петиція ${id}`, text: 'Текст', status: 'open',
  rules: { thresholds: [{ signatures: 10, purpose: 'response' }], durationDays: 90, minAge: 16 } as unknown as Petition['rules'],
  thresholds: [], signatureCount: 0, createdAt: '2026-01-01T00:00:00.000Z', submittedAt: '2026-01-01T00:00:00.000Z',
  publishedAt: '2026-01-02T00:00:00.000Z', closesAt: '2026-04-02T00:00:00.000Z', rejection: null, response: null, tags: [], ...extra,
});

describe('open-data snapshot', () => {
  it('holds public petitions only: one sent back to moderation leaves, a rejected one stays', () => {
    let s = applyChanges(emptySnapshot('c'), [
      { kind: 'petition', id: 'a', petition: petition('a') },
      { kind: 'petition', id: 'b', petition: petition('b', { status: 'rejected', publishedAt: null, rejection: { reasonCode: 'duplicate', explanation: 'x' } }) },
      { kind: 'petition', id: 'd', petition: petition('d', { status: 'draft' as Petition['status'] }) },
    ]);
    expect(Object.keys(s.petitions).sort()).toEqual(['a', 'b']);
    s = applyChanges(s, [{ kind: 'petition', id: 'a', petition: petition('a', { status: 'moderation' as Petition['status'] }) }, { kind: 'petition', id: 'b', petition: undefined }]);
    expect(Object.keys(s.petitions)).toEqual([]);
  });

  it('orders rows as the public listings: open by publication, then rejected', () => {
    const s = applyChanges(emptySnapshot('c'), [
      { kind: 'petition', id: 'r', petition: petition('r', { status: 'rejected', submittedAt: '2025-01-01T00:00:00.000Z', rejection: { reasonCode: 'duplicate', explanation: 'x' } }) },
      { kind: 'petition', id: 'late', petition: petition('late', { publishedAt: '2026-03-01T00:00:00.000Z' }) },
      { kind: 'petition', id: 'early', petition: petition('early', { publishedAt: '2026-02-01T00:00:00.000Z' }) },
    ]);
    expect(petitionRowsOf(s, new Date('2026-03-02T00:00:00.000Z')).map((r) => r.petition_id)).toEqual(['early', 'late', 'r']);
  });

  it("an hour's count never goes down when an older record is replayed", () => {
    const s = applyChanges(emptySnapshot('c'), [
      { kind: 'petition', id: 'a', petition: petition('a') },
      { kind: 'hour', petitionId: 'a', hour: '2026-01-05T10', count: 7 },
      { kind: 'hour', petitionId: 'a', hour: '2026-01-05T10', count: 5 },
      { kind: 'hour', petitionId: 'a', hour: '2026-01-06T08', count: 9 },
    ]);
    expect(signaturesPerDayRowsOf(s)).toEqual([
      { petition_id: 'a', date: '2026-01-05', signatures: 7, cumulative_signatures: 7 },
      { petition_id: 'a', date: '2026-01-06', signatures: 2, cumulative_signatures: 9 },
    ]);
  });

  it("a petition's count comes from its count item's changes, in either order, and an older one never replaces a newer", () => {
    const reached = [{ signatures: 10, purpose: 'response', reachedAt: '2026-01-05T10:00:00.000Z', countAtCrossing: 10 }] as Petition['thresholds'];
    const s = applyChanges(emptySnapshot('c'), [
      // The count item's record may come before the petition's (two items of one transaction).
      { kind: 'count', petitionId: 'a', count: { signatureCount: 0, thresholds: [], countedAt: '2026-01-02T00:00:00.000Z' } },
      { kind: 'petition', id: 'a', petition: petition('a') },
      { kind: 'count', petitionId: 'a', count: { signatureCount: 12, thresholds: reached, countedAt: '2026-01-05T10:00:00.000Z' } },
      // A replayed older record.
      { kind: 'count', petitionId: 'a', count: { signatureCount: 3, thresholds: [], countedAt: '2026-01-03T00:00:00.000Z' } },
      // The petition's own change (a response, say) carries no count: the count item's stays.
      { kind: 'petition', id: 'a', petition: petition('a', { title: 'Нова назва' }) },
    ]);
    const [row] = petitionRowsOf(s, new Date('2026-01-06T00:00:00.000Z'));
    expect(row).toMatchObject({ petition_id: 'a', title: 'Нова назва', signature_count: 12, response_threshold_reached_at: '2026-01-05T10:00:00.000Z' });
  });
});

