import type { Principal } from '../../auth/roles.ts';
import type { PetitionRules } from '../community.ts';

/**
 * Petition lifecycle, pure. `draft -> moderation -> open | rejected`; an open petition is closed
 * once its deadline passes (derived from `closesAt`, so no job has to flip it); reaching the first
 * threshold puts it in the council's hands until the council records its response.
 */
export type StoredStatus = 'draft' | 'moderation' | 'rejected' | 'open';
export type PetitionStatus = StoredStatus | 'closed';

export interface ThresholdState {
  readonly signatures: number;
  readonly purpose: string;
  readonly reachedAt: string | null;
  /** The count recorded when the crossing was recorded (>= signatures). */
  readonly countAtCrossing: number | null;
}

export interface CouncilResponse {
  readonly decision: string;
  readonly text: string;
  readonly decidedAt: string;
  readonly recordedAt: string;
}

export interface Petition {
  readonly id: string;
  readonly community: string;
  readonly authorSub: string;
  readonly title: string;
  readonly text: string;
  readonly status: StoredStatus;
  readonly rules: PetitionRules;
  readonly thresholds: readonly ThresholdState[];
  readonly signatureCount: number;
  readonly createdAt: string;
  readonly submittedAt: string | null;
  readonly publishedAt: string | null;
  readonly closesAt: string | null;
  readonly rejection: { readonly reasonCode: string; readonly explanation: string } | null;
  readonly response: CouncilResponse | null;
}

export function newPetition(input: {
  id: string;
  community: string;
  authorSub: string;
  title: string;
  text: string;
  rules: PetitionRules;
  draft: boolean;
  now: Date;
}): Petition {
  const now = input.now.toISOString();
  return {
    id: input.id,
    community: input.community,
    authorSub: input.authorSub,
    title: input.title,
    text: input.text,
    status: input.draft ? 'draft' : 'moderation',
    rules: input.rules,
    thresholds: [...input.rules.thresholds]
      .sort((a, b) => a.signatures - b.signatures)
      .map((t) => ({ signatures: t.signatures, purpose: t.purpose, reachedAt: null, countAtCrossing: null })),
    signatureCount: 0,
    createdAt: now,
    submittedAt: input.draft ? null : now,
    publishedAt: null,
    closesAt: null,
    rejection: null,
    response: null,
  };
}

export function effectiveStatus(petition: Pick<Petition, 'status' | 'closesAt'>, now: Date): PetitionStatus {
  if (petition.status === 'open' && petition.closesAt && now.getTime() >= Date.parse(petition.closesAt)) return 'closed';
  return petition.status;
}

export type Decision<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

const refuse = (code: string, message: string) => ({ ok: false as const, code, message });

export function submit(petition: Petition, by: Principal, now: Date): Decision<Petition> {
  if (petition.authorSub !== by.sub) return refuse('not-author', 'Only the author may submit a draft.');
  if (petition.status !== 'draft') return refuse('not-draft', `The petition is ${petition.status}, not a draft.`);
  return { ok: true, value: { ...petition, status: 'moderation', submittedAt: now.toISOString() } };
}

export function publish(petition: Petition, now: Date): Decision<Petition> {
  if (petition.status !== 'moderation') return refuse('not-in-moderation', `The petition is ${petition.status}, not awaiting moderation.`);
  const closesAt = new Date(now.getTime() + petition.rules.signingDays * 86_400_000);
  return { ok: true, value: { ...petition, status: 'open', publishedAt: now.toISOString(), closesAt: closesAt.toISOString() } };
}

export function reject(petition: Petition, reasonCode: string, explanation: string): Decision<Petition> {
  if (petition.status !== 'moderation') return refuse('not-in-moderation', `The petition is ${petition.status}, not awaiting moderation.`);
  return { ok: true, value: { ...petition, status: 'rejected', rejection: { reasonCode, explanation } } };
}

