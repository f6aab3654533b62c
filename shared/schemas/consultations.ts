import * as z from 'zod';
import { questionTypes } from '#shared/domain/consultations/consultation.ts';
import { hideReasons, proposalDecisions, reportReasons } from '#shared/domain/consultations/contributions.ts';
import { communityId, humanText, isoDateTime, pageQuery, titleText, uuid } from './common.ts';

/**
 * Shapes only. A well-formed request that breaks a rule of the domain (an answer with too many
 * choices, maxChoices above the number of options) is refused by the domain with 422, naming the rule.
 */
const shortId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/, 'must be 1-40 letters, digits, "-" or "_"');

const documentLink = z.strictObject({
  title: titleText(1, 200),
  url: z.url({ protocol: /^https$/, message: 'must be an https URL' }).max(2000),
});

const question = z.strictObject({
  id: shortId,
  type: z.enum(questionTypes),
  text: humanText(3, 500),
  /** Choice questions: 2-20 options. Open questions: none. */
  options: z.array(z.strictObject({ id: shortId, text: humanText(1, 200) })).max(20).optional(),
  /** Multiple choice: most options one may choose; ranked: most options one may rank. */
  maxChoices: z.int().min(1).max(20).optional(),
  /** Default true: the question must be answered. */
  required: z.boolean().optional(),
});

export const createConsultationBody = z.strictObject({
  title: titleText(5, 200),
  /** The draft decision put to consultation. Without it, the consultation is a poll. */
  draftText: humanText(20, 30_000).optional(),
  documents: z.array(documentLink).max(10).optional(),
  opensAt: isoDateTime,
  closesAt: isoDateTime,
  questions: z.array(question).min(1).max(20),
  /** Residence in the council's community is always required; districts are not supported (not in our claims). */
  eligibility: z.strictObject({ minAge: z.int().min(0).max(120) }).optional(),
  /** Default `after-close`: no running count to sway those who have not answered yet. */
  resultsVisibility: z.enum(['live', 'after-close']).default('after-close'),
});

export const consultationParams = z.strictObject({ id: uuid });
export const proposalParams = z.strictObject({ id: uuid, proposalId: uuid });
export const commentParams = z.strictObject({ id: uuid, commentId: uuid });

export const listConsultationsQuery = z.strictObject({
  community: communityId.optional(),
  /** Only consultations in this state now (default: all, latest opening first). */
  status: z.enum(['upcoming', 'open', 'closed']).optional(),
  ...pageQuery,
});
export const contributionListQuery = z.strictObject({ ...pageQuery });
export const proposalListQuery = z.strictObject({ sort: z.enum(['newest', 'most-supported']).default('newest'), ...pageQuery });
export const exportQuery = z.strictObject({ format: z.enum(['json', 'csv']).default('json') });
export const openAnswersQuery = z.strictObject({ questionId: shortId, ...pageQuery });

const answer = z.strictObject({
  questionId: shortId,
  /** Choice questions; ranked questions list options best first. */
  optionIds: z.array(shortId).max(20).optional(),
  /** Open questions. */
  text: humanText(1, 2000).optional(),
});

/** `notify`: hear by e-mail when the council publishes its report (a follow of the consultation). */
export const responseBody = z.strictObject({ answers: z.array(answer).max(20), notify: z.boolean().optional() });

export const commentBody = z.strictObject({ text: humanText(2, 5000) });
export const proposalBody = z.strictObject({ title: titleText(5, 200), text: humanText(20, 10_000) });
export const stanceBody = z.strictObject({ stance: z.enum(['support', 'oppose']) });

export const moderationBody = z.discriminatedUnion('decision', [
  z.strictObject({ decision: z.literal('publish') }),
  z.strictObject({ decision: z.literal('hide'), reasonCode: z.enum(hideReasons), explanation: humanText(5, 2000) }),
]);

/** A resident's report of a comment or proposal to the moderators; the note is for them only. */
export const contributionReportBody = z.strictObject({ reason: z.enum(reportReasons), note: humanText(1, 500).optional() });

export const moderationContributionsQuery = z.strictObject({
  /** Default: the moderator's own community (the only one they may read). */
  community: communityId.optional(),
  /** `reported`: awaiting review, oldest report first; `hidden`: most recently hidden first. */
  state: z.enum(['reported', 'hidden']).default('reported'),
  ...pageQuery,
});

export const proposalResponseBody = z.strictObject({ decision: z.enum(proposalDecisions), text: humanText(10, 20_000) });

export const reportBody = z.strictObject({ summary: humanText(20, 50_000), documents: z.array(documentLink).max(10).optional() });

const questionView = z.object({
  id: z.string(),
  type: z.enum(questionTypes),
  text: z.string(),
  options: z.array(z.object({ id: z.string(), text: z.string() })),
  maxChoices: z.int().nullable(),
  required: z.boolean(),
});

