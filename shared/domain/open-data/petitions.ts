import { effectiveStatus, isContentWithheld, responseThreshold, type Petition } from '#shared/domain/petitions/petition.ts';

/**
 * The petitions dataset of a community, pure: one row per public petition (published, open or
 * closed, and rejected), with stable column names (documented in the README; never renamed, new
 * columns only appended). Title and text follow the petition view: empty when the rejection's
 * reason withholds them.
 */
export const petitionColumns = [
  'petition_id',
  'title',
  'status',
  'content_withheld',
  'tags',
  'created_at',
  'published_at',
  'closes_at',
  'signature_count',
  'response_threshold',
  'response_threshold_reached_at',
  'thresholds_reached',
  'rejection_reason',
  'response_decision',
  'response_decided_at',
  'response_text',
  'url',
] as const;

export type PetitionRow = Record<(typeof petitionColumns)[number], string | number | boolean | null>;

export function petitionRow(p: Petition, now: Date): PetitionRow {
  const withheld = isContentWithheld(p);
  const threshold = responseThreshold(p);
  return {
    petition_id: p.id,
    title: withheld ? null : p.title,
    status: effectiveStatus(p, now),
    content_withheld: withheld,
    tags: p.tags.join(';'),
    created_at: p.createdAt,
    published_at: p.publishedAt,
    closes_at: p.closesAt,
    signature_count: p.signatureCount,
    response_threshold: threshold?.signatures ?? null,
    response_threshold_reached_at: threshold?.reachedAt ?? null,
    thresholds_reached: p.thresholds.filter((t) => t.reachedAt !== null).length,
    rejection_reason: p.rejection?.reasonCode ?? null,
    response_decision: p.response?.decision ?? null,
    response_decided_at: p.response?.decidedAt ?? null,
    response_text: p.response?.text ?? null,
    url: `/v1/petitions/${p.id}`,
  };
}

/** The latest moment a row could have changed, for the catalogue's `modified` (null: no petitions). */
export function lastModified(petitions: readonly Petition[]): string | null {
  let latest: string | null = null;
  for (const p of petitions) {
    for (const at of [p.submittedAt, p.publishedAt, p.response?.recordedAt, ...p.thresholds.map((t) => t.reachedAt)]) {
      if (at && (latest === null || at > latest)) latest = at;
    }
  }
  return latest;
}

export const LICENSE = {
  id: 'CC-BY-4.0',
  title: 'Creative Commons Attribution 4.0 International',
  url: 'https://creativecommons.org/licenses/by/4.0/',
} as const;

export interface Distribution {
  readonly format: 'CSV' | 'JSON';
  readonly mediaType: string;
  readonly url: string;
}

/** A catalogue entry (DCAT-style: dcat:Dataset with its dcat:Distribution list). */
export function datasetEntry(input: {
  id: string;
  title: string;
  description: string;
  community: { id: string; name: string };
  path: string;
  modified: string | null;
  keywords: readonly string[];
  columns: readonly string[];
}) {
  const url = (format: 'csv' | 'json') => `${input.path}?community=${encodeURIComponent(input.community.id)}&format=${format}`;
  return {
    id: input.id,
    title: input.title,
    description: input.description,
    publisher: input.community.name,
    license: LICENSE,
    keywords: [...input.keywords],
    modified: input.modified,
    formats: ['CSV', 'JSON'] as const,
    url: url('json'),
    distributions: [
      { format: 'CSV', mediaType: 'text/csv; charset=utf-8', url: url('csv') },
      { format: 'JSON', mediaType: 'application/json', url: url('json') },
    ] satisfies Distribution[],
    columns: [...input.columns],
  };
}
