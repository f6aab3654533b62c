/**
 * Consultation use cases shared by several routes. Handlers import these; no handler imports
 * another handler (test/architecture.test.ts).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { consultationResults, requireConsultation } from '../data/consultations.ts';
import { resultsArePublic } from '../domain/consultations/consultation.ts';
import { problems } from '../http/problem.ts';

/**
 * The results as the public may see them: live, or only after closing, as the council chose. A
 * public route is read-only: results are frozen by the council's routes, and until then the CDN
 * caches each tally (final ones for longer, since they no longer change).
 */
export async function publicResults(db: DynamoDBDocumentClient, id: string, now: Date) {
  const consultation = await requireConsultation(db, id);
  if (!resultsArePublic(consultation, now)) {
    throw problems.forbidden('results-after-close', `The results are published after the consultation closes at ${consultation.closesAt}.`);
  }
  const results = await consultationResults(db, consultation, now, { freeze: false });
  return { consultation, results, cacheSeconds: results.final ? 300 : 10 };
}
