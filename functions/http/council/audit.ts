import { auditPage } from '#shared/data/audit.ts';
import { documentClient } from '#shared/data/client.ts';
import { httpHandler } from '#shared/http/handler.ts';

export const handler = httpHandler('councilAudit', async ({ query, principal }) => ({
  status: 200,
  body: await auditPage(documentClient(), principal.community, query.limit, query.cursor),
}));
