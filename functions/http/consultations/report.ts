import { documentClient } from '#shared/data/client.ts';
import { allProposals, consultationResults, requireConsultation } from '#shared/data/consultations.ts';
import { reportView } from '#shared/domain/consultations/report.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { problems } from '#shared/http/problem.ts';

export const handler = httpHandler('getConsultationReport', async ({ params }) => {
  const db = documentClient();
  const consultation = await requireConsultation(db, params.id);
  if (!consultation.report) throw problems.notFound('The council has not published its report yet.');
  const now = new Date();
  // Publishing the report froze the results: this reads the frozen copy.
  const [results, proposals] = await Promise.all([consultationResults(db, consultation, now, { freeze: false }), allProposals(db, consultation.id)]);
  return { status: 200, body: reportView(consultation, consultation.report, results, proposals, now), cacheSeconds: 300 };
});
