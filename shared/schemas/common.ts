import { z } from 'zod';

export const uuid = z.uuid({ message: 'must be a UUID' });
export const communityId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,48}$/, 'must be a community id such as "ternopil"');
export const isoDateTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' });
export const isoDate = z.iso.date({ message: 'must be a date YYYY-MM-DD' });

/** Text a person writes: trimmed, no control characters except newlines and tabs. */
export const humanText = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min, `must be at least ${min} characters`)
    .max(max, `must be at most ${max} characters`)
    .refine((s) => s.isWellFormed(), 'must be well-formed Unicode (no lone surrogates)')
    // eslint-disable-next-line no-control-regex -- the point is to refuse control characters
    .refine((s) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(s), 'must not contain control characters');

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
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

export const healthSchema = z.object({ status: z.literal('ok'), store: z.enum(['ok', 'unavailable']), time: isoDateTime });
