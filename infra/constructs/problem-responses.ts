import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { PROBLEM_TYPE_BASE } from '#shared/http/problem.ts';

interface ProblemResponse {
  readonly type: apigw.ResponseType;
  /** Omitted for DEFAULT_4XX/5XX, which keep the status API Gateway chose. */
  readonly status?: number;
  readonly code: string;
  readonly title: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** More members of the problem object, as JSON text after the standard ones. */
  readonly extensions?: string;
}

/**
 * Every answer API Gateway gives by itself (before or instead of a Lambda) as an RFC 9457 problem,
 * the same shape the handlers use (shared/http/problem.ts), so clients handle errors one way.
 * MISSING_AUTHENTICATION_TOKEN is what API Gateway says for a path no resource matches (this API
 * has no IAM-authorized methods), so it becomes a 404.
 */
const responses: readonly ProblemResponse[] = [
  { type: apigw.ResponseType.DEFAULT_4XX, code: 'client-error', title: 'Client error' },
  { type: apigw.ResponseType.DEFAULT_5XX, code: 'server-error', title: 'Server error' },
  { type: apigw.ResponseType.UNAUTHORIZED, status: 401, code: 'unauthorized', title: 'Unauthorized', headers: { 'WWW-Authenticate': "'Bearer'" } },
  // The authorizer denies a valid sign-in of a non-resident with context refusal=not-a-resident.
  { type: apigw.ResponseType.ACCESS_DENIED, status: 403, code: 'forbidden', title: 'Forbidden', extensions: '"refusal":"$context.authorizer.refusal",' },
  { type: apigw.ResponseType.WAF_FILTERED, status: 403, code: 'request-blocked', title: 'Forbidden' },
  { type: apigw.ResponseType.MISSING_AUTHENTICATION_TOKEN, status: 404, code: 'not-found', title: 'Not Found' },
  { type: apigw.ResponseType.RESOURCE_NOT_FOUND, status: 404, code: 'not-found', title: 'Not Found' },
  { type: apigw.ResponseType.REQUEST_TOO_LARGE, status: 413, code: 'body-too-large', title: 'Content Too Large' },
  { type: apigw.ResponseType.UNSUPPORTED_MEDIA_TYPE, status: 415, code: 'unsupported-media-type', title: 'Unsupported Media Type' },
  { type: apigw.ResponseType.THROTTLED, status: 429, code: 'rate-limited', title: 'Too Many Requests', headers: { 'Retry-After': "'1'" } },
  { type: apigw.ResponseType.QUOTA_EXCEEDED, status: 429, code: 'rate-limited', title: 'Too Many Requests', headers: { 'Retry-After': "'60'" } },
  { type: apigw.ResponseType.AUTHORIZER_FAILURE, status: 500, code: 'internal', title: 'Internal Server Error' },
  { type: apigw.ResponseType.AUTHORIZER_CONFIGURATION_ERROR, status: 500, code: 'internal', title: 'Internal Server Error' },
  { type: apigw.ResponseType.INTEGRATION_FAILURE, status: 502, code: 'bad-gateway', title: 'Bad Gateway' },
  { type: apigw.ResponseType.INTEGRATION_TIMEOUT, status: 504, code: 'gateway-timeout', title: 'Gateway Timeout' },
];

const body = (response: ProblemResponse): string =>
  // $context.error.messageString is already a quoted JSON string.
  `{"type":"${PROBLEM_TYPE_BASE}${response.code}","title":"${response.title}",` +
  (response.status === undefined ? '' : `"status":${response.status},`) +
  `"detail":$context.error.messageString,${response.extensions ?? ''}"requestId":"$context.requestId"}`;

/**
 * @param corsOrigins the CORS_ORIGINS list: `*` answers every origin; with a list, the caller's
 * Origin is echoed (no credentials are ever allowed, so this only lets the page read the error).
 */
export function addProblemResponses(api: apigw.RestApi, corsOrigins: readonly string[]): void {
  const anyOrigin = corsOrigins.includes('*');
  const cors: Record<string, string> = anyOrigin
    ? { 'Access-Control-Allow-Origin': "'*'" }
    : { 'Access-Control-Allow-Origin': 'method.request.header.Origin', Vary: "'Origin'" };
  for (const response of responses) {
    api.addGatewayResponse(`Problem${response.type.responseType}`, {
      type: response.type,
      ...(response.status === undefined ? {} : { statusCode: String(response.status) }),
      responseHeaders: {
        'Content-Type': "'application/problem+json'",
        'Cache-Control': "'no-store'",
        ...cors,
        ...response.headers,
      },
      templates: { 'application/json': body(response) },
    });
  }
}
