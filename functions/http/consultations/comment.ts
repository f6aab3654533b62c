import { randomUUID } from 'node:crypto';
import { contribute } from '#shared/app/consultations.ts';
import { documentClient } from '#shared/data/client.ts';
import { commentView, newComment } from '#shared/domain/consultations/contributions.ts';
import { httpHandler } from '#shared/http/handler.ts';

export const handler = httpHandler('commentOnConsultation', async ({ params, body, principal }) => {
  const comment = await contribute(documentClient(), params.id, principal, (consultation, now) =>
    newComment({ id: randomUUID(), consultation, author: principal, text: body.text, now }));
  return { status: 201, body: commentView(comment), headers: { location: `/v1/consultations/${comment.consultationId}/comments/${comment.id}` } };
});
