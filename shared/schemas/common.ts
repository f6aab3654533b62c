import * as z from 'zod';

export const uuid = z.uuid({ message: 'must be a UUID' });
export const communityId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,48}$/, 'must be a community id such as "ternopil"');
export const isoDateTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' });
export const isoDate = z.iso.date({ message: 'must be a date YYYY-MM-DD' });

/** Text a person writes: NFC-normalized, trimmed, no control characters except newlines and tabs. */
export const humanText = (min: number, max: number) =>
  z
    .string()
    // One form for one text: what looks the same is stored, compared and counted the same.
    .normalize('NFC')
    .trim()
    .min(min, `must be at least ${min} characters`)
    .max(max, `must be at most ${max} characters`)
    .refine((s) => s.isWellFormed(), 'must be well-formed Unicode (no lone surrogates)')
    // eslint-disable-next-line no-control-regex -- the point is to refuse control characters
    .refine((s) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(s), 'must not contain control characters');

/**
 * Bidirectional controls (embeddings, overrides, isolates, marks): in a title they can make text
 * display in another order than it is stored (a "right-to-left override" that reverses a name).
 */
export const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/u;

/** Characters a reader sees: not format characters (zero-width space/joiners, BOM, soft hyphen...) nor white space. */
const visibleLength = (s: string) => s.replace(/[\p{Cf}\p{Z}\s]/gu, '').length;

/**
 * A title (petition, consultation, proposal, budget, budget project): human text as above, and
 * no bidi controls, and visible: at least one letter, and `min` characters not counting invisible
 * (format) characters, so a title of zero-width characters or of spaces alone is refused.
 */
export const titleText = (min: number, max: number) =>
  humanText(min, max)
    .refine((s) => !BIDI_CONTROLS.test(s), 'must not contain bidirectional control characters (U+202A-202E, U+2066-2069, U+200E, U+200F, U+061C)')
    .refine((s) => /\p{L}/u.test(s), 'must contain visible letters')
    .refine((s) => s.replace(/\p{Cf}/gu, '').length >= min && visibleLength(s) > 0, `must be at least ${min} visible characters`);

export const idParams = z.strictObject({ id: uuid });

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(4096).optional(),
};

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    requestId: z.string().optional(),
  })
  // RFC 9457 extension members (e.g. `errors` of a validation problem, the `rule` a ballot broke)
  // are part of a problem: kept, not stripped.
  .loose()
  .meta({ id: 'Problem', description: 'RFC 9457 problem details, with extension members where a problem has them' });

export const healthSchema = z.object({ status: z.literal('ok'), store: z.enum(['ok', 'unavailable']), time: isoDateTime });
