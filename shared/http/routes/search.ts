import { route } from '#shared/http/route.ts';
import { searchPage, searchQuery } from '#shared/schemas/search.ts';
import { problem } from './problem-response.ts';

export const searchRoutes = {
  searchCommunity: route({
    method: 'GET',
    path: '/v1/search',
    handler: 'search/search',
    auth: 'public',
    summary: 'Search petitions, consultations and budget projects of a community (Ukrainian and English)',
    tags: ['search'],
    // Reads the community's search index (S3 in AWS), never the table.
    table: 'none',
    request: { query: searchQuery },
    responses: { 200: { description: 'A page of matches, best first', schema: searchPage }, 400: problem('No words to search for, or a bad cursor'), 403: problem('Not a community this deployment serves') },
  }),
} as const;
