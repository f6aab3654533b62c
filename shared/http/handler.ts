import { createHash } from 'node:crypto';
import middy, { type MiddlewareObj } from '@middy/core';
import httpSecurityHeaders from '@middy/http-security-headers';
import httpCors from '@middy/http-cors';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { z } from 'zod';
import { corsOrigins } from '#shared/config.ts';
import { principalFromAuthorizerContext } from '#shared/auth/claims.ts';
import type { Principal } from '#shared/auth/roles.ts';
import { negotiateLanguage } from '#shared/i18n/problems.ts';
import { countProblem, flushMetrics, logger } from '#shared/observability.ts';
import { HttpProblem, problemFromStoreError, problems } from './problem.ts';
import { StoreError } from '#shared/data/store-error.ts';
import { isStoreUnavailable } from './http-client-error.ts';
import type { RouteDefinition } from './route.ts';
import { routes, type RouteName } from './routes.ts';

export { logger };

const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

type RequestPart<R, K extends 'params' | 'query' | 'body'> = R extends { request: { [P in K]: infer S } }
  ? S extends z.ZodType
    ? z.output<S>
    : undefined
  : undefined;

type PrincipalOf<R> = R extends { auth: 'public' } ? Principal | undefined : Principal;

export interface HttpRequest<N extends RouteName> {
  readonly params: RequestPart<(typeof routes)[N], 'params'>;
  readonly query: RequestPart<(typeof routes)[N], 'query'>;
  readonly body: RequestPart<(typeof routes)[N], 'body'>;
  readonly principal: PrincipalOf<(typeof routes)[N]>;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly requestId: string;
  readonly event: APIGatewayProxyEvent;
}

export interface HttpResult {
  status: number;
  /** JSON-serialised unless `text` is given. */
  body?: unknown;
  /** Raw text body (CSV, `.pb`), sent with `contentType`. */
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** Public caching for this many seconds (Cache-Control + ETag, 304 on If-None-Match). Default: no-store. */
  cacheSeconds?: number;
  /**
   * A personal answer a client polls: an ETag and `Cache-Control: private, no-cache`, 304 on a
   * matching If-None-Match (no body sent; shared caches never keep it).
   */
  revalidate?: boolean;
}

interface State {
  params: unknown;
  query: unknown;
  body: unknown;
  principal: Principal | undefined;
  headers: Record<string, string | undefined>;
  requestId: string;
}

type Event = APIGatewayProxyEvent & { hromada?: State };

const lowerCaseHeaders = (headers: APIGatewayProxyEvent['headers'] | null): Record<string, string | undefined> => {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(headers ?? {})) out[key.toLowerCase()] = value;
  return out;
};

function validationProblem(part: string, error: z.ZodError): HttpProblem {
  const issues = error.issues.map((issue) => ({
    location: part,
    path: issue.path.map(String).join('.'),
    message: issue.message,
    code: issue.code,
  }));
  const first = issues[0];
  const where = first ? `${part}${first.path ? `.${first.path}` : ''}` : part;
  return problems.badRequest('validation', `Invalid ${where}: ${first?.message ?? 'invalid value'}.`, { errors: issues });
}

function parse(part: string, schema: z.ZodType | undefined, value: unknown): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (!result.success) throw validationProblem(part, result.error);
  return result.data;
}

/** Reads the body with a size limit and the route's content type; JSON is parsed, text kept as is. */
function readBody(definition: RouteDefinition, event: APIGatewayProxyEvent, headers: Record<string, string | undefined>): unknown {
  const schema = definition.request?.body;
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (!schema) {
    if (bytes.length > 0) throw problems.badRequest('unexpected-body', 'This request takes no body.');
    return undefined;
  }
  const limit = definition.request?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (bytes.length > limit) throw problems.tooLarge(limit);
  const expected = definition.request?.bodyType ?? 'application/json';
  const contentType = (headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (bytes.length === 0 && expected === 'application/json') return parse('body', schema, {});
  if (contentType !== expected && !(expected === 'application/json' && contentType.endsWith('+json'))) {
    throw problems.unsupportedMediaType(expected);
  }
  const text = bytes.toString('utf8');
  if (expected !== 'application/json') return parse('body', schema, text);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw problems.badRequest('malformed-json', 'The request body is not valid JSON.');
  }
  return parse('body', schema, json);
}

function authorize(definition: RouteDefinition, event: APIGatewayProxyEvent): Principal | undefined {
  const principal = principalFromAuthorizerContext(event.requestContext?.authorizer as Record<string, unknown> | undefined);
  if (definition.auth === 'public') return principal;
  if (!principal) throw problems.unauthorized();
  if (!definition.auth.some((role) => principal.roles.includes(role))) {
    throw problems.forbidden('role-required', `This action needs one of the roles: ${definition.auth.join(', ')}.`);
  }
  return principal;
}

