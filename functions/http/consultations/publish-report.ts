import { documentClient } from '#shared/data/client.ts';
import { allProposals, consultationResults, requireConsultation, saveReport } from '#shared/data/consultations.ts';
import { publishReport } from '#shared/domain/consultations/consultation.ts';
import { reportView } from '#shared/domain/consultations/report.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { problemFromRefusal, problems } from '#shared/http/problem.ts';

/** Freezes the final results, then publishes the report; from then on, answers to proposals are final too. */
export const handler = httpHandler('publishConsultationReport', async ({ params, body, principal }) => {
  const db = documentClient();
  const consultation = await requireConsultation(db, params.id, { ofCommunity: principal.community, consistent: true });
  const now = new Date();
  const decision = publishReport(consultation, body, now);
  if (!decision.ok) throw problemFromRefusal(decision);
  const results = await consultationResults(db, consultation, now, { freeze: true });
  if (!(await saveReport(db, decision.value, { community: principal.community, action: 'consultation.report-published', actor: principal, target: { type: 'consultation', id: consultation.id }, at: now }))) throw problems.conflict('already-reported', 'The council has already published its report.');
  const reported = decision.value;
  return {
    status: 201,
    body: reportView(reported, reported.report!, results, await allProposals(db, reported.id), now),
    headers: { location: `/v1/consultations/${reported.id}/report` },
  };
});
