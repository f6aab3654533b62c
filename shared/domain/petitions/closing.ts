import { effectiveStatus, type Petition } from './petition.ts';

/**
 * A petition's closing, recorded once (issue 13). Closing itself follows the clock
 * (`effectiveStatus`): nothing about the petition changes when its deadline passes, so nothing on
 * the table's stream would say so. The close-petitions schedule (shared/schedules.ts) records each
 * closing as an item of its own, written once; its INSERT is the event its signers and followers
 * hear of. Pure: which deadlines a run looks at, and what the record says.
 */

/**
 * Signatures are counted from the table's stream, seconds after they are made: a closing is
 * recorded this long after its deadline, so the count it carries is the final one.
 */
export const CLOSING_SETTLE_MS = 2 * 60_000;
/**
 * Deadlines a run already covered are looked at again for this long (an index entry written late,
 * a clock that differs): their closings were recorded, and are not recorded twice.
 */
export const CLOSING_OVERLAP_MS = 60 * 60_000;
/**
 * A community's first run (the job newly deployed, or a new community) looks back this far: a
 * petition that closed long before is not announced now.
 */
export const CLOSING_FIRST_LOOKBACK_MS = 24 * 3600_000;

/**
 * The deadlines one run records the closings of: from the last run's `through` (less the overlap),
 * or the first lookback, up to `now` less the settling time. ISO timestamps, both inclusive.
 */
export function closingWindow(watermark: string | undefined, now: Date): { from: string; through: string } {
  const through = now.getTime() - CLOSING_SETTLE_MS;
  const last = watermark === undefined ? Number.NaN : Date.parse(watermark);
  const from = Number.isFinite(last) ? last - CLOSING_OVERLAP_MS : through - CLOSING_FIRST_LOOKBACK_MS;
  return { from: new Date(Math.min(from, through)).toISOString(), through: new Date(through).toISOString() };
}

/** What the record of a closing carries: what the message to signers and followers says. */
export interface PetitionClosing {
  readonly petitionId: string;
  readonly title: string;
  readonly community: string;
  readonly authorSub: string;
  /** The final count of signatures. */
  readonly signatureCount: number;
  readonly closesAt: string;
  readonly recordedAt: string;
}

/**
 * The closing of a published petition whose deadline is at or before `through`; undefined for one
 * still open then, or not published (a draft, in moderation, rejected).
 */
export function closingOf(petition: Petition, through: string, now: Date): PetitionClosing | undefined {
  if (!petition.closesAt || effectiveStatus(petition, new Date(through)) !== 'closed') return undefined;
  return {
    petitionId: petition.id,
    title: petition.title,
    community: petition.community,
    authorSub: petition.authorSub,
    signatureCount: petition.signatureCount,
    closesAt: petition.closesAt,
    recordedAt: now.toISOString(),
  };
}