function problemResponse(problem: HttpProblem, requestId: string, acceptLanguage: string | undefined): APIGatewayProxyResult {
  const lang = negotiateLanguage(acceptLanguage);
  return {
    statusCode: problem.status,
    headers: {
      'content-type': 'application/problem+json',
      'cache-control': 'no-store',
      'content-language': lang,
      vary: 'Accept-Language',
      ...problem.headers,
    },
    body: JSON.stringify({ ...problem.toBody(undefined, lang), requestId }),
  };
}

const requestPlumbing = (definition: RouteDefinition, name: string): MiddlewareObj<Event, APIGatewayProxyResult> => ({
  before: (request) => {
    const event = request.event;
    const headers = lowerCaseHeaders(event.headers);
    const requestId = event.requestContext?.requestId ?? request.context.awsRequestId;
    logger.appendKeys({ route: name, requestId });
    // Order matters: who you are first (401/403 before any detail of the resource leaks), then what you sent.
    const principal = authorize(definition, event);
    const params = parse('path', definition.request?.params, event.pathParameters ?? {});
    const query = parse('query', definition.request?.query, event.queryStringParameters ?? {});
    const body = readBody(definition, event, headers);
    event.hromada = { params, query, body, principal, headers, requestId };
  },
  onError: (request) => {
    const error = request.error;
    const requestId = request.event.requestContext?.requestId ?? request.context.awsRequestId;
    let problem: HttpProblem;
    if (error instanceof HttpProblem || error instanceof StoreError) {
      problem = error instanceof StoreError ? problemFromStoreError(error) : error;
      logger.info('request refused', { status: problem.status, type: problem.type });
    } else if (isStoreUnavailable(error)) {
      problem = problems.unavailable();
      logger.warn('data store unavailable', { errorName: (error as Error)?.name });
    } else {
      problem = new HttpProblem(500, 'internal', 'An unexpected error occurred. Quote the request id when reporting it.');
      logger.error('unexpected error', error as Error);
    }
    countProblem(problem.type, problem.status);
    flushMetrics();
    const acceptLanguage = lowerCaseHeaders(request.event.headers)['accept-language'];
    request.response = problemResponse(problem, requestId, acceptLanguage);
  },
});

function toResponse(result: HttpResult, event: APIGatewayProxyEvent, headers: Record<string, string | undefined>): APIGatewayProxyResult {
  const body = result.text ?? (result.body === undefined ? '' : JSON.stringify(result.body));
  const out: Record<string, string> = {
    'content-type': result.contentType ?? (result.text !== undefined ? 'text/plain; charset=utf-8' : 'application/json'),
    ...result.headers,
  };
  if ((result.cacheSeconds || result.revalidate) && event.httpMethod === 'GET' && result.status === 200) {
    const etag = `W/"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    out['cache-control'] = result.cacheSeconds
      ? `public, max-age=${result.cacheSeconds}, stale-while-revalidate=${result.cacheSeconds}`
      : 'private, no-cache';
    out.etag = etag;
    if (headers['if-none-match'] === etag) return { statusCode: 304, headers: out, body: '' };
  } else {
    out['cache-control'] ??= 'no-store';
  }
  return { statusCode: result.status, headers: out, body };
}

/**
 * Wraps a route's implementation in the one middy stack every HTTP handler shares: authorization
 * from the route table, body limits, zod validation of path/query/body, problem+json errors,
 * security headers, CORS and structured logs without personal data.
 */
export function httpHandler<N extends RouteName>(name: N, implementation: (request: HttpRequest<N>) => Promise<HttpResult>) {
  // In a deployed bundle `routes` holds only the function's own route (infra/lean-route.ts).
  const definition = (routes as Partial<Record<RouteName, RouteDefinition>>)[name];
  if (!definition) throw new Error(`Route "${name}" is not in this function's bundle: a handler module builds the handler of its own route only.`);
  const base = async (event: Event, _context: Context): Promise<APIGatewayProxyResult> => {
    const state = event.hromada as State;
    const started = performance.now();
    const result = await implementation({ ...state, event } as unknown as HttpRequest<N>);
    const response = toResponse(result, event, state.headers);
    logger.info('request served', { status: response.statusCode, ms: Math.round(performance.now() - started) });
    flushMetrics();
    return response;
  };
  return middy<Event, APIGatewayProxyResult>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(httpSecurityHeaders())
    .use(httpCors({ origins: [...corsOrigins()], maxAge: 600 }))
    .use(requestPlumbing(definition, name))
    .handler(base);
}
