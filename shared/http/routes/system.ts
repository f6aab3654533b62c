import { route } from '#shared/http/route.ts';
import { healthSchema } from '#shared/schemas/common.ts';
import { problem } from './problem-response.ts';

export const systemRoutes = {
  health: route({
    method: 'GET',
    path: '/health',
    handler: 'system/health',
    auth: 'public',
    summary: 'Liveness and data store reachability',
    tags: ['system'],
    table: 'read',
    responses: { 200: { description: 'Up', schema: healthSchema }, 503: problem('Data store unreachable') },
  }),
  openapi: route({
    method: 'GET',
    path: '/openapi.json',
    handler: 'system/openapi',
    auth: 'public',
    summary: 'This API as an OpenAPI 3.1 document',
    tags: ['system'],
    table: 'none',
    responses: { 200: { description: 'OpenAPI document' } },
  }),
  docs: route({
    method: 'GET',
    path: '/docs',
    handler: 'system/docs',
    auth: 'public',
    summary: 'Human-readable API reference',
    tags: ['system'],
    table: 'none',
    responses: { 200: { description: 'HTML page', contentType: 'text/html' } },
  }),
} as const;
