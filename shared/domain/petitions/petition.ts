import type { Principal } from '#shared/auth/roles.ts';
import type { PetitionRules } from '#shared/domain/community.ts';
import { eligibilityRefusal } from '#shared/domain/eligibility.ts';
import { refusal, refuse, type Decision, type Refusal } from '#shared/domain/outcome.ts';

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
  /** Categories: set by the author, corrected by a moderator at moderation (lowercase, unique). */
  readonly tags: readonly string[];
}

/** At most this many categories per petition. */
export const MAX_TAGS = 5;

/** One form per category: NFC, lowercase, trimmed, unique, in the given order. */
export const normalizeTags = (tags: readonly string[]): string[] =>
  [...new Set(tags.map((t) => t.normalize('NFC').trim().toLowerCase()).filter((t) => t.length > 0))].slice(0, MAX_TAGS);

export function newPetition(input: {
  id: string;
  community: string;
  authorSub: string;
  title: string;
  text: string;
  rules: PetitionRules;
  draft: boolean;
  now: Date;
  tags?: readonly string[];
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
    tags: normalizeTags(input.tags ?? []),
  };
}

export function effectiveStatus(petition: Pick<Petition, 'status' | 'closesAt'>, now: Date): PetitionStatus {
  if (petition.status === 'open' && petition.closesAt && now.getTime() >= Date.parse(petition.closesAt)) return 'closed';
  return petition.status;
}

export function submit(petition: Petition, by: Principal, now: Date): Decision<Petition> {
  if (petition.authorSub !== by.sub) return refuse('not-allowed', 'not-author', 'Only the author may submit a draft.');
  if (petition.status !== 'draft') return refuse('wrong-state', 'not-draft', `The petition is ${petition.status}, not a draft.`);
  return { ok: true, value: { ...petition, status: 'moderation', submittedAt: now.toISOString() } };
}

export function publish(petition: Petition, now: Date): Decision<Petition> {
  if (petition.status !== 'moderation') return refuse('wrong-state', 'not-in-moderation', `The petition is ${petition.status}, not awaiting moderation.`);
  const closesAt = new Date(now.getTime() + petition.rules.signingDays * 86_400_000);
  return { ok: true, value: { ...petition, status: 'open', publishedAt: now.toISOString(), closesAt: closesAt.toISOString() } };
}

export function reject(petition: Petition, reasonCode: string, explanation: string): Decision<Petition> {
  if (petition.status !== 'moderation') return refuse('wrong-state', 'not-in-moderation', `The petition is ${petition.status}, not awaiting moderation.`);
  return { ok: true, value: { ...petition, status: 'rejected', rejection: { reasonCode, explanation } } };
}

/**
 * The threshold whose reaching asks the council for an answer: the lowest one whose purpose is a
 * response or the council's consideration (the same crossing that puts the petition in the
 * council's inbox when it is the first); failing such a purpose, the lowest threshold.
 */
export function responseThreshold(petition: Pick<Petition, 'thresholds'>): ThresholdState | undefined {
  return petition.thresholds.find((t) => t.purpose === 'response' || t.purpose === 'council-consideration') ?? petition.thresholds[0];
}

/**
 * The moment from which the council may answer: when the petition reached the threshold that asks
 * for a response, else when it closed (answering a closed petition below the threshold is the
 * council's discretion); undefined while it is open below the threshold (or not published).
 */
export function answerableSince(petition: Petition, now: Date): string | undefined {
  const reached = responseThreshold(petition)?.reachedAt;
  if (reached) return reached;
  if (effectiveStatus(petition, now) === 'closed') return petition.closesAt ?? undefined;
  return undefined;
}

/**
 * The council answers a published petition once (see `answerableSince`); the date of its decision
 * is neither before that moment nor in the future (default: now).
 */
