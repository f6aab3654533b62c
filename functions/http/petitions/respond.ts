import { documentClient } from '#shared/data/client.ts';
import { getPetition, saveResponse } from '#shared/data/petitions.ts';
import { petitionView, recordResponse } from '#shared/domain/petitions/petition.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { problemFromRefusal, problems } from '#shared/http/problem.ts';

export const handler = httpHandler('respondToPetition', async ({ params, body, principal }) => {
  const db = documentClient();
  const petition = await getPetition(db, params.id, true);
  if (!petition || petition.community !== principal.community) throw problems.notFound('No such petition in your community.');
  const now = new Date();
  const decision = recordResponse(petition, body, now);
  if (!decision.ok) throw problemFromRefusal(decision);
  const audit = { community: petition.community, action: 'petition.answered', actor: principal, target: { type: 'petition', id: petition.id }, detail: { decision: body.decision }, at: now };
  if (!(await saveResponse(db, decision.value, audit))) throw problems.conflict('already-answered', 'The council has already recorded its response.');
  return { status: 200, body: petitionView(decision.value, now) };
});
