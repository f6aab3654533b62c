import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { toAuthorizerContext } from '#shared/auth/claims.ts';
import { notResident, notResidentDetail } from '#shared/auth/verify-token.ts';
import { matchRoute } from '#shared/http/match.ts';
import { checkResponseContracts, responseContractViolation } from './response-contract.ts';
import { HttpProblem, problems } from '#shared/http/problem.ts';
import { negotiateLanguage } from '#shared/i18n/problems.ts';
import type { HttpMethod, RouteDefinition } from '#shared/http/route.ts';
import { routes, type RouteName } from '#shared/http/routes.ts';
import { devTokenRequest, type DevAuth } from './dev-auth.ts';
import { defaultFunctionLimits, lambdaContext, loadEntry, type FunctionLimits } from './functions.ts';
import type { LocalMailServer } from './mail-server.ts';
import type { LocalWeb } from './web.ts';

export { lambdaContext } from './functions.ts';

/** API Gateway's own payload limit; the handlers enforce their smaller per-route limits. */
const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;

type ApiHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** How the local gateway serves one route: what test/infra/parity.test.ts compares with the deployed API. */
export interface LocalRoute extends FunctionLimits {
  readonly name: RouteName;
  readonly method: HttpMethod;
  readonly path: string;
  /** The request goes through the token authorizer first (else: public, no authorizer). */
  readonly authorizer: boolean;
  /** The roles the handler requires (it checks them itself, from the route table); [] when public. */
  readonly roles: readonly string[];
  /** Lambda entry file, relative to the repository root. */
  readonly entry: string;
}

/** The fallback (404/405) function, as API Gateway routes unknown paths and methods to it. */
export const fallbackEntry = 'functions/http/system/fallback.ts';

/** The routes the local gateway serves, and how. */
export function localRouteTable(): ReadonlyMap<RouteName, LocalRoute> {
  const limits = defaultFunctionLimits();
  const table = new Map<RouteName, LocalRoute>();
  for (const [name, definition] of Object.entries(routes) as [RouteName, RouteDefinition][]) {
    table.set(name, {
      name,
      method: definition.method,
      path: definition.path,
      authorizer: definition.auth !== 'public',
      roles: definition.auth === 'public' ? [] : [...definition.auth],
      entry: `functions/http/${definition.handler}.ts`,
      ...limits,
    });
  }
  return table;
}

function send(res: ServerResponse, result: APIGatewayProxyResult): void {
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(result.headers ?? {})) headers[k.toLowerCase()] = String(v);
  for (const [k, v] of Object.entries(result.multiValueHeaders ?? {})) headers[k.toLowerCase()] = v.map(String);
  const body = result.isBase64Encoded ? Buffer.from(result.body, 'base64') : Buffer.from(result.body ?? '', 'utf8');
  res.writeHead(result.statusCode, { ...headers, 'content-length': String(body.length) });
  res.end(body);
}

function problemResult(problem: HttpProblem, requestId: string, acceptLanguage?: string | string[]): APIGatewayProxyResult {
  const lang = negotiateLanguage(Array.isArray(acceptLanguage) ? acceptLanguage.join(',') : acceptLanguage);
  return {
    statusCode: problem.status,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store', 'content-language': lang, ...problem.headers },
    body: JSON.stringify({ ...problem.toBody(undefined, lang), requestId }),
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > GATEWAY_MAX_BODY_BYTES) return 'too-large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function queryParameters(url: URL) {
  if ([...url.searchParams.keys()].length === 0) return { single: null, multi: null };
  // No prototype: a key such as `__proto__` or `constructor` is just a key.
  const single: Record<string, string> = Object.create(null);
  const multi: Record<string, string[]> = Object.create(null);
  for (const [k, v] of url.searchParams) {
    single[k] = v; // API Gateway keeps the last value
    (multi[k] ??= []).push(v);
  }
  return { single, multi };
}

/** Request headers as API Gateway's v1 payload carries them: joined, and as lists. */
function requestHeaders(req: IncomingMessage): { headers: Record<string, string>; multiValueHeaders: Record<string, string[]> } {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    const values = Array.isArray(v) ? v : [v];
    headers[k] = values.join(',');
    multiValueHeaders[k] = values;
  }
  return { headers, multiValueHeaders };
}

/**
 * The REST API (v1 payload) event API Gateway would send for this request, with the Lambda
 * authorizer's context where the route is protected.
 */
export function toApiGatewayEvent(input: {
  req: IncomingMessage;
  url: URL;
  body: Buffer;
  definition: RouteDefinition;
  params: Record<string, string>;
  authorizer: Record<string, string> | undefined;
  requestId: string;
}): APIGatewayProxyEvent {
  const { headers, multiValueHeaders } = requestHeaders(input.req);
  const query = queryParameters(input.url);
  const now = Date.now();
  return {
    resource: input.definition.path,
    path: input.url.pathname,
    httpMethod: input.definition.method,
    headers,
    multiValueHeaders,
    queryStringParameters: query.single,
    multiValueQueryStringParameters: query.multi,
    pathParameters: Object.keys(input.params).length ? input.params : null,
    stageVariables: null,
    body: input.body.length ? input.body.toString('utf8') : null,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: input.authorizer ? { ...input.authorizer, principalId: input.authorizer.sub } : undefined,
      protocol: `HTTP/${input.req.httpVersion}`,
      httpMethod: input.definition.method,
      identity: {
        sourceIp: input.req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: input.req.headers['user-agent'] ?? null,
      } as APIGatewayProxyEvent['requestContext']['identity'],
      path: `/local${input.url.pathname}`,
      stage: 'local',
      requestId: input.requestId,
      requestTimeEpoch: now,
      resourceId: 'local',
      resourcePath: input.definition.path,
    },
  };
}

