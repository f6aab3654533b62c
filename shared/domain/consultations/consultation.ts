import type { Principal } from '#shared/auth/roles.ts';
import type { CommunityConfig, ConsultationRules } from '#shared/domain/community.ts';
import { eligibilityRefusal } from '#shared/domain/eligibility.ts';
import { refusal, refuse, type Decision, type Refusal } from '#shared/domain/outcome.ts';

/**
 * E-consultations and polls, pure. A consultation publishes a draft decision (text and links to
 * documents) for a period and asks questions; a poll is the same machinery without a draft. The
 * status follows the clock (upcoming before `opensAt`, open until `closesAt`, closed after), so no
 * job has to flip it. After closing, the council publishes a report once.
 */
export const questionTypes = ['single', 'multiple', 'ranked', 'open'] as const;
export type QuestionType = (typeof questionTypes)[number];

export interface ChoiceOption {
  readonly id: string;
  readonly text: string;
}

export interface Question {
  readonly id: string;
  readonly type: QuestionType;
  readonly text: string;
  /** Empty for open questions. */
  readonly options: readonly ChoiceOption[];
  /** Multiple choice: most options one may pick; ranked: most options one may rank. Null: no limit but the options. */
  readonly maxChoices: number | null;
  /** Every question must be answered unless the council marked it optional. */
  readonly required: boolean;
}

export interface DocumentLink {
  readonly title: string;
  readonly url: string;
}

/**
 * Who may take part, beyond being a resident of the consultation's community (always required).
 * Districts are not in our identity claims yet, so eligibility by district is not offered at all:
 * a rule the platform accepted but could not enforce would mislead the council.
 */
export interface Eligibility {
  /** Minimum age on the day of taking part; 0 for none. */
  readonly minAge: number;
}

/** `live`: anyone sees the running count; `after-close`: only once closed (council members always). */
export type ResultsVisibility = 'live' | 'after-close';

export interface ConsultationReport {
  readonly summary: string;
  readonly documents: readonly DocumentLink[];
  readonly publishedAt: string;
}

export interface Consultation {
  readonly id: string;
  readonly community: string;
  /** The council member who published it; never shown publicly. */
  readonly createdBy: string;
  readonly title: string;
  /** Null for a poll. */
  readonly draftText: string | null;
  readonly documents: readonly DocumentLink[];
  readonly opensAt: string;
  readonly closesAt: string;
  readonly eligibility: Eligibility;
  readonly questions: readonly Question[];
  readonly resultsVisibility: ResultsVisibility;
  readonly createdAt: string;
  readonly report: ConsultationReport | null;
}

export type ConsultationStatus = 'upcoming' | 'open' | 'closed';

/**
 * A response accepted just before `closesAt` may still be in flight for up to the function timeout
 * (29 s at most, API Gateway's limit). Results count as final, and are frozen, only after this.
 */
export const RESULTS_SETTLE_MS = 60_000;

/** Abuse limits when the community configures none. */
const defaultConsultationRules: ConsultationRules = { maxCommentsPerPersonPerDay: 20, maxProposalsPerPersonPerDay: 5 };

export const consultationRulesOf = (community: CommunityConfig): ConsultationRules => community.consultations ?? defaultConsultationRules;

export interface NewConsultationInput {
  readonly id: string;
  readonly community: string;
  readonly createdBy: string;
  readonly title: string;
  readonly draftText?: string | undefined;
  readonly documents?: readonly DocumentLink[] | undefined;
  readonly opensAt: string;
  readonly closesAt: string;
  readonly eligibility?: Eligibility | undefined;
  readonly questions: readonly {
    readonly id: string;
    readonly type: QuestionType;
    readonly text: string;
    readonly options?: readonly ChoiceOption[] | undefined;
    readonly maxChoices?: number | undefined;
    readonly required?: boolean | undefined;
  }[];
  readonly resultsVisibility: ResultsVisibility;
}

/** The rules a question definition must keep, beyond its shape; the first one broken, if any. */
function checkQuestion(q: NewConsultationInput['questions'][number]): { code: string; message: string } | undefined {
  const options = q.options ?? [];
  if (q.type === 'open') {
    if (options.length > 0 || q.maxChoices !== undefined) return { code: 'open-question-with-options', message: `Question "${q.id}" is open: it takes neither options nor maxChoices.` };
    return undefined;
  }
  if (options.length < 2) return { code: 'too-few-options', message: `Question "${q.id}" needs at least 2 options.` };
  const ids = options.map((o) => o.id);
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated) return { code: 'duplicate-option-id', message: `Question "${q.id}" has the option id "${repeated}" twice.` };
  if (q.type === 'single' && q.maxChoices !== undefined) return { code: 'single-choice-with-max', message: `Question "${q.id}" is single choice: it takes no maxChoices.` };
  if (q.maxChoices !== undefined && q.maxChoices > options.length) {
    return { code: 'max-choices-above-options', message: `Question "${q.id}": maxChoices ${q.maxChoices} is more than its ${options.length} options.` };
  }
  return undefined;
}

