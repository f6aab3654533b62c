import { documentClient } from '../../../shared/data/client.ts';
import { resolveCommunity } from '../../../shared/data/communities.ts';
import { allConsultations } from '../../../shared/data/open-data.ts';
import { consultationColumns, consultationRow } from '../../../shared/domain/open-data/consultations.ts';
import { csvResult, toCsv } from '../../../shared/http/csv.ts';
import { httpHandler } from '../../../shared/http/handler.ts';

export const handler = httpHandler('openDataConsultations', async ({ query }) => {
  const community = resolveCommunity(query.community);
  const now = new Date();
  const rows = (await allConsultations(documentClient(), community)).map((c) => consultationRow(c, now));
  if (query.format === 'csv') {
    return csvResult(toCsv(consultationColumns, rows.map((row) => consultationColumns.map((c) => row[c]))), `${community}-consultations.csv`, 5);
  }
  return { status: 200, body: { dataset: 'consultations', community, generatedAt: now.toISOString(), columns: consultationColumns, rows }, cacheSeconds: 5 };
});
