import * as z from 'zod';
import { MAX_TAGS } from '#shared/domain/petitions/petition.ts';
import { communityId, humanText, isoDateTime, pageQuery, titleText, uuid } from './common.ts';

export const rejectionReasons = ['duplicate', 'not-in-competence', 'offensive', 'unlawful', 'unclear', 'personal-data', 'other'] as const;

/** A category: one to three words of letters or digits joined by hyphens ("transport", "парки", "освіта-діти"). */
export const petitionTag = z
  .string()
  .normalize('NFC')
  .trim()
  .toLowerCase()
  .regex(/^[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*$/u, 'must be letters or digits joined by hyphens, such as "transport" or "парки"')
  .min(2, 'must be at least 2 characters')
  .max(40, 'must be at most 40 characters');

export const petitionTags = z.array(petitionTag).max(MAX_TAGS, `at most ${MAX_TAGS} categories`);

export const createPetitionBody = z.strictObject({
  title: titleText(10, 200),
  text: humanText(20, 10_000),
  /** Categories chosen by the author; a moderator may correct them. */
  tags: petitionTags.optional(),
  /** Save without submitting for moderation. */
  draft: z.boolean().optional(),
});

export const moderationBody = z.discriminatedUnion('decision', [
  z.strictObject({
    decision: z.literal('publish'),
    /** The moderator's correction of the author's categories (replaces them). */
    tags: petitionTags.optional(),
  }),
  z.strictObject({
    decision: z.literal('reject'),
    reasonCode: z.enum(rejectionReasons),
    explanation: humanText(5, 2000),
    tags: petitionTags.optional(),
  }),
]);

export const councilResponseBody = z.strictObject({
  decision: z.enum(['supported', 'partially-supported', 'not-supported', 'noted']),
  text: humanText(10, 20_000),
  /** Date of the council's decision; defaults to now. */
  decidedAt: isoDateTime.optional(),
});

export const petitionListingStates = ['open', 'closed', 'answered', 'rejected'] as const;

export const listPetitionsQuery = z.strictObject({
  community: communityId.optional(),
  /** open: signing now; closed: signing ended; answered: the council responded; rejected: refused at moderation. */
  status: z.enum(petitionListingStates).default('open'),
  /**
   * open: newest (published), most-signed, ending-soon; closed: newest (closed most recently),
   * most-signed; answered: newest (latest response); rejected: newest (latest submitted).
   */
  sort: z.enum(['newest', 'most-signed', 'ending-soon']).default('newest'),
  tag: petitionTag.optional(),
  ...pageQuery,
});

export const councilListQuery = z.strictObject({ ...pageQuery });

export const exportQuery = z.strictObject({ format: z.enum(['json', 'csv']).default('json') });

const thresholdView = z.object({
  signatures: z.number().int(),
  purpose: z.string(),
  reachedAt: isoDateTime.nullable(),
});

export const petitionView = z
  .object({
    id: uuid,
    community: z.string(),
    /** null when withheld (see contentWithheld). */
    title: z.string().nullable(),
    text: z.string().nullable(),
    /** True for a petition rejected for personal data, offensive or unlawful content: title and text are not published. */
    contentWithheld: z.boolean(),
    status: z.enum(['draft', 'moderation', 'rejected', 'open', 'closed']),
    signatureCount: z.number().int(),
    createdAt: isoDateTime,
    publishedAt: isoDateTime.nullable(),
    closesAt: isoDateTime.nullable(),
    thresholds: z.array(thresholdView),
    rejection: z.object({ reasonCode: z.enum(rejectionReasons), explanation: z.string() }).nullable(),
    response: z.object({ decision: z.string(), text: z.string(), decidedAt: isoDateTime }).nullable(),
    tags: z.array(z.string()),
  })
  .meta({ id: 'Petition' });

export const petitionPage = z.object({ items: z.array(petitionView), nextCursor: z.string().nullable() });

/** A page of a state listing; `counts` (per state, with the same tag filter) on the first page only. */
export const petitionListing = petitionPage.extend({
  counts: z.object({ open: z.number().int(), closed: z.number().int(), answered: z.number().int(), rejected: z.number().int() }).nullable(),
});

export const signatureView = z.object({
  id: uuid,
  petitionId: uuid,
  signedAt: isoDateTime,
  signatureCount: z.number().int(),
});

export const signerPage = z.object({
  items: z.array(z.object({ name: z.string(), signedAt: isoDateTime })),
  nextCursor: z.string().nullable(),
});

/** A petition in the council's inbox: with when its response is due under its rules (null: no deadline set). */
export const awaitingPage = z.object({
  items: z.array(petitionView.extend({
    responseDue: z.object({
      /** The last day for the response, in the community's calendar (YYYY-MM-DD). */
      dueOn: z.string(),
      /** Days from today to dueOn: 0 is today, negative is overdue. */
      daysLeft: z.number().int(),
    }).nullable(),
  })),
  nextCursor: z.string().nullable(),
});

export const alertView = z.object({
  petitionId: uuid,
  title: z.string(),
  threshold: z.number().int(),
  reachedAt: isoDateTime,
  signatureCount: z.number().int(),
  idempotencyKey: z.string(),
});

export const alertPage = z.object({ items: z.array(alertView), nextCursor: z.string().nullable() });
