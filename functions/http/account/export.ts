import { documentClient } from '#shared/data/client.ts';
import { exportPersonalData } from '#shared/data/personal-data.ts';
import { httpHandler } from '#shared/http/handler.ts';

export const handler = httpHandler('exportMyData', async ({ principal }) => ({
  status: 200,
  body: await exportPersonalData(documentClient(), principal),
  headers: { 'content-disposition': 'attachment; filename="my-data.json"' },
}));
