import { documentClient } from '#shared/data/client.ts';
import { consultationSummaryView } from '#shared/domain/consultations/consultation.ts';
import { RESULTS_COLUMNS, resultsRows } from '#shared/domain/consultations/results.ts';
import { csvResult, toCsv } from '#shared/http/csv.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { publicResults } from '#shared/app/consultations.ts';

/** Open data: the same results as the public results route, as JSON or CSV. */
export const handler = httpHandler('exportConsultationResults', async ({ params, query }) => {
  const now = new Date();
  const { consultation, results, cacheSeconds } = await publicResults(documentClient(), params.id, now);
  if (query.format === 'csv') {
    return csvResult(toCsv(RESULTS_COLUMNS, resultsRows(results)), `consultation-${consultation.id}-results.csv`, cacheSeconds);
  }
  return { status: 200, body: { consultation: consultationSummaryView(consultation, now), results }, cacheSeconds };
});
