/**
 * The response contract, checked where the local gateway answers: a body the route table (and so
 * the OpenAPI document generated from it) does not describe is a drift. In tests
 * (`HROMADA_CHECK_RESPONSES=1`, set by vitest.config.ts) every answer of every integration and
 * browser test goes through this, so the document cannot drift from what the handlers send.
 *
 * What is checked: a success status the route does not declare; a JSON body against the declared
 * schema of its status (wrong or missing fields, and fields the schema does not know: zod drops
 * unknown keys when parsing, so a key present in the body and absent from the parsed value is one
 * the document does not show).
 */
import { declaredResponses, type RouteDefinition } from '#shared/http/route.ts';

export function checkResponseContracts(): boolean {
  return process.env.HROMADA_CHECK_RESPONSES === '1';
}

export interface AnswerToCheck {
  statusCode: number;
  headers?: Record<string, unknown> | undefined;
  body?: string | undefined;
}

/** Why the answer does not match the route's declared responses, or undefined when it does. */
export function responseContractViolation(definition: RouteDefinition, answer: AnswerToCheck): string | undefined {
  const declared = declaredResponses(definition)[answer.statusCode];
  if (!declared) {
    // Errors come from shared middleware (problem+json, checked by the fuzz tests); successes and
    // redirects are the route's own and must be documented.
    return answer.statusCode < 400 ? `status ${answer.statusCode} is not declared` : undefined;
  }
  if (answer.statusCode === 304 && (answer.body ?? '') !== '') return 'status 304 carries a body';
  if (!declared.schema) return undefined;
  const contentType = String(Object.entries(answer.headers ?? {}).find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '');
  if (!/json/.test(contentType)) return `status ${answer.statusCode} declares a JSON schema but the content type is "${contentType}"`;
  let body: unknown;
  try {
    body = JSON.parse(answer.body ?? '');
  } catch {
    return `status ${answer.statusCode}: the body is not JSON`;
  }
  const parsed = declared.schema.safeParse(body);
  if (!parsed.success) {
    return parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
  }
  const undocumented = droppedKeys(body, parsed.data, '');
  return undocumented.length > 0 ? `fields the schema does not describe: ${undocumented.slice(0, 10).join(', ')}` : undefined;
}

/** Paths of object keys present in `original` and missing from `parsed` (what parsing stripped). */
function droppedKeys(original: unknown, parsed: unknown, path: string): string[] {
  if (Array.isArray(original) && Array.isArray(parsed)) {
    return original.flatMap((item, index) => droppedKeys(item, parsed[index], `${path}[${index}]`));
  }
  if (!isPlainObject(original) || !isPlainObject(parsed)) return [];
  return Object.entries(original).flatMap(([key, value]) => {
    const at = path ? `${path}.${key}` : key;
    if (!(key in parsed)) return value === undefined ? [] : [at];
    return droppedKeys(value, parsed[key], at);
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
