import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { matchRoute } from '../../../shared/http/match.ts';
import { problems } from '../../../shared/http/problem.ts';

/**
 * API Gateway sends here every request that matches no method of the route table: a resource with
 * another method gets 405 with Allow, anything else 404. Both as problem+json.
 */
export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const match = matchRoute(event.httpMethod, event.path);
  const problem = match.kind === 'wrong-method' ? problems.methodNotAllowed(match.allowed) : problems.notFound(`No route for ${event.httpMethod} ${event.path}.`);
  return {
    statusCode: problem.status,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store', ...problem.headers },
    body: JSON.stringify({ ...problem.toBody(), requestId: event.requestContext?.requestId }),
  };
};
