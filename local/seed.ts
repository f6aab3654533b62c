import { createDocumentClient } from '#shared/data/client.ts';
import { applyCommunities, loadCommunityFiles } from '#shared/data/communities.ts';
import { createPetition, saveTransition } from '#shared/data/petitions.ts';
import { newPetition, publish } from '#shared/domain/petitions/petition.ts';

/**
 * Demo content for a fresh local table: the communities of infra/communities/*.json, written as
 * the deploy-time custom resource writes them (applyCommunities), and one open petition in Ternopil.
 */
export async function seedDemo(): Promise<void> {
  const db = createDocumentClient();
  const communities = loadCommunityFiles();
  await applyCommunities(db, communities);
  const ternopil = communities.find((community) => community.id === 'ternopil');
  if (!ternopil) throw new Error('infra/communities/ternopil.json is missing: the demo petition is Ternopil\'s');
  const now = new Date();
  const draft = newPetition({
    id: '0b7c4e0e-6f3f-4b8e-9a59-3c1f3f0d2a11',
    community: ternopil.id,
    authorSub: 'demo-author',
    title: 'Велодоріжка вздовж Тернопільського ставу',
    text: 'Просимо облаштувати безпечну велодоріжку вздовж набережної Тернопільського ставу з освітленням і пішохідними переходами.',
    rules: ternopil.petitions,
    draft: false,
    now,
  });
  await createPetition(db, draft, ternopil.petitions.maxCreatedPerPersonPerDay);
  const published = publish(draft, now);
  if (published.ok) await saveTransition(db, draft, published.value);
  db.destroy();
}
