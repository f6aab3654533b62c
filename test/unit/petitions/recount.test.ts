import { describe, expect, it } from 'vitest';
import type { ThresholdState } from '#shared/domain/petitions/petition.ts';
import { planRecount } from '#shared/domain/petitions/recount.ts';

const now = new Date('2026-03-10T12:00:00Z');
const fresh = (): ThresholdState[] => [
  { signatures: 300, purpose: 'council-consideration', reachedAt: null, countAtCrossing: null },
  { signatures: 1000, purpose: 'response', reachedAt: null, countAtCrossing: null },
];

describe('planRecount', () => {
  it('stamps a threshold the recounted number reaches and nobody recorded, and makes its alert', () => {
    const plan = planRecount({ thresholds: fresh(), signatureCount: 120 }, 310, [], now);
    expect(plan.crossed).toEqual([{ signatures: 300, purpose: 'council-consideration' }]);
    expect(plan.thresholds[0]).toMatchObject({ reachedAt: now.toISOString(), countAtCrossing: 310 });
    expect(plan.thresholds[1]!.reachedAt).toBeNull();
    expect(plan.firstCrossing).toBe(true);
    expect(plan.changed).toBe(true);
  });

  it('restores a lost stamp from its alert item and never makes a second alert', () => {
    const alerts = [{ threshold: 300, reachedAt: '2026-03-02T08:00:00.000Z', signatureCount: 301 }];
    const plan = planRecount({ thresholds: fresh(), signatureCount: 0 }, 420, alerts, now);
    expect(plan.crossed).toEqual([]);
    expect(plan.restored).toEqual([300]);
    expect(plan.thresholds[0]).toMatchObject({ reachedAt: '2026-03-02T08:00:00.000Z', countAtCrossing: 301 });
    expect(plan.firstCrossing).toBe(false);
  });

  it('keeps a reached threshold reached when the number falls, and reports a stamp without an alert', () => {
    const stamped = fresh().map((t, i) => (i === 0 ? { ...t, reachedAt: '2026-03-02T08:00:00.000Z', countAtCrossing: 300 } : t));
    const plan = planRecount({ thresholds: stamped, signatureCount: 300 }, 299, [], now);
    expect(plan.thresholds[0]!.reachedAt).toBe('2026-03-02T08:00:00.000Z');
    expect(plan.stampedWithoutAlert).toEqual([300]);
    expect(plan.crossed).toEqual([]);
  });

  it('changes nothing when count and stamps already agree', () => {
    const alerts = [{ threshold: 300, reachedAt: '2026-03-02T08:00:00.000Z', signatureCount: 300 }];
    const stamped = fresh().map((t, i) => (i === 0 ? { ...t, reachedAt: '2026-03-02T08:00:00.000Z', countAtCrossing: 300 } : t));
    const plan = planRecount({ thresholds: stamped, signatureCount: 350 }, 350, alerts, now);
    expect(plan).toMatchObject({ changed: false, crossed: [], restored: [], stampedWithoutAlert: [] });
  });
});
