import { describe, expect, it } from 'vitest';
import { responseContractViolation } from '../../../local/response-contract.ts';
import { openApiDocument } from '#shared/http/openapi.ts';
import { routes } from '#shared/http/routes.ts';

const json = { 'content-type': 'application/json' };

describe('the response contract the local gateway checks in tests', () => {
  it('accepts the shared conditional-GET answer (304, no body) on every GET route, and only there', () => {
    expect(responseContractViolation(routes.listBudgets, { statusCode: 304, headers: { etag: 'W/"x"' }, body: '' })).toBeUndefined();
    expect(responseContractViolation(routes.listBudgets, { statusCode: 304, headers: json, body: '{}' })).toBe('status 304 carries a body');
    expect(responseContractViolation(routes.signPetition, { statusCode: 304, headers: {}, body: '' })).toBe('status 304 is not declared');
  });

  it('documents that 304 in the OpenAPI document for every GET operation and for no other', () => {
    const operations = Object.values(openApiDocument().paths as Record<string, Record<string, { responses: Record<string, unknown> }>>)
      .flatMap((byMethod) => Object.entries(byMethod));
    expect(operations.length).toBeGreaterThan(20);
    for (const [method, operation] of operations) expect('304' in operation.responses, method).toBe(method === 'get');
  });

  it('refuses an undeclared success, a body that breaks its schema, and fields the schema does not describe', () => {
    expect(responseContractViolation(routes.listBudgets, { statusCode: 201, headers: json, body: '{}' })).toBe('status 201 is not declared');
    expect(responseContractViolation(routes.listBudgets, { statusCode: 200, headers: json, body: '{"items":"no"}' })).toMatch(/^items: /);
    expect(responseContractViolation(routes.health, { statusCode: 200, headers: json, body: JSON.stringify({ ...healthBody(), secret: 1 }) }))
      .toBe('fields the schema does not describe: secret');
    // Errors come from the shared middleware and are checked by the fuzz tests, not here.
    expect(responseContractViolation(routes.listBudgets, { statusCode: 500, headers: json, body: '{}' })).toBeUndefined();
  });
});

function healthBody() {
  return { status: 'ok', store: 'ok', time: new Date().toISOString() };
}
