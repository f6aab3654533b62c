import { randomUUID } from 'node:crypto';
import { documentClient } from '#shared/data/client.ts';
import { getCommunity } from '#shared/data/communities.ts';
import { createConsultation } from '#shared/data/consultations.ts';
import { consultationView, newConsultation } from '#shared/domain/consultations/consultation.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { problemFromRefusal } from '#shared/http/problem.ts';

/** The council publishes in its own community; the community is the caller's, never the body's. */
export const handler = httpHandler('createConsultation', async ({ body, principal }) => {
  const db = documentClient();
  const community = await getCommunity(db, principal.community);
  const now = new Date();
  const decision = newConsultation({ ...body, id: randomUUID(), community: community.id, createdBy: principal.sub }, now);
  if (!decision.ok) throw problemFromRefusal(decision);
  await createConsultation(db, decision.value, {
    community: community.id, action: 'consultation.published', actor: principal, target: { type: 'consultation', id: decision.value.id }, at: now,
  });
  return { status: 201, body: consultationView(decision.value, now), headers: { location: `/v1/consultations/${decision.value.id}` } };
});
