import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { corsOrigins } from '#shared/config.ts';
import { matchRoute } from '#shared/http/match.ts';
import { problems } from '#shared/http/problem.ts';

/**
 * API Gateway sends here every request that matches no method of the route table: a resource with
 * another method gets 405 with Allow, anything else 404. Both as problem+json.
 *
 * CORS preflight (OPTIONS on a route's path) is answered here too, from the route table and
 * `CORS_ORIGINS`, instead of a MOCK method per resource: one definition for AWS and the local
 * gateway, a leaner template, and only the methods a path really has are offered. Browsers cache
 * the answer for 10 minutes; the web app is same-origin and never sends a preflight.
 */
export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const match = matchRoute(event.httpMethod, event.path);
  if (event.httpMethod === 'OPTIONS' && match.kind === 'wrong-method') return preflight(event, match.allowed);
  const problem = match.kind === 'wrong-method' ? problems.methodNotAllowed(match.allowed) : problems.notFound(`No route for ${event.httpMethod} ${event.path}.`);
  return {
    statusCode: problem.status,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store', ...problem.headers },
    body: JSON.stringify({ ...problem.toBody(), requestId: event.requestContext?.requestId }),
  };
};

function preflight(event: APIGatewayProxyEvent, allowed: readonly string[]): APIGatewayProxyResult {
  const origins = corsOrigins();
  const origin = Object.entries(event.headers ?? {}).find(([name]) => name.toLowerCase() === 'origin')?.[1];
  const allowOrigin = origins.includes('*') ? '*' : origin && origins.includes(origin) ? origin : undefined;
  return {
    statusCode: 204,
    headers: {
      vary: 'Origin',
      ...(allowOrigin
        ? {
            'access-control-allow-origin': allowOrigin,
            'access-control-allow-methods': [...allowed, 'OPTIONS'].join(','),
            'access-control-allow-headers': 'Authorization,Content-Type,If-None-Match',
            'access-control-max-age': '600',
          }
        : {}),
    },
    body: '',
  };
}