export const consultationSummaryView = z
  .object({
    id: uuid,
    community: z.string(),
    kind: z.enum(['consultation', 'poll']),
    title: z.string(),
    status: z.enum(['upcoming', 'open', 'closed']),
    opensAt: isoDateTime,
    closesAt: isoDateTime,
    resultsVisibility: z.enum(['live', 'after-close']),
    createdAt: isoDateTime,
    reportPublishedAt: isoDateTime.nullable(),
  })
  .meta({ id: 'ConsultationSummary' });

export const consultationView = consultationSummaryView
  .extend({
    draftText: z.string().nullable(),
    documents: z.array(z.object({ title: z.string(), url: z.string() })),
    eligibility: z.object({ minAge: z.int() }),
    questions: z.array(questionView),
  })
  .meta({ id: 'Consultation' });

export const consultationPage = z.object({
  items: z.array(consultationSummaryView),
  nextCursor: z.string().nullable(),
  /** How many consultations are in each state now; on the first page only (null after). */
  counts: z.object({ upcoming: z.number().int(), open: z.number().int(), closed: z.number().int() }).nullable(),
});

export const responseView = z.object({
  consultationId: uuid,
  answers: z.array(z.object({ questionId: z.string(), optionIds: z.array(z.string()).optional(), text: z.string().optional() })),
  submittedAt: isoDateTime,
  updatedAt: isoDateTime,
});

export const resultsView = z
  .object({
    consultationId: uuid,
    participants: z.int(),
    final: z.boolean(),
    computedAt: isoDateTime,
    questions: z.array(z.object({
      id: z.string(),
      type: z.enum(questionTypes),
      text: z.string(),
      answered: z.int(),
      options: z.array(z.object({ id: z.string(), text: z.string(), count: z.int() })).optional(),
      ranking: z.object({
        method: z.literal('borda-count'),
        description: z.string(),
        order: z.array(z.object({ optionId: z.string(), points: z.int(), position: z.int() })),
      }).optional(),
    })),
  })
  .meta({ id: 'ConsultationResults' });

const hiddenView = z.object({ reasonCode: z.enum(hideReasons), explanation: z.string() }).nullable();

export const commentView = z
  .object({ id: uuid, consultationId: uuid, status: z.enum(['published', 'hidden']), text: z.string().nullable(), hidden: hiddenView, createdAt: isoDateTime })
  .meta({ id: 'ConsultationComment' });

export const proposalView = commentView
  .extend({
    title: z.string().nullable(),
    supportCount: z.int(),
    opposeCount: z.int(),
    councilResponse: z.object({ decision: z.enum(proposalDecisions), text: z.string(), recordedAt: isoDateTime }).nullable(),
  })
  .meta({ id: 'ConsultationProposal' });

export const commentPage = z.object({ items: z.array(commentView), nextCursor: z.string().nullable() });
export const proposalPage = z.object({ items: z.array(proposalView), nextCursor: z.string().nullable() });

export const stanceView = z.object({ proposalId: uuid, stance: z.enum(['support', 'oppose']).nullable(), supportCount: z.int(), opposeCount: z.int() });

export const openAnswersPage = z.object({ questionId: z.string(), items: z.array(z.string()), nextCursor: z.string().nullable() });

export const reportView = z
  .object({
    consultation: consultationSummaryView,
    summary: z.string(),
    documents: z.array(z.object({ title: z.string(), url: z.string() })),
    publishedAt: isoDateTime,
    results: resultsView,
    proposals: z.array(proposalView),
  })
  .meta({ id: 'ConsultationReport' });

export const contributionReportView = z
  .object({ consultationId: uuid, kind: z.enum(['comment', 'proposal']), id: uuid, reason: z.enum(reportReasons), reportedAt: isoDateTime })
  .meta({ id: 'ContributionReport' });

export const moderationContributionView = z
  .object({
    consultationId: uuid,
    consultationTitle: z.string(),
    kind: z.enum(['comment', 'proposal']),
    id: uuid,
    /** Proposals: the title, shown to moderators even when hidden. */
    title: z.string().nullable(),
    /** The full text, shown to moderators even when hidden. */
    text: z.string(),
    createdAt: isoDateTime,
    status: z.enum(['published', 'hidden']),
    hidden: z.object({ reasonCode: z.enum(hideReasons), explanation: z.string(), hiddenAt: isoDateTime }).nullable(),
    /** How many people reported it (ever). */
    reportCount: z.int(),
    reasons: z.object(Object.fromEntries(reportReasons.map((r) => [r, z.int()])) as Record<(typeof reportReasons)[number], z.ZodInt>),
    /** The first report not yet reviewed by a moderator (null: none). */
    awaitingReviewSince: isoDateTime.nullable(),
  })
  .meta({ id: 'ModerationContribution' });

export const moderationContributionPage = z.object({ items: z.array(moderationContributionView), nextCursor: z.string().nullable() });
