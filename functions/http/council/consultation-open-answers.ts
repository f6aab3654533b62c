import { documentClient } from '#shared/data/client.ts';
import { openAnswersPage, requireConsultation } from '#shared/data/consultations.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { problems } from '#shared/http/problem.ts';

/** The texts of an open question, for the council to read before its report; never published as such. */
export const handler = httpHandler('councilOpenAnswers', async ({ params, query, principal }) => {
  const db = documentClient();
  const consultation = await requireConsultation(db, params.id, { ofCommunity: principal.community });
  const question = consultation.questions.find((q) => q.id === query.questionId);
  if (question?.type !== 'open') throw problems.notFound(`The consultation has no open question "${query.questionId}".`);
  return { status: 200, body: await openAnswersPage(db, consultation.id, question.id, query.limit, query.cursor) };
});
