import * as z from 'zod';
import { declaredResponses, type RouteDefinition } from './route.ts';
import { routes } from './routes.ts';

const toSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;

function parameters(definition: RouteDefinition) {
  const out: Record<string, unknown>[] = [];
  for (const [location, schema] of [['path', definition.request?.params], ['query', definition.request?.query]] as const) {
    if (!schema) continue;
    const json = toSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      out.push({ name, in: location, required: location === 'path' || (json.required ?? []).includes(name), schema: property });
    }
  }
  return out;
}

/** The OpenAPI 3.1 document, generated from the route table's zod schemas. */
export function openApiDocument(serverUrl?: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [operationId, definition] of Object.entries(routes) as [string, RouteDefinition][]) {
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(declaredResponses(definition))) {
      responses[status] = {
        description: response.description,
        ...(response.schema ? { content: { [response.contentType ?? 'application/json']: { schema: toSchema(response.schema, 'output') } } } : {}),
      };
    }
    if (definition.auth !== 'public') {
      responses['401'] ??= { description: 'No valid bearer token' };
      responses['403'] ??= { description: `Needs one of the roles: ${definition.auth.join(', ')}` };
    }
    if (definition.request?.body || definition.request?.params || definition.request?.query) responses['400'] ??= { description: 'Invalid request (problem+json)' };
    paths[definition.path] ??= {};
    paths[definition.path]![definition.method.toLowerCase()] = {
      operationId,
      summary: definition.summary,
      tags: definition.tags,
      ...(definition.auth === 'public' ? { security: [] } : { security: [{ bearer: [] }], 'x-roles': definition.auth }),
      parameters: parameters(definition),
      ...(definition.request?.body
        ? {
            requestBody: {
              required: true,
              content: { [definition.request.bodyType ?? 'application/json']: { schema: toSchema(definition.request.body, 'input') } },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Hromada e-democracy API',
      version: '1',
      description: 'Petitions, consultations and participatory budgets for city councils. Errors are RFC 9457 problem+json.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    security: [{ bearer: [] }],
    paths,
  };
}