/** The council may answer once the first threshold is reached (or, at its discretion, after closing). */
export function recordResponse(
  petition: Petition,
  response: { decision: string; text: string; decidedAt?: string },
  now: Date,
): Decision<Petition> {
  const status = effectiveStatus(petition, now);
  if (status !== 'open' && status !== 'closed') return refuse('not-published', `The petition is ${status}; only published petitions are answered.`);
  if (petition.response) return refuse('already-answered', 'The council has already recorded its response.');
  const recordedAt = now.toISOString();
  return { ok: true, value: { ...petition, response: { ...response, decidedAt: response.decidedAt ?? recordedAt, recordedAt } } };
}

/** Age in whole years on `on`, from a YYYY-MM-DD birth date. */
export function ageOn(birthdate: string, on: Date): number {
  const [y, m, d] = birthdate.split('-').map(Number) as [number, number, number];
  let age = on.getUTCFullYear() - y;
  const monthDay = (on.getUTCMonth() + 1) * 100 + on.getUTCDate();
  if (monthDay < m * 100 + d) age -= 1;
  return age;
}

export type SignRefusal = { status: 409 | 403; code: string; message: string };

/** Whether `signer` may sign now: 409 when the petition is not open, 403 when the person is not eligible. */
export function checkCanSign(petition: Petition, signer: Principal, now: Date): SignRefusal | undefined {
  const status = effectiveStatus(petition, now);
  if (status !== 'open') {
    return { status: 409, code: 'not-open', message: status === 'closed' ? 'Signing has closed for this petition.' : `The petition is ${status}, not open for signing.` };
  }
  if (petition.rules.residentsOnly && signer.community !== petition.community) {
    return { status: 403, code: 'not-resident', message: 'Only residents of the community may sign this petition.' };
  }
  if (petition.rules.minSignerAge > 0) {
    if (!signer.birthdate) return { status: 403, code: 'age-unknown', message: 'Your verified birth date is needed to sign this petition.' };
    if (ageOn(signer.birthdate, now) < petition.rules.minSignerAge) {
      return { status: 403, code: 'under-age', message: `Signers must be at least ${petition.rules.minSignerAge} years old.` };
    }
  }
  return undefined;
}

export interface Crossing {
  readonly signatures: number;
  readonly purpose: string;
}

/**
 * Applies a change of the count. Thresholds crossed by the new count and not recorded yet are
 * returned and stamped; a threshold once reached stays reached (a later erasure does not undo it).
 */
export function applyCount(petition: Pick<Petition, 'thresholds'>, newCount: number, now: Date): { thresholds: ThresholdState[]; crossed: Crossing[] } {
  const crossed: Crossing[] = [];
  const thresholds = petition.thresholds.map((t) => {
    if (t.reachedAt === null && newCount >= t.signatures) {
      crossed.push({ signatures: t.signatures, purpose: t.purpose });
      return { ...t, reachedAt: now.toISOString(), countAtCrossing: newCount };
    }
    return t;
  });
  return { thresholds, crossed };
}

/** The stable key every alert for a crossing carries, whatever the retries. */
export const alertIdempotencyKey = (petitionId: string, threshold: number) => `petition-threshold:${petitionId}:${threshold}`;

/** Only published (open, closed) and rejected petitions are public; drafts and the moderation queue are not. */
export const isPublic = (petition: Pick<Petition, 'status'>) => petition.status === 'open' || petition.status === 'rejected';

/** Public view: never the author's identity. */
export function petitionView(petition: Petition, now: Date) {
  return {
    id: petition.id,
    community: petition.community,
    title: petition.title,
    text: petition.text,
    status: effectiveStatus(petition, now),
    signatureCount: petition.signatureCount,
    createdAt: petition.createdAt,
    publishedAt: petition.publishedAt,
    closesAt: petition.closesAt,
    thresholds: petition.thresholds.map((t) => ({ signatures: t.signatures, purpose: t.purpose, reachedAt: t.reachedAt })),
    rejection: petition.rejection ? { reasonCode: petition.rejection.reasonCode, explanation: petition.rejection.explanation } : null,
    response: petition.response ? { decision: petition.response.decision, text: petition.response.text, decidedAt: petition.response.decidedAt } : null,
  };
}