export function recordResponse(
  petition: Petition,
  response: { decision: string; text: string; decidedAt?: string },
  now: Date,
): Decision<Petition> {
  const status = effectiveStatus(petition, now);
  if (status !== 'open' && status !== 'closed') return refuse('wrong-state', 'not-published', `The petition is ${status}; only published petitions are answered.`);
  if (petition.response) return refuse('wrong-state', 'already-answered', 'The council has already recorded its response.');
  const since = answerableSince(petition, now);
  if (since === undefined) {
    const threshold = responseThreshold(petition);
    return refuse('wrong-state', 'threshold-not-reached',
      `The petition has not reached the ${threshold?.signatures ?? 0} signatures that ask for a response and is still open; it can be answered once it reaches them or closes.`);
  }
  const recordedAt = now.toISOString();
  const decidedAt = response.decidedAt === undefined ? recordedAt : new Date(response.decidedAt).toISOString();
  if (Date.parse(decidedAt) > now.getTime()) {
    return refuse('invalid', 'decided-in-future', `decidedAt (${decidedAt}) is in the future.`);
  }
  if (Date.parse(decidedAt) < Date.parse(since)) {
    return refuse('invalid', 'decided-too-early', `decidedAt (${decidedAt}) is before the petition became answerable (${since}).`);
  }
  return { ok: true, value: { ...petition, response: { decision: response.decision, text: response.text, decidedAt, recordedAt } } };
}

/** A moderator never decides on a petition they wrote: someone else must publish or reject it. */
export function checkCanModerate(petition: Pick<Petition, 'authorSub'>, by: Principal): Refusal | undefined {
  if (petition.authorSub === by.sub) return refusal('not-allowed', 'own-petition', 'You cannot moderate a petition you wrote; another moderator must decide on it.');
  return undefined;
}

/** Whether `signer` may sign now: wrong state when the petition is not open, not allowed when the person is not eligible. */
export function checkCanSign(petition: Petition, signer: Principal, now: Date): Refusal | undefined {
  const status = effectiveStatus(petition, now);
  if (status !== 'open') {
    return refusal('wrong-state', 'not-open', status === 'closed' ? 'Signing has closed for this petition.' : `The petition is ${status}, not open for signing.`);
  }
  return eligibilityRefusal(signer, { community: petition.community, residentsOnly: petition.rules.residentsOnly, minAge: petition.rules.minSignerAge }, {
    notResident: 'Only residents of the community may sign this petition.', activity: 'to sign this petition', who: 'Signers',
  }, now);
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

/**
 * What a rejection's reason leaves public. A petition rejected because it exposes someone's
 * personal data, is offensive or is unlawful keeps its record public (that it existed, when, and
 * why it was refused: reason code and the moderator's explanation), but never its title or text:
 * publishing them would repeat the harm the rejection refuses. Other reasons (duplicate, not in
 * the council's competence, unclear, other) leave the petition fully visible, so anyone can judge
 * the moderation. The stored text is kept (for an appeal, and for its author's data export).
 */
export const withheldReasons: ReadonlySet<string> = new Set(['personal-data', 'offensive', 'unlawful']);

export const isContentWithheld = (petition: Pick<Petition, 'status' | 'rejection'>) =>
  petition.status === 'rejected' && petition.rejection !== null && withheldReasons.has(petition.rejection.reasonCode);

/** Public view: never the author's identity; title and text withheld where the rejection's reason says so. */
export function petitionView(petition: Petition, now: Date) {
  const withheld = isContentWithheld(petition);
  return {
    id: petition.id,
    community: petition.community,
    title: withheld ? null : petition.title,
    text: withheld ? null : petition.text,
    contentWithheld: withheld,
    status: effectiveStatus(petition, now),
    signatureCount: petition.signatureCount,
    createdAt: petition.createdAt,
    publishedAt: petition.publishedAt,
    closesAt: petition.closesAt,
    thresholds: petition.thresholds.map((t) => ({ signatures: t.signatures, purpose: t.purpose, reachedAt: t.reachedAt })),
    rejection: petition.rejection ? { reasonCode: petition.rejection.reasonCode, explanation: petition.rejection.explanation } : null,
    response: petition.response ? { decision: petition.response.decision, text: petition.response.text, decidedAt: petition.response.decidedAt } : null,
    // A withheld petition's categories are its moderator's correction at most; kept, they say nothing of the text.
    tags: [...petition.tags],
  };
}
