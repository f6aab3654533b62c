import { z } from 'zod';
import { communityId, humanText, isoDateTime, pageQuery, titleText, uuid } from './common.ts';

export const rejectionReasons = ['duplicate', 'not-in-competence', 'offensive', 'unlawful', 'unclear', 'personal-data', 'other'] as const;

export const createPetitionBody = z.strictObject({
  title: titleText(10, 200),
  text: humanText(20, 10_000),
  /** Save without submitting for moderation. */
  draft: z.boolean().optional(),
});

export const moderationBody = z.discriminatedUnion('decision', [
  z.strictObject({ decision: z.literal('publish') }),
  z.strictObject({
    decision: z.literal('reject'),
    reasonCode: z.enum(rejectionReasons),
    explanation: humanText(5, 2000),
  }),
]);

export const councilResponseBody = z.strictObject({
  decision: z.enum(['supported', 'partially-supported', 'not-supported', 'noted']),
  text: humanText(10, 20_000),
  /** Date of the council's decision; defaults to now. */
  decidedAt: isoDateTime.optional(),
});

export const listPetitionsQuery = z.strictObject({
  community: communityId.optional(),
  sort: z.enum(['newest', 'most-signed', 'ending-soon']).default('newest'),
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
  })
  .meta({ id: 'Petition' });

export const petitionPage = z.object({ items: z.array(petitionView), nextCursor: z.string().nullable() });

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

export const alertView = z.object({
  petitionId: uuid,
  title: z.string(),
  threshold: z.number().int(),
  reachedAt: isoDateTime,
  signatureCount: z.number().int(),
  idempotencyKey: z.string(),
});

export const alertPage = z.object({ items: z.array(alertView), nextCursor: z.string().nullable() });
