import { describe, expect, it } from 'vitest';
import { principalFromAuthorizerContext, principalFromClaims, toAuthorizerContext } from '#shared/auth/claims.ts';
import { matchRoute } from '#shared/http/match.ts';
import { openApiDocument } from '#shared/http/openapi.ts';
import { routes } from '#shared/http/routes.ts';
import type { RouteDefinition } from '#shared/http/route.ts';

describe('route table', () => {
  const entries = Object.entries(routes) as [string, RouteDefinition][];

  it('has no two routes on the same method and path', () => {
    const seen = entries.map(([, r]) => `${r.method} ${r.path.replace(/\{\w+\}/g, '{}')}`);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('resolves every route by its own path, with its parameters', () => {
    for (const [name, definition] of entries) {
      const path = definition.path.replace(/\{(\w+)\}/g, 'value-of-$1');
      const match = matchRoute(definition.method, path);
      expect(match, name).toMatchObject({ kind: 'route', name });
      if (match.kind === 'route') for (const key of Object.keys(match.params)) expect(match.params[key]).toBe(`value-of-${key}`);
    }
  });

  it('tells a wrong method (405 with the allowed ones) from an unknown path (404)', () => {
    expect(matchRoute('DELETE', '/v1/petitions')).toEqual({ kind: 'wrong-method', allowed: expect.arrayContaining(['GET', 'POST']) });
    expect(matchRoute('GET', '/v1/nope')).toEqual({ kind: 'none' });
    expect(matchRoute('GET', '/v1/petitions/')).toMatchObject({ kind: 'route', name: 'listPetitions' });
    expect(matchRoute('GET', '/v1/petitions/%E0%A4%A')).toEqual({ kind: 'none' });
  });

  it('prefers literal segments over parameters, as API Gateway does', () => {
    expect(matchRoute('GET', '/v1/moderation/petitions')).toMatchObject({ kind: 'route', name: 'moderationQueue' });
  });

  it('every route with a body, path or query documents it in OpenAPI, and every protected route names its roles', () => {
    const doc = openApiDocument();
    for (const [name, definition] of entries) {
      const op = (doc.paths[definition.path] as Record<string, any>)[definition.method.toLowerCase()];
      expect(op.operationId).toBe(name);
      if (definition.request?.body) expect(op.requestBody.content).toBeDefined();
      if (definition.auth === 'public') expect(op.security).toEqual([]);
      else expect(op['x-roles']).toEqual(definition.auth);
    }
  });
});

describe('claims', () => {
  it('reads a Cognito-shaped ID token into a principal and back through the authorizer context', () => {
    const principal = principalFromClaims({ sub: 'u1', 'cognito:groups': ['citizen', 'council', 'admin'], 'custom:community': 'ternopil', birthdate: '1990-01-02', name: 'Olena' });
    expect(principal).toEqual({ sub: 'u1', roles: ['citizen', 'council'], community: 'ternopil', birthdate: '1990-01-02', name: 'Olena' });
    expect(principalFromAuthorizerContext(toAuthorizerContext(principal!))).toEqual(principal);
  });
  it('refuses a token without a subject or community, and ignores a malformed birth date', () => {
    expect(principalFromClaims({ 'custom:community': 'ternopil' })).toBeUndefined();
    expect(principalFromClaims({ sub: 'u1' })).toBeUndefined();
    expect(principalFromClaims({ sub: 'u1', 'custom:community': 'ternopil', birthdate: '02.01.1990' })?.birthdate).toBeUndefined();
  });
});
