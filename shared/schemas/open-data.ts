import * as z from 'zod';
import { communityId } from './common.ts';

export const catalogueQuery = z.strictObject({ community: communityId.optional() });
export const datasetQuery = z.strictObject({ community: communityId.optional(), format: z.enum(['json', 'csv']).default('json') });

const dataset = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  publisher: z.string(),
  license: z.object({ id: z.literal('CC-BY-4.0'), title: z.string(), url: z.string() }),
  keywords: z.array(z.string()),
  /** Latest change of any row (ISO 8601), null for an empty dataset. */
  modified: z.string().nullable(),
  formats: z.array(z.enum(['CSV', 'JSON', 'PB'])),
  /** The JSON distribution (the `.pb` file for Pabulib ballots). */
  url: z.string(),
  distributions: z.array(z.object({ format: z.enum(['CSV', 'JSON', 'PB']), mediaType: z.string(), url: z.string() })),
  /** Column names of the CSV (and keys of the JSON rows), stable; empty for Pabulib files (their sections are Pabulib's). */
  columns: z.array(z.string()),
});

export const catalogueView = z.object({ community: z.string(), datasets: z.array(dataset) }).meta({ id: 'OpenDataCatalogue' });
