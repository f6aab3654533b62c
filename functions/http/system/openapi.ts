import { httpHandler } from '#shared/http/handler.ts';
import { openApiDocument } from '#shared/http/openapi.ts';

let document: ReturnType<typeof openApiDocument> | undefined;

export const handler = httpHandler('openapi', async () => {
  document ??= openApiDocument();
  return { status: 200, body: document, cacheSeconds: 300 };
});
