import { documentClient } from '#shared/data/client.ts';
import { getPetition, saveTransition } from '#shared/data/petitions.ts';
import { checkCanModerate, normalizeTags, petitionView, publish, reject } from '#shared/domain/petitions/petition.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { problemFromRefusal, problems } from '#shared/http/problem.ts';

export const handler = httpHandler('moderatePetition', async ({ params, body, principal }) => {
  const db = documentClient();
  const petition = await getPetition(db, params.id, true);
  // Moderators act within their own community only.
  if (!petition || petition.community !== principal.community) throw problems.notFound('No such petition in your community.');
  const own = checkCanModerate(petition, principal);
  if (own) throw problemFromRefusal(own);
  const now = new Date();
  const decision = body.decision === 'publish' ? publish(petition, now) : reject(petition, body.reasonCode, body.explanation);
  if (!decision.ok) throw problemFromRefusal(decision);
  // The moderator may correct the author's categories with the decision.
  const decided = body.tags === undefined ? decision.value : { ...decision.value, tags: normalizeTags(body.tags) };
  const audit = {
    community: petition.community,
    action: body.decision === 'publish' ? 'petition.published' : 'petition.rejected',
    actor: principal,
    target: { type: 'petition', id: petition.id },
    ...(body.decision === 'reject' || body.tags !== undefined
      ? { detail: { ...(body.decision === 'reject' ? { reasonCode: body.reasonCode } : {}), ...(body.tags !== undefined ? { tags: decided.tags } : {}) } }
      : {}),
    at: now,
  };
  if (!(await saveTransition(db, petition, decided, audit))) throw problems.conflict('changed', 'Another moderator decided meanwhile; reload it.');
  return { status: 200, body: petitionView(decided, now) };
});
