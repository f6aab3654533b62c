import { followFor, requireEmail } from '#shared/app/notifications.ts';
import { documentClient } from '#shared/data/client.ts';
import { requireConsultation, saveResponse } from '#shared/data/consultations.ts';
import { checkAnswers } from '#shared/domain/consultations/answers.ts';
import { checkCanParticipate } from '#shared/domain/consultations/consultation.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { problemFromRefusal } from '#shared/http/problem.ts';

/**
 * Checks everything before the one write, so a refused response stores nothing. `{"notify": true}`
 * also follows the consultation (its report goes to followers), written after the response: a
 * failure there is a 5xx, and the retry (200, the same answers) follows.
 */
export const handler = httpHandler('respondToConsultation', async ({ params, body, principal, headers }) => {
  const db = documentClient();
  if (body.notify) requireEmail(principal);
  const consultation = await requireConsultation(db, params.id);
  const now = new Date();
  const refusal = checkCanParticipate(consultation, principal, now);
  if (refusal) throw problemFromRefusal(refusal);
  const broken = checkAnswers(consultation.questions, body.answers);
  if (broken) throw problemFromRefusal(broken, { questionId: broken.questionId });
  const { outcome, response } = await saveResponse(db, consultation.id, principal.sub, body.answers, now);
  if (body.notify) await followFor(db, { type: 'consultation', id: consultation.id }, principal, headers['accept-language'], now);
  return { status: outcome === 'created' ? 201 : 200, body: response };
});
