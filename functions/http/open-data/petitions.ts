import { documentClient } from '#shared/data/client.ts';
import { resolveCommunity } from '#shared/data/communities.ts';
import { petitionColumns } from '#shared/domain/open-data/petitions.ts';
import { petitionRowsOf } from '#shared/domain/open-data/snapshot.ts';
import { currentSnapshot } from '#shared/open-data/snapshots.ts';
import { csvResult, toCsv } from '#shared/http/csv.ts';
import { httpHandler } from '#shared/http/handler.ts';

/** Cacheable, briefly: a change shows within seconds. */
const CACHE_SECONDS = 5;

export const handler = httpHandler('openDataPetitions', async ({ query }) => {
  const community = resolveCommunity(query.community);
  const now = new Date();
  const rows = petitionRowsOf(await currentSnapshot(documentClient(), community), now);
  if (query.format === 'csv') {
    const csv = toCsv(petitionColumns, rows.map((row) => petitionColumns.map((c) => {
      const v = row[c];
      return typeof v === 'boolean' ? String(v) : v;
    })));
    return csvResult(csv, `${community}-petitions.csv`, CACHE_SECONDS);
  }
  return { status: 200, body: { dataset: 'petitions', community, generatedAt: now.toISOString(), columns: petitionColumns, rows }, cacheSeconds: CACHE_SECONDS };
});
