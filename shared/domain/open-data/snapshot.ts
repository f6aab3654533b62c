import type { Consultation } from '#shared/domain/consultations/consultation.ts';
import type { Petition, ThresholdState } from '#shared/domain/petitions/petition.ts';
import { consultationRow, type ConsultationRow } from './consultations.ts';
import { petitionRow, type PetitionRow } from './petitions.ts';
import { signaturesPerDay, type SignaturesPerDayRow } from './signatures.ts';

/**
 * What a community's open datasets are made of, kept current from the table's stream (one object
 * per community, like its search index): the public petitions, their hourly signature counts and
 * the consultations. A dataset request renders rows from it with the current time (statuses
 * follow the clock), instead of reading every petition and every petition's history from the
 * table. Pure.
 */
export interface OpenDataSnapshot {
  readonly version: 1;
  readonly community: string;
  /** Public petitions by id: stored as open (published, then closed or answered by the clock and the council) or rejected. */
  readonly petitions: Readonly<Record<string, Petition>>;
  /** Per petition id, the cumulative count at the end of each hour that changed (`YYYY-MM-DDTHH` -> count). */
  readonly hourly: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /**
   * Per petition id, its count as the signature counter last wrote it (the count item's changes:
   * a petition's own changes do not carry its count). Absent in snapshots written before.
   */
  readonly counts?: Readonly<Record<string, PetitionCount>>;
  readonly consultations: Readonly<Record<string, Consultation>>;
}

export interface PetitionCount {
  readonly signatureCount: number;
  readonly thresholds: readonly ThresholdState[];
  /** When the counter wrote it: a replayed older record never replaces a newer count. */
  readonly countedAt: string;
}

export const emptySnapshot = (community: string): OpenDataSnapshot => ({ version: 1, community, petitions: {}, hourly: {}, consultations: {} });

/** A petition is in the open datasets while it is stored as open or rejected: what the public listings hold. */
export const isPublicPetition = (p: Pick<Petition, 'status'>) => p.status === 'open' || p.status === 'rejected';

export type SnapshotChange =
  | { readonly kind: 'petition'; readonly id: string; readonly petition: Petition | undefined }
  | { readonly kind: 'hour'; readonly petitionId: string; readonly hour: string; readonly count: number }
  | { readonly kind: 'count'; readonly petitionId: string; readonly count: PetitionCount }
  | { readonly kind: 'consultation'; readonly id: string; readonly consultation: Consultation | undefined };

/** The snapshot with the changes applied in order (a later change of the same item wins). */
export function applyChanges(snapshot: OpenDataSnapshot, changes: readonly SnapshotChange[]): OpenDataSnapshot {
  const petitions = { ...snapshot.petitions };
  const hourly = { ...snapshot.hourly };
  const counts = { ...snapshot.counts };
  const consultations = { ...snapshot.consultations };
  for (const change of changes) {
    if (change.kind === 'petition') {
      if (change.petition && isPublicPetition(change.petition)) petitions[change.id] = change.petition;
      else delete petitions[change.id];
    } else if (change.kind === 'hour') {
      // Counts only grow: a replayed older record never lowers an hour's count.
      const hours = { ...hourly[change.petitionId] };
      hours[change.hour] = Math.max(hours[change.hour] ?? 0, change.count);
      hourly[change.petitionId] = hours;
    } else if (change.kind === 'count') {
      const known = counts[change.petitionId];
      if (!known || known.countedAt <= change.count.countedAt) counts[change.petitionId] = change.count;
    } else if (change.consultation) consultations[change.id] = change.consultation;
    else delete consultations[change.id];
  }
  return { ...snapshot, petitions, hourly, counts, consultations };
}

/** The public petitions, each with its latest count. */
export function publicPetitionsOf(snapshot: OpenDataSnapshot): Petition[] {
  return Object.values(snapshot.petitions).map((p) => {
    const count = snapshot.counts?.[p.id];
    return count ? { ...p, signatureCount: count.signatureCount, thresholds: count.thresholds } : p;
  });
}

/** The public listings' order: open petitions by publication, then rejected ones by submission. */
function petitionOrder(snapshot: OpenDataSnapshot): Petition[] {
  const sortKey = (p: Petition) => (p.status === 'open' ? `0${p.publishedAt}#${p.id}` : `1${p.submittedAt ?? p.createdAt}#${p.id}`);
  return publicPetitionsOf(snapshot).sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
}

export const petitionRowsOf = (snapshot: OpenDataSnapshot, now: Date): PetitionRow[] => petitionOrder(snapshot).map((p) => petitionRow(p, now));

export const signaturesPerDayRowsOf = (snapshot: OpenDataSnapshot): SignaturesPerDayRow[] =>
  petitionOrder(snapshot).flatMap((p) =>
    signaturesPerDay(p.id, Object.entries(snapshot.hourly[p.id] ?? {}).map(([hour, signatureCount]) => ({ hour, signatureCount }))));

/** Consultations by opening, oldest first (their listing's order). */
export const consultationRowsOf = (snapshot: OpenDataSnapshot, now: Date): ConsultationRow[] =>
  Object.values(snapshot.consultations)
    .sort((a, b) => (`${a.opensAt}#${a.id}` < `${b.opensAt}#${b.id}` ? -1 : 1))
    .map((c) => consultationRow(c, now));
