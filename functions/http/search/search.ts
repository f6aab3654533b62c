import { resolveCommunity } from '#shared/data/communities.ts';
import { decodeCursor, encodeCursor, invalidCursor } from '#shared/data/cursor.ts';
import { queryKey, statusAt, type SearchDoc } from '#shared/domain/search/index.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { problems } from '#shared/http/problem.ts';
import { loadIndex } from '#shared/search/cache.ts';

const urlOf = (doc: SearchDoc) =>
  doc.type === 'petition' ? `/v1/petitions/${doc.id}`
    : doc.type === 'consultation' ? `/v1/consultations/${doc.id}`
      : `/v1/budgets/${doc.budgetId}/projects/${doc.id.slice(doc.id.indexOf(':') + 1)}`;

export const handler = httpHandler('searchCommunity', async ({ query }) => {
  const community = resolveCommunity(query.community);
  // The cursor is an offset in this very search (community, type, words), signed.
  const scope = `search:${community}:${query.type ?? '*'}:${queryKey(query.q)}`;
  let offset = 0;
  if (query.cursor !== undefined) {
    const value = await decodeCursor(scope, query.cursor);
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 100_000) throw invalidCursor();
    offset = value;
  }
  const index = await loadIndex(community);
  if (!index) throw problems.forbidden('unknown-community', `The community "${community}" is not served by this deployment.`);
  const { hits, total } = index.page(query.q, { type: query.type, offset, limit: query.limit });
  const now = new Date();
  const items = hits.map((hit) => {
    const { doc } = hit;
    const s = index.snippet(hit);
    return { type: doc.type, id: doc.id, title: doc.title, snippet: s.text, highlights: s.highlights.map(([a, b]) => [a, b]), status: statusAt(doc, now), url: urlOf(doc) };
  });
  const next = offset + query.limit < total ? offset + query.limit : null;
  return { status: 200, body: { items, nextCursor: await encodeCursor(scope, next) }, cacheSeconds: 5 };
});
