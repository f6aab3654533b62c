import { randomUUID } from 'node:crypto';
import { documentClient } from '#shared/data/client.ts';
import { getCommunity } from '#shared/data/communities.ts';
import { createPetition } from '#shared/data/petitions.ts';
import { newPetition, petitionView } from '#shared/domain/petitions/petition.ts';
import { httpHandler } from '#shared/http/handler.ts';

export const handler = httpHandler('createPetition', async ({ body, principal }) => {
  const db = documentClient();
  const community = await getCommunity(db, principal.community);
  const now = new Date();
  const petition = newPetition({
    id: randomUUID(),
    community: community.id,
    authorSub: principal.sub,
    title: body.title,
    text: body.text,
    rules: community.petitions,
    draft: body.draft ?? false,
    now,
    tags: body.tags ?? [],
  });
  await createPetition(db, petition, community.petitions.maxCreatedPerPersonPerDay);
  return { status: 201, body: petitionView(petition, now), headers: { location: `/v1/petitions/${petition.id}` } };
});