export interface LocalGateway {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * The local HTTP gateway: routes from the route table, the Lambda authorizer's semantics for
 * protected routes, API Gateway's REST payload, the same handler modules, and `POST /dev/token`.
 */
export async function startGateway(options: { port: number; host: string; auth: DevAuth; web?: LocalWeb; mail?: LocalMailServer }): Promise<LocalGateway> {
  const server: Server = createServer((req, res) => {
    handle(req, res, options.auth, options.web, options.mail).catch((error: unknown) => {
      console.error('local gateway failure', error);
      if (!res.headersSent) send(res, problemResult(new HttpProblem(500, 'internal', 'The local gateway failed.'), 'local'));
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE'
        ? new Error(`Port ${options.port} is in use. Stop what uses it or choose another: npm start -- --port 3001`)
        : error);
    });
    server.listen(options.port, options.host, () => resolvePromise());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${options.host === '0.0.0.0' ? '127.0.0.1' : options.host}:${port}`,
    port,
    stop: () => new Promise<void>((done) => {
      server.closeAllConnections();
      server.close(() => done());
    }),
  };
}

let routeTable: ReadonlyMap<RouteName, LocalRoute> | undefined;

async function handle(req: IncomingMessage, res: ServerResponse, auth: DevAuth, web: LocalWeb | undefined, mail: LocalMailServer | undefined): Promise<void> {
  routeTable ??= localRouteTable();
  const requestId = randomUUID();
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = (req.method ?? 'GET').toUpperCase();
  // The web app on the same origin: paths that are not routes of the table (nor /v1/*, /dev/token).
  if (web && matchRoute(method, url.pathname).kind !== 'route' && (await web.serve(req, res, url))) return;
  const body = await readBody(req);
  if (body === 'too-large') return send(res, problemResult(problems.tooLarge(GATEWAY_MAX_BODY_BYTES), requestId));

  if (url.pathname === '/dev/token') return devToken(res, method, body, req, auth, requestId);
  if (url.pathname === '/dev/mail' && mail) return devMail(res, method, url, mail, requestId);
  const match = matchRoute(method, url.pathname);
  if (match.kind !== 'route') {
    // The same fallback function API Gateway routes unknown paths and methods to.
    const fallback = await loadEntry<ApiHandler>(fallbackEntry);
    const event = { httpMethod: method, path: url.pathname, headers: requestHeaders(req).headers, requestContext: { requestId } } as unknown as APIGatewayProxyEvent;
    return send(res, await fallback(event, lambdaContext('fallback', requestId)));
  }
  const served = routeTable.get(match.name) as LocalRoute;

  let authorizer: Record<string, string> | undefined;
  if (served.authorizer) {
    const check = await auth.verify(req.headers.authorization);
    if (!check.ok && check.reason === notResident) {
      return send(res, problemResult(problems.forbidden('not-a-resident', notResidentDetail), requestId, req.headers['accept-language']));
    }
    if (!check.ok) return send(res, problemResult(problems.unauthorized(), requestId, req.headers['accept-language']));
    authorizer = toAuthorizerContext(check.principal);
  }
  const event = toApiGatewayEvent({ req, url, body, definition: match.definition, params: match.params, authorizer, requestId });
  const handler = await loadEntry<ApiHandler>(served.entry);
  try {
    const answer = await handler(event, lambdaContext(match.name, requestId, served));
    const drift = checkResponseContracts() ? responseContractViolation(match.definition, answer) : undefined;
    if (drift) {
      // Test mode: an answer the OpenAPI document does not describe fails the test that made it.
      console.error(`response contract: ${method} ${url.pathname} (${match.name}) answered ${answer.statusCode}: ${drift}`);
      return send(res, problemResult(new HttpProblem(500, 'response-contract', `${match.name} answered ${answer.statusCode} outside its declared response: ${drift}`), requestId));
    }
    send(res, answer);
  } catch (error) {
    // A handler that throws past its middleware is a Lambda error: API Gateway answers 502.
    console.error('handler error', error);
    send(res, problemResult(new HttpProblem(502, 'bad-gateway', 'The function failed.'), requestId));
  }
}

async function devToken(res: ServerResponse, method: string, body: Buffer, req: IncomingMessage, auth: DevAuth, requestId: string) {
  if (method !== 'POST') return send(res, problemResult(problems.methodNotAllowed(['POST']), requestId));
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return send(res, problemResult(problems.unsupportedMediaType('application/json'), requestId));
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return send(res, problemResult(problems.badRequest('malformed-json', 'The request body is not valid JSON.'), requestId));
  }
  const parsed = devTokenRequest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return send(res, problemResult(problems.badRequest('validation', `Invalid body.${issue?.path.join('.') ?? ''}: ${issue?.message}.`), requestId));
  }
  const token = await auth.mint(parsed.data);
  send(res, { statusCode: 200, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: JSON.stringify({ token }) });
}

/** `GET /dev/mail?to=<address>`: what the local SMTP server received for an address (local only). */
function devMail(res: ServerResponse, method: string, url: URL, mail: LocalMailServer, requestId: string) {
  if (method !== 'GET') return send(res, problemResult(problems.methodNotAllowed(['GET']), requestId));
  const to = url.searchParams.get('to');
  if (!to) return send(res, problemResult(problems.badRequest('validation', 'Name the recipient: /dev/mail?to=<address>.'), requestId));
  const messages = mail.messages(to).map(({ to: address, subject, text, date, headers }) => ({ to: address, subject, text, date, headers }));
  send(res, { statusCode: 200, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: JSON.stringify({ messages }) });
}
