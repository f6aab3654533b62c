import * as z from 'zod';
import { communityId, humanText, pageQuery } from './common.ts';

export const searchTypes = ['petition', 'consultation', 'project'] as const;

export const searchQuery = z.strictObject({
  /** Words to find (Ukrainian or English): every word must match; inflections and one typo in words of 5+ letters are forgiven. */
  q: humanText(1, 200).refine((s) => /[\p{L}\p{N}]/u.test(s), 'must contain a letter or a digit'),
  community: communityId.optional(),
  type: z.enum(searchTypes).optional(),
  ...pageQuery,
});

export const searchHit = z.object({
  type: z.enum(searchTypes),
  /** A project's id is `<budgetId>:<projectId>`. */
  id: z.string(),
  title: z.string(),
  /** The text around the first match, cut at word boundaries (… where cut). */
  snippet: z.string(),
  /** [start, end) offsets of the matched words in `snippet`. */
  highlights: z.array(z.tuple([z.number().int(), z.number().int()])),
  /** Petition: open, closed or rejected; consultation: upcoming, open or closed; project: submitted, admitted or rejected. */
  status: z.string(),
  /** Path of the item in this API. */
  url: z.string(),
});

export const searchPage = z.object({ items: z.array(searchHit), nextCursor: z.string().nullable() });
