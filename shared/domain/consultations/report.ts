import { consultationSummaryView, type Consultation, type ConsultationReport } from './consultation.ts';
import { proposalView, type Proposal } from './contributions.ts';
import type { ConsultationResults } from './results.ts';

/**
 * The council's report on a closed consultation: its summary, the final results, and every
 * proposal with its support and the council's answer, most supported first (hidden ones last).
 */
export function reportView(c: Consultation, report: ConsultationReport, results: ConsultationResults, proposals: readonly Proposal[], now: Date) {
  const ordered = [...proposals].sort((a, b) =>
    Number(a.status === 'hidden') - Number(b.status === 'hidden') || b.supportCount - a.supportCount || a.createdAt.localeCompare(b.createdAt));
  return {
    consultation: consultationSummaryView(c, now),
    summary: report.summary,
    documents: report.documents,
    publishedAt: report.publishedAt,
    results,
    proposals: ordered.map(proposalView),
  };
}
