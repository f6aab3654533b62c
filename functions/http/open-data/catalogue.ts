import { documentClient } from '../../../shared/data/client.ts';
import { getCommunity, resolveCommunity } from '../../../shared/data/communities.ts';
import { publicPetitions } from '../../../shared/data/open-data.ts';
import { datasetEntry, lastModified, petitionColumns } from '../../../shared/domain/open-data/petitions.ts';
import { httpHandler } from '../../../shared/http/handler.ts';

export const handler = httpHandler('openDataCatalogue', async ({ query }) => {
  const db = documentClient();
  const community = await getCommunity(db, resolveCommunity(query.community));
  const petitions = await publicPetitions(db, community.id);
  const datasets = [
    datasetEntry({
      id: `${community.id}-petitions`,
      title: `Petitions: ${community.name}`,
      description:
        'Every public petition of the community (open, closed, rejected): signature counts, the threshold that asks for the ' +
        "council's response and when it was reached, rejection reasons, the council's responses. Title withheld where the " +
        'rejection reason requires it (personal data, offensive or unlawful content).',
      community: { id: community.id, name: community.name },
      path: '/v1/open-data/petitions',
      modified: lastModified(petitions),
      keywords: ['petitions', 'e-democracy', 'петиції'],
      columns: petitionColumns,
    }),
  ];
  return { status: 200, body: { community: community.id, datasets }, cacheSeconds: 60 };
});
