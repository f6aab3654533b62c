import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../../shared/data/client.ts';
import { consultationResults, requireConsultation } from '../../../shared/data/consultations.ts';
import { resultsArePublic } from '../../../shared/domain/consultations/consultation.ts';
import { httpHandler } from '../../../shared/http/handler.ts';
import { problems } from '../../../shared/http/problem.ts';

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

export const handler = httpHandler('consultationResults', async ({ params }) => {
  const { results, cacheSeconds } = await publicResults(documentClient(), params.id, new Date());
  return { status: 200, body: results, cacheSeconds };
});
