import { documentClient } from '#shared/data/client.ts';
import { resolveCommunity } from '#shared/data/communities.ts';
import { consultationColumns } from '#shared/domain/open-data/consultations.ts';
import { consultationRowsOf } from '#shared/domain/open-data/snapshot.ts';
import { currentSnapshot } from '#shared/open-data/snapshots.ts';
import { csvResult, toCsv } from '#shared/http/csv.ts';
import { httpHandler } from '#shared/http/handler.ts';

export const handler = httpHandler('openDataConsultations', async ({ query }) => {
  const community = resolveCommunity(query.community);
  const now = new Date();
  const rows = consultationRowsOf(await currentSnapshot(documentClient(), community), now);
  if (query.format === 'csv') {
    return csvResult(toCsv(consultationColumns, rows.map((row) => consultationColumns.map((c) => row[c]))), `${community}-consultations.csv`, 5);
  }
  return { status: 200, body: { dataset: 'consultations', community, generatedAt: now.toISOString(), columns: consultationColumns, rows }, cacheSeconds: 5 };
});
