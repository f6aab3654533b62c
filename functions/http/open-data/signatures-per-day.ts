import { documentClient } from '#shared/data/client.ts';
import { resolveCommunity } from '#shared/data/communities.ts';
import { signaturesPerDayRowsOf } from '#shared/domain/open-data/snapshot.ts';
import { signaturesPerDayColumns } from '#shared/domain/open-data/signatures.ts';
import { currentSnapshot } from '#shared/open-data/snapshots.ts';
import { csvResult, toCsv } from '#shared/http/csv.ts';
import { httpHandler } from '#shared/http/handler.ts';

const CACHE_SECONDS = 60;

export const handler = httpHandler('openDataSignaturesPerDay', async ({ query }) => {
  const community = resolveCommunity(query.community);
  const rows = signaturesPerDayRowsOf(await currentSnapshot(documentClient(), community));
  if (query.format === 'csv') {
    return csvResult(toCsv(signaturesPerDayColumns, rows.map((row) => signaturesPerDayColumns.map((c) => row[c]))), `${community}-signatures-per-day.csv`, CACHE_SECONDS);
  }
  return {
    status: 200,
    body: { dataset: 'signatures-per-day', community, generatedAt: new Date().toISOString(), columns: signaturesPerDayColumns, rows },
    cacheSeconds: CACHE_SECONDS,
  };
});
