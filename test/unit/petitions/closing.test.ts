import { describe, expect, it } from 'vitest';
import { ternopil } from '#shared/domain/community.ts';
import { CLOSING_FIRST_LOOKBACK_MS, CLOSING_OVERLAP_MS, CLOSING_SETTLE_MS, closingOf, closingWindow } from '#shared/domain/petitions/closing.ts';
import { newPetition, publish } from '#shared/domain/petitions/petition.ts';

const t0 = new Date('2026-03-01T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

function opened() {
  const draft = newPetition({ id: 'p1', community: 'ternopil', authorSub: 'author', title: 'Лавки в парку', text: 'x'.repeat(30), rules: ternopil.petitions, draft: false, now: t0 });
  const decision = publish(draft, t0);
  if (!decision.ok) throw new Error(decision.message);
  return { ...decision.value, signatureCount: 412 };
}

describe('petition closings', () => {
  it('a run covers the deadlines since the last one (with an overlap) up to now less the settling time', () => {
    const now = new Date('2026-04-01T12:00:00Z');
    const through = now.getTime() - CLOSING_SETTLE_MS;
    expect(closingWindow(undefined, now)).toEqual({ from: iso(through - CLOSING_FIRST_LOOKBACK_MS), through: iso(through) });
    const last = '2026-04-01T11:53:00.000Z';
    expect(closingWindow(last, now)).toEqual({ from: iso(Date.parse(last) - CLOSING_OVERLAP_MS), through: iso(through) });
    // A watermark from the future (a clock ahead) never makes an empty or inverted window.
    expect(closingWindow('2026-04-02T00:00:00.000Z', now).from).toBe(iso(through));
  });

  it('records the closing of a published petition whose deadline passed, with its final count; none before, none unpublished', () => {
    const petition = opened();
    const closesAt = Date.parse(petition.closesAt!);
    const now = new Date(closesAt + 10 * 60_000);
    expect(closingOf(petition, iso(closesAt), now)).toEqual({
      petitionId: 'p1', title: 'Лавки в парку', community: 'ternopil', authorSub: 'author', signatureCount: 412, closesAt: petition.closesAt, recordedAt: now.toISOString(),
    });
    expect(closingOf(petition, iso(closesAt - 1), now)).toBeUndefined();
    expect(closingOf({ ...petition, status: 'rejected' }, iso(closesAt + 1), now)).toBeUndefined();
  });
});
