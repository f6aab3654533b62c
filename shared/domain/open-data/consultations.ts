import { consultationSummaryView, type Consultation } from '#shared/domain/consultations/consultation.ts';

/** The consultations dataset: one row per consultation or poll, stable columns (README). */
export const consultationColumns = [
  'consultation_id', 'kind', 'title', 'status', 'opens_at', 'closes_at', 'results_visibility', 'report_published_at', 'results_url', 'export_url',
] as const;

export type ConsultationRow = Record<(typeof consultationColumns)[number], string | null>;

export function consultationRow(c: Consultation, now: Date): ConsultationRow {
  const v = consultationSummaryView(c, now);
  return {
    consultation_id: v.id,
    kind: v.kind,
    title: v.title,
    status: v.status,
    opens_at: v.opensAt,
    closes_at: v.closesAt,
    results_visibility: v.resultsVisibility,
    report_published_at: v.reportPublishedAt,
    results_url: `/v1/consultations/${v.id}/results`,
    export_url: `/v1/consultations/${v.id}/export`,
  };
}
