import type { Crossing, Petition, ThresholdState } from './petition.ts';

/**
 * What a recount makes of a petition's thresholds, pure. The truth is the number of signature
 * items and the alert items already written (an alert item exists once per threshold, ever, and
 * the alert notifier delivers it once):
 * - a threshold with an alert item is reached, stamped as the alert says (a lost or corrupted stamp
 *   is restored from it, and no second alert is made);
 * - a threshold stamped but without an alert item stays reached and makes no alert (one may have
 *   gone out; a second one must not): it is reported as an anomaly for a person to look at;
 * - a threshold neither stamped nor alerted that the recounted number reaches is a new crossing:
 *   stamped now, and its alert item is to be written (as the signature counter would have);
 * - a reached threshold stays reached when the number falls (signatures erased later).
 */
export interface RecordedAlert {
  readonly threshold: number;
  readonly reachedAt: string;
  readonly signatureCount: number;
}

export interface RecountPlan {
  readonly thresholds: ThresholdState[];
  /** Alert items to write: crossings nobody recorded yet. */
  readonly crossed: Crossing[];
  /** Thresholds whose stamp was rebuilt from their alert item. */
  readonly restored: number[];
  /** Stamped thresholds that have no alert item (left as they are). */
  readonly stampedWithoutAlert: number[];
  /** True when this recount records the petition's first crossing (it then awaits the council). */
  readonly firstCrossing: boolean;
  /** Whether anything of the petition item changes. */
  readonly changed: boolean;
}

export function planRecount(
  petition: Pick<Petition, 'thresholds' | 'signatureCount'>,
  count: number,
  alerts: readonly RecordedAlert[],
  now: Date,
): RecountPlan {
  const alertOf = new Map(alerts.map((a) => [a.threshold, a]));
  const crossed: Crossing[] = [];
  const restored: number[] = [];
  const stampedWithoutAlert: number[] = [];
  const thresholds = petition.thresholds.map((t): ThresholdState => {
    const alert = alertOf.get(t.signatures);
    if (alert) {
      if (t.reachedAt === alert.reachedAt && t.countAtCrossing !== null) return t;
      restored.push(t.signatures);
      return { ...t, reachedAt: alert.reachedAt, countAtCrossing: t.countAtCrossing ?? alert.signatureCount };
    }
    if (t.reachedAt !== null) {
      stampedWithoutAlert.push(t.signatures);
      return t;
    }
    if (count >= t.signatures) {
      crossed.push({ signatures: t.signatures, purpose: t.purpose });
      return { ...t, reachedAt: now.toISOString(), countAtCrossing: count };
    }
    return t;
  });
  const reachedBefore = petition.thresholds.some((t) => t.reachedAt !== null) || alerts.length > 0;
  return {
    thresholds,
    crossed,
    restored,
    stampedWithoutAlert,
    firstCrossing: crossed.length > 0 && !reachedBefore,
    changed: count !== petition.signatureCount || crossed.length > 0 || restored.length > 0,
  };
}
