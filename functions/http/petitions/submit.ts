import { documentClient } from '#shared/data/client.ts';
import { getPetition, saveTransition } from '#shared/data/petitions.ts';
import { petitionView, submit } from '#shared/domain/petitions/petition.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { problemFromRefusal, problems } from '#shared/http/problem.ts';

export const handler = httpHandler('submitPetition', async ({ params, principal }) => {
  const db = documentClient();
  const petition = await getPetition(db, params.id, true);
  // Someone else's draft does not exist as far as this caller can tell.
  if (!petition || petition.authorSub !== principal.sub) throw problems.notFound('No such petition of yours.');
  const now = new Date();
  const decision = submit(petition, principal, now);
  if (!decision.ok) throw problemFromRefusal(decision);
  if (!(await saveTransition(db, petition, decision.value))) throw problems.conflict('changed', 'The petition changed meanwhile; reload it.');
  return { status: 200, body: petitionView(decision.value, now) };
});