/** A consultation the council publishes, or the first rule its definition breaks. */
export function newConsultation(input: NewConsultationInput, now: Date): Decision<Consultation> {
  const opensAt = Date.parse(input.opensAt);
  const closesAt = Date.parse(input.closesAt);
  if (closesAt <= opensAt) return refuse('invalid', 'closes-before-opening', 'closesAt must be after opensAt.');
  if (closesAt <= now.getTime()) return refuse('invalid', 'closes-in-past', 'closesAt must be in the future.');
  const questionIds = input.questions.map((q) => q.id);
  const repeated = questionIds.find((id, i) => questionIds.indexOf(id) !== i);
  if (repeated) return refuse('invalid', 'duplicate-question-id', `The question id "${repeated}" is used twice.`);
  for (const q of input.questions) {
    const broken = checkQuestion(q);
    if (broken) return refuse('invalid', broken.code, broken.message);
  }
  return {
    ok: true,
    value: {
      id: input.id,
      community: input.community,
      createdBy: input.createdBy,
      title: input.title,
      draftText: input.draftText ?? null,
      documents: input.documents ?? [],
      // Stored in UTC so that the stored strings sort and compare as instants.
      opensAt: new Date(opensAt).toISOString(),
      closesAt: new Date(closesAt).toISOString(),
      eligibility: { minAge: input.eligibility?.minAge ?? 0 },
      questions: input.questions.map((q) => ({
        id: q.id,
        type: q.type,
        text: q.text,
        options: q.options ?? [],
        maxChoices: q.maxChoices ?? null,
        required: q.required ?? true,
      })),
      resultsVisibility: input.resultsVisibility,
      createdAt: now.toISOString(),
      report: null,
    },
  };
}

export function consultationStatus(c: Pick<Consultation, 'opensAt' | 'closesAt'>, now: Date): ConsultationStatus {
  if (now.getTime() < Date.parse(c.opensAt)) return 'upcoming';
  if (now.getTime() < Date.parse(c.closesAt)) return 'open';
  return 'closed';
}

/** Closed long enough that no accepted response can still land: the results will not change. */
export const resultsAreFinal = (c: Pick<Consultation, 'closesAt'>, now: Date) => now.getTime() >= Date.parse(c.closesAt) + RESULTS_SETTLE_MS;

/** Whether the public may see the results now (council members may at any time). */
export const resultsArePublic = (c: Pick<Consultation, 'opensAt' | 'closesAt' | 'resultsVisibility'>, now: Date) =>
  c.resultsVisibility === 'live' || consultationStatus(c, now) === 'closed';

/**
 * Whether `person` may take part now (respond, comment, propose, support): wrong state when the
 * consultation is not open, not allowed when the person is not eligible. Eligibility comes from
 * verified claims only.
 */
export function checkCanParticipate(c: Consultation, person: Principal, now: Date): Refusal | undefined {
  const status = consultationStatus(c, now);
  if (status === 'upcoming') return refusal('wrong-state', 'not-open-yet', `The consultation opens at ${c.opensAt}.`);
  if (status === 'closed') return refusal('wrong-state', 'closed', `The consultation closed at ${c.closesAt}.`);
  return eligibilityRefusal(person, { community: c.community, residentsOnly: true, minAge: c.eligibility.minAge }, {
    notResident: 'Only residents of the community may take part in this consultation.', activity: 'to take part in this consultation', who: 'Participants',
  }, now);
}

/** The council's report, once, after the results are final. */
export function publishReport(c: Consultation, input: { summary: string; documents?: readonly DocumentLink[] | undefined }, now: Date): Decision<Consultation> {
  if (!resultsAreFinal(c, now)) {
    return refuse('wrong-state', 'not-final', consultationStatus(c, now) === 'closed'
      ? 'The consultation has just closed; the report can be published a minute after closing, once the results are final.'
      : 'The report is published after the consultation closes.');
  }
  if (c.report) return refuse('wrong-state', 'already-reported', 'The council has already published its report.');
  return { ok: true, value: { ...c, report: { summary: input.summary, documents: input.documents ?? [], publishedAt: now.toISOString() } } };
}

/** Public view: never who published it. */
export function consultationView(c: Consultation, now: Date) {
  return {
    ...consultationSummaryView(c, now),
    draftText: c.draftText,
    documents: c.documents,
    eligibility: c.eligibility,
    questions: c.questions,
  };
}

/** The listing's view: no draft text or questions, which can be long. */
export function consultationSummaryView(c: Consultation, now: Date) {
  return {
    id: c.id,
    community: c.community,
    kind: c.draftText === null ? ('poll' as const) : ('consultation' as const),
    title: c.title,
    status: consultationStatus(c, now),
    opensAt: c.opensAt,
    closesAt: c.closesAt,
    resultsVisibility: c.resultsVisibility,
    createdAt: c.createdAt,
    reportPublishedAt: c.report?.publishedAt ?? null,
  };
}
