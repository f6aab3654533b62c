import { documentClient } from '#shared/data/client.ts';
import { requireContribution, saveModeration } from '#shared/data/consultations.ts';
import { commentView, moderate } from '#shared/domain/consultations/contributions.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { problemFromRefusal, problems } from '#shared/http/problem.ts';

export const handler = httpHandler('moderateConsultationComment', async ({ params, body, principal }) => {
  const db = documentClient();
  const { contribution: comment } = await requireContribution(db, 'comment', params.id, params.commentId, { ofCommunity: principal.community });
  const now = new Date();
  const decision = moderate(comment, body, now);
  if (!decision.ok) throw problemFromRefusal(decision);
  const action = decision.value.status === comment.status ? 'kept' : decision.value.status;
  const audit = { community: principal.community, action: `comment.${action}`, actor: principal, target: { type: 'comment', id: comment.id }, at: now };
  if (!(await saveModeration(db, comment, decision.value, audit))) throw problems.conflict('changed', 'Another moderator decided meanwhile; reload it.');
  return { status: 200, body: commentView(decision.value) };
});
