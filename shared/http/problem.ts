import { localizeProblem, type ProblemLanguage } from '#shared/i18n/problems.ts';
import type { StoreError, StoreErrorKind } from '#shared/data/store-error.ts';
import type { Refusal, RefusalKind } from '#shared/domain/outcome.ts';

/**
 * RFC 9457 problem details. Every error the API returns is one of these, as
 * `application/problem+json`, so a client handles errors one way everywhere.
 */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
}

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export const PROBLEM_TYPE_BASE = 'https://hromada.dev/problems/';

export class HttpProblem extends Error {
  readonly status: number;
  /** The last segment of `type`: what a client (and the Ukrainian catalogue) keys on. */
  readonly code: string;
  readonly type: string;
  readonly title: string;
  readonly extensions: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: string,
    detail: string,
    options: { extensions?: Record<string, unknown>; headers?: Record<string, string>; title?: string } = {},
  ) {
    super(detail);
    this.name = 'HttpProblem';
    this.status = status;
    this.code = code;
    this.type = PROBLEM_TYPE_BASE + code;
    this.title = options.title ?? titles[status] ?? 'Error';
    this.extensions = options.extensions ?? {};
    this.headers = options.headers ?? {};
  }

  /** The body, with title and detail in `lang` (see shared/i18n/problems.ts; default English). */
  toBody(instance?: string, lang: ProblemLanguage = 'en'): ProblemBody {
    const { title, detail } = localizeProblem({ status: this.status, code: this.code, title: this.title, detail: this.message }, lang);
    return {
      type: this.type,
      title,
      status: this.status,
      detail,
      ...(instance ? { instance } : {}),
      ...this.extensions,
    };
  }
}

/** How long a client should wait before retrying when the store cannot answer now. */
const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

export const problems = {
  badRequest: (code: string, detail: string, extensions?: Record<string, unknown>) =>
    new HttpProblem(400, code, detail, { extensions }),
  unauthorized: (detail = 'A valid bearer token is required.') =>
    new HttpProblem(401, 'unauthorized', detail, { headers: { 'www-authenticate': 'Bearer' } }),
  forbidden: (code: string, detail: string) => new HttpProblem(403, code, detail),
  notFound: (detail = 'No such resource.') => new HttpProblem(404, 'not-found', detail),
  methodNotAllowed: (allowed: string[]) =>
    new HttpProblem(405, 'method-not-allowed', `Allowed methods: ${allowed.join(', ')}.`, {
      headers: { allow: allowed.join(', ') },
    }),
  conflict: (code: string, detail: string, extensions?: Record<string, unknown>) =>
    new HttpProblem(409, code, detail, { extensions }),
  tooLarge: (limit: number) =>
    new HttpProblem(413, 'body-too-large', `The request body is larger than ${limit} bytes.`),
  unsupportedMediaType: (expected: string) =>
    new HttpProblem(415, 'unsupported-media-type', `The request body must be ${expected}.`),
  unprocessable: (code: string, detail: string, extensions?: Record<string, unknown>) =>
    new HttpProblem(422, code, detail, { extensions }),
  tooManyRequests: (detail: string, retryAfterSeconds: number) =>
    new HttpProblem(429, 'rate-limited', detail, { headers: { 'retry-after': String(retryAfterSeconds) } }),
  unavailable: (detail = 'The data store is not reachable; try again shortly.') =>
    new HttpProblem(503, 'unavailable', detail, { headers: { 'retry-after': String(UNAVAILABLE_RETRY_AFTER_SECONDS) } }),
};

const storeErrorStatus: Record<StoreErrorKind, number> = {
  'invalid-request': 400,
  'not-allowed': 403,
  'not-found': 404,
  conflict: 409,
  'limit-reached': 429,
  unavailable: 503,
};

/** The one place a data-layer outcome becomes an HTTP problem (the handler's error path calls it). */
export function problemFromStoreError(error: StoreError): HttpProblem {
  const retryAfter = error.details.retryAfterSeconds ?? (error.kind === 'unavailable' ? UNAVAILABLE_RETRY_AFTER_SECONDS : undefined);
  return new HttpProblem(storeErrorStatus[error.kind], error.code, error.message, {
    ...(error.details.extensions ? { extensions: error.details.extensions } : {}),
    ...(retryAfter !== undefined ? { headers: { 'retry-after': String(retryAfter) } } : {}),
  });
}

const refusalStatus: Record<RefusalKind, number> = {
  'not-allowed': 403,
  'wrong-state': 409,
  invalid: 422,
};

/**
 * The one place a domain refusal becomes an HTTP problem: its kind gives the status, its code the
 * problem type, its message the detail.
 */
export function problemFromRefusal(refusal: Refusal, extensions?: Record<string, unknown>): HttpProblem {
  return new HttpProblem(refusalStatus[refusal.kind], refusal.code, refusal.message, extensions ? { extensions } : {});
}
