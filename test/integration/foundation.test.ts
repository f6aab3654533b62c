import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../support/system.ts';

let api: TestSystem;
beforeAll(async () => {
  api = await startTestSystem();
});
afterAll(async () => {
  await api?.stop();
});

const expectProblem = (res: { status: number; headers: Headers; body: any }, status: number) => {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(res.body).toMatchObject({ status, type: expect.stringContaining('/problems/'), title: expect.any(String) });
  expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+/); // no stack traces
};

describe('system routes', () => {
  it('GET /health reaches the table', async () => {
    const res = await api.request('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', store: 'ok' });
  });

  it('GET /openapi.json describes every route from the route table', async () => {
    const res = await api.request('GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const sign = res.body.paths['/v1/petitions/{id}/signatures'].post;
    expect(sign.operationId).toBe('signPetition');
    expect(sign['x-roles']).toEqual(['citizen']);
    const create = res.body.paths['/v1/petitions'].post.requestBody.content['application/json'].schema;
    expect(create.required).toEqual(expect.arrayContaining(['title', 'text']));
    expect(create.additionalProperties).toBe(false);
  });

  it('GET /docs is a page', async () => {
    const res = await api.request('GET', '/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.text).toContain('/v1/petitions/{id}/signatures');
  });

  it('sends security headers and CORS on API responses', async () => {
    const res = await api.request('GET', '/health', { headers: { origin: 'https://petitions.example.org' } });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toBeTruthy();
    expect(res.headers.get('access-control-allow-origin')).toBeTruthy();
    const preflight = await fetch(`${api.url}/v1/petitions`, { method: 'OPTIONS', headers: { origin: 'https://x.example', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    // Answered by the fallback function from the route table, as in AWS: the path's own methods.
    expect(preflight.headers.get('access-control-allow-methods')?.split(',').sort()).toEqual(['GET', 'OPTIONS', 'POST']);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    const unknown = await fetch(`${api.url}/v1/nothing-here`, { method: 'OPTIONS', headers: { origin: 'https://x.example' } });
    expect(unknown.status).toBe(404);
  });
});

describe('bad requests are 4xx problems, never 500', () => {
  it('unknown route: 404', async () => {
    expectProblem(await api.request('GET', '/v1/nothing-here'), 404);
  });
  it('wrong method: 405 with Allow', async () => {
    const res = await api.request('DELETE', '/v1/petitions');
    expectProblem(res, 405);
    expect(res.headers.get('allow')).toContain('GET');
    expect(res.headers.get('allow')).toContain('POST');
  });
  it('no token: 401; expired token: 401; a token signed by another key: 401', async () => {
    expectProblem(await api.request('POST', '/v1/petitions', { body: {} }), 401);
    const expired = await api.token({ expiresIn: -60 });
    expectProblem(await api.request('POST', '/v1/petitions', { token: expired, body: {} }), 401);
    const good = await api.token({});
    const [h, p] = good.split('.');
    const forged = `${h}.${p}.${Buffer.from('not the signature').toString('base64url')}`;
    expectProblem(await api.request('POST', '/v1/petitions', { token: forged, body: {} }), 401);
  });
  it('wrong role: 403', async () => {
    const moderator = await api.token({ roles: ['moderator'] });
    expectProblem(await api.request('POST', '/v1/petitions', { token: moderator, body: { title: 'A valid title', text: 'A long enough petition text here.' } }), 403);
  });
  it('malformed JSON: 400; wrong content type: 415; oversize: 413', async () => {
    const token = await api.token({});
    expectProblem(await api.request('POST', '/v1/petitions', { token, rawBody: '{"title": ', headers: { 'content-type': 'application/json' } }), 400);
    expectProblem(await api.request('POST', '/v1/petitions', { token, rawBody: 'title=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415);
    expectProblem(await api.request('POST', '/v1/petitions', { token, body: { title: 'x'.repeat(100), text: 'y'.repeat(70_000) } }), 413);
  });
  it('unknown fields and wrong types: 400 naming the field', async () => {
    const token = await api.token({});
    const unknown = await api.request('POST', '/v1/petitions', { token, body: { title: 'A valid title', text: 'A long enough petition text here.', admin: true } });
    expectProblem(unknown, 400);
    const wrongType = await api.request('POST', '/v1/petitions', { token, body: { title: 42, text: 'A long enough petition text here.' } });
    expectProblem(wrongType, 400);
    expect(wrongType.body.detail).toContain('title');
    expect(wrongType.body.errors[0]).toMatchObject({ location: 'body', path: 'title' });
  });
  it('a malformed path parameter or query: 400', async () => {
    expectProblem(await api.request('GET', '/v1/petitions/not-a-uuid'), 400);
    expectProblem(await api.request('GET', '/v1/petitions?limit=1000'), 400);
    expectProblem(await api.request('GET', '/v1/petitions?cursor=garbage'), 400);
  });
});

describe('local sign-in', () => {
  it('mints a token the gateway trusts, with the claims the AWS authorizer passes on', async () => {
    const res = await api.request('POST', '/dev/token', { body: { sub: 'u1', roles: ['council'], community: 'ternopil', birthdate: '1970-02-03' } });
    expect(res.status).toBe(200);
    const payload = JSON.parse(Buffer.from(res.body.token.split('.')[1], 'base64url').toString());
    expect(payload).toMatchObject({ sub: 'u1', 'cognito:groups': ['council'], 'custom:community': 'ternopil', birthdate: '1970-02-03' });
    const alerts = await api.request('GET', '/v1/council/alerts', { token: res.body.token });
    expect(alerts.status).toBe(200);
  });
  it('refuses an unknown role or a bad birth date', async () => {
    expectProblem(await api.request('POST', '/dev/token', { body: { sub: 'u1', roles: ['mayor'], community: 'ternopil' } }), 400);
    expectProblem(await api.request('POST', '/dev/token', { body: { sub: 'u1', roles: ['citizen'], community: 'ternopil', birthdate: '01.02.1990' } }), 400);
  });
});
