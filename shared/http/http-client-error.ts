/**
 * The AWS SDK reports an unreachable endpoint (DynamoDB Local stopped, a network partition) as
 * Node socket errors or SDK timeouts. Those become 503 for the client, not 500: the request is
 * fine, the store is not there.
 */
const unavailableCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const unavailableNames = new Set([
  'TimeoutError',
  'RequestTimeout',
  'ServiceUnavailable',
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
]);

export function isStoreUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const candidate = e as { code?: string; name?: string; errors?: unknown[]; cause?: unknown };
    if (candidate.code && unavailableCodes.has(candidate.code)) return true;
    if (candidate.name && unavailableNames.has(candidate.name)) return true;
    if (Array.isArray(candidate.errors) && candidate.errors.some(isStoreUnavailable)) return true;
    e = candidate.cause;
  }
  return false;
}
