/**
 * Authorization of every route, walked from the route table itself: a route added tomorrow is
 * checked by this file without anyone editing it.
 *
 * Protected routes: no token, an expired token, a token signed by another key, an unsigned token
 * and a token whose payload was altered are all 401 problem+json; a valid token without one of
 * the route's roles is 403 `role-required`; a token with one of them gets past authorization.
 * Public routes: no token is never 401.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevAuth, LOCAL_ISSUER } from '../../local/dev-auth.ts';
import { roles, type Role } from '#shared/auth/roles.ts';
import { routes } from '#shared/http/routes.ts';
import type { RouteDefinition } from '#shared/http/route.ts';
import { contractViolation, fillPath, protectedRoutes, publicRoutes, rawClient, routeEntries, validPathValues, type RawClient, type RawResponse } from '../support/fuzz-http.ts';
import { createFixtures, type Fixtures } from '../support/fuzz-fixtures.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';

let api: TestSystem;
let client: RawClient;
let fixtures: Fixtures;
/** Tokens of every role, and the attacker's variants, minted once. */
const tokens = {} as Record<Role | 'expired' | 'otherKey' | 'unsigned' | 'tampered' | 'noRole', string>;

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

beforeAll(async () => {
  api = await startTestSystem();
  client = rawClient(api.url);
  fixtures = await createFixtures(api);
  for (const role of roles) tokens[role] = await api.token({ sub: `auth-${role}-${randomUUID()}`, roles: [role] });
  tokens.expired = await api.token({ sub: `expired-${randomUUID()}`, roles: [...roles], expiresIn: -120 });
  // Same issuer, same audience, same claims, same kid: only the key differs.
  const impostor = await createDevAuth(LOCAL_ISSUER);
  tokens.otherKey = await impostor.mint({ sub: `impostor-${randomUUID()}`, roles: [...roles], community: 'ternopil' });
  const [header, payload] = tokens.citizen.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  tokens.unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, 'cognito:groups': [...roles] })}.`;
  // A citizen's genuine token whose payload now claims every role, the signature kept.
  tokens.tampered = `${header}.${b64({ ...claims, 'cognito:groups': [...roles] })}.${tokens.citizen.split('.')[2]}`;
  tokens.noRole = await api.auth.mint({ sub: `norole-${randomUUID()}`, roles: [], community: 'ternopil' });
});
afterAll(async () => {
  client?.close();
  await api?.stop();
});

function send(definition: RouteDefinition, token: string | undefined, path = fillPath(definition.path, validPathValues(definition))): Promise<RawResponse> {
  return client.send({ method: definition.method, path, headers: token ? { authorization: `Bearer ${token}` } : {} });
}

function expectProblem(response: RawResponse, status: number, typeEnding?: string) {
  expect(contractViolation(response), response.text).toBeUndefined();
  expect(response.status, response.text).toBe(status);
  if (typeEnding) expect((response.json as { type: string }).type).toMatch(new RegExp(`/${typeEnding}$`));
}

describe('the route table', () => {
  it('has protected and public routes to walk', () => {
    expect(protectedRoutes.length).toBeGreaterThan(10);
    expect(publicRoutes.length).toBeGreaterThan(3);
    for (const [name, definition] of protectedRoutes) {
      expect(definition.auth.length, name).toBeGreaterThan(0);
      for (const role of definition.auth) expect(roles, `${name} names an unknown role`).toContain(role);
    }
  });
});

describe.each(protectedRoutes.map(([name, definition]) => ({ name, definition })))('protected $name ($definition.method $definition.path)', ({ definition }) => {
  const auth = definition.auth as readonly Role[];

  it('401 without a token', async () => {
    const response = await send(definition, undefined);
    expectProblem(response, 401, 'unauthorized');
    expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('401 with an expired token, a token of another key, an unsigned token, a tampered token', async () => {
    for (const variant of ['expired', 'otherKey', 'unsigned', 'tampered'] as const) {
      const response = await send(definition, tokens[variant]);
      expect({ variant, status: response.status }).toEqual({ variant, status: 401 });
      expectProblem(response, 401, 'unauthorized');
    }
  });

  it('403 role-required for every role it does not accept, and for a token with no role', async () => {
    const refused = roles.filter((role) => !auth.includes(role));
    for (const role of refused) {
      const response = await send(definition, tokens[role]);
      expect({ role, status: response.status }).toEqual({ role, status: 403 });
      expectProblem(response, 403, 'role-required');
    }
    expectProblem(await send(definition, tokens.noRole), 403, 'role-required');
  });

  it('gets past authorization with each role it accepts (the checks above are not vacuous)', async () => {
    for (const role of auth) {
      const response = await send(definition, tokens[role]);
      expect(contractViolation(response), response.text).toBeUndefined();
      expect(response.status, `${role}: ${response.text}`).not.toBe(401);
      if (response.status === 403) expect((response.json as { type: string }).type).not.toMatch(/role-required$/);
    }
  });
});

describe.each(publicRoutes.map(([name, definition]) => ({ name, definition })))('public $name ($definition.method $definition.path)', ({ definition }) => {
  it('answers without a token (never 401), and ignores a token it does not need', async () => {
    for (const token of [undefined, tokens.otherKey, 'garbage']) {
      const response = await send(definition, token);
      expect(contractViolation(response), response.text).toBeUndefined();
      expect(response.status, response.text).not.toBe(401);
      if (response.status === 403) expect((response.json as { type: string }).type).not.toMatch(/role-required$/);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Named cases, against the routes as they are named in the table.

const named = (pattern: RegExp) => routeEntries.filter(([name]) => pattern.test(name));
const moderationRoutes = named(/moderat/i);
const councilAnswerRoutes = named(/^respondTo(Petition|Proposal)$|^publishConsultationReport$/);
const paperBallotRoutes = named(/paper/i);
const schoolCodeRoutes = named(/(issue|generate|create|mint|print).*codes?$/i);

describe('a citizen cannot act for a moderator or the council', () => {
  it('the table gives no moderation and no council answer to citizens', () => {
    expect(moderationRoutes.map(([name]) => name)).toEqual(expect.arrayContaining(['moderatePetition', 'moderationQueue', 'moderateConsultationComment', 'moderateConsultationProposal']));
    expect(councilAnswerRoutes.map(([name]) => name).sort()).toEqual(['publishConsultationReport', 'respondToPetition', 'respondToProposal']);
    for (const [name, definition] of [...moderationRoutes, ...councilAnswerRoutes]) {
      expect(definition.auth, name).not.toBe('public');
      expect(definition.auth, name).not.toContain('citizen');
    }
  });

  it('cannot publish a petition awaiting moderation: 403, and it stays in moderation', async () => {
    const id = fixtures.petitions.moderation;
    const response = await api.request('POST', `/v1/petitions/${id}/moderation`, { token: tokens.citizen, body: { decision: 'publish' } });
    expect(response.status).toBe(403);
    expect(response.body.type).toMatch(/role-required$/);
    expect((await api.request('GET', `/v1/petitions/${id}`)).status).toBe(404);
    const queue = await api.request('GET', '/v1/moderation/petitions?limit=100', { token: fixtures.tokens.moderator });
    expect(queue.body.items.map((p: { id: string }) => p.id)).toContain(id);
    expect((await api.request('GET', '/v1/moderation/petitions', { token: tokens.citizen })).status).toBe(403);
  });

  it('cannot hide a comment or a proposal of a consultation: 403, and they stay published', async () => {
    const { consultation, comment, proposal } = fixtures;
    const hide = { decision: 'hide', reasonCode: 'offensive', explanation: 'Не подобається мені.' };
    for (const path of [`/v1/consultations/${consultation}/comments/${comment}/moderation`, `/v1/consultations/${consultation}/proposals/${proposal}/moderation`]) {
      const response = await api.request('POST', path, { token: tokens.citizen, body: hide });
      expect(response.status, path).toBe(403);
      expect(response.body.type).toMatch(/role-required$/);
    }
    const comments = await api.request('GET', `/v1/consultations/${consultation}/comments`);
    expect(comments.body.items.find((c: { id: string }) => c.id === comment)).toMatchObject({ status: 'published' });
    const proposals = await api.request('GET', `/v1/consultations/${consultation}/proposals`);
    expect(proposals.body.items.find((p: { id: string }) => p.id === proposal)).toMatchObject({ status: 'published' });
  });

  it('cannot answer a petition or a proposal for the council, nor publish its report: 403, nothing recorded', async () => {
    const { petitions, consultation, proposal } = fixtures;
    const attempts: [string, unknown][] = [
      [`/v1/petitions/${petitions.open}/response`, { decision: 'supported', text: 'Рада, звісно ж, підтримує.' }],
      [`/v1/consultations/${consultation}/proposals/${proposal}/response`, { decision: 'accepted', text: 'Рада приймає пропозицію.' }],
      [`/v1/consultations/${consultation}/report`, { summary: 'Звіт, який написав не член ради.' }],
    ];
    for (const [path, body] of attempts) {
      const response = await api.request('POST', path, { token: tokens.citizen, body });
      expect(response.status, path).toBe(403);
      expect(response.body.type).toMatch(/role-required$/);
    }
    expect((await api.request('GET', `/v1/petitions/${petitions.open}`)).body.response).toBeNull();
    const proposals = await api.request('GET', `/v1/consultations/${consultation}/proposals`);
    expect(proposals.body.items.find((p: { id: string }) => p.id === proposal).councilResponse).toBeNull();
    expect((await api.request('GET', `/v1/consultations/${consultation}/report`)).status).toBe(404);
  });

  it('cannot read the council’s alerts, inbox or running results', async () => {
    for (const path of ['/v1/council/alerts', '/v1/council/petitions', `/v1/council/consultations/${fixtures.consultation}/results`]) {
      const response = await api.request('GET', path, { token: tokens.citizen });
      expect(response.status, path).toBe(403);
    }
  });

  // Participatory-budget routes: asserted if the table has them, listed as to-do (not skipped silently) if not.
  if (paperBallotRoutes.length > 0) {
    it.each(paperBallotRoutes.map(([name, definition]) => ({ name, definition })))('cannot enter paper ballots: $name is 403 role-required for a citizen', async ({ definition }) => {
      expect(definition.auth).not.toBe('public');
      expect(definition.auth).not.toContain('citizen');
      expectProblem(await send(definition, tokens.citizen), 403, 'role-required');
    });
  } else {
    it.todo(`cannot enter paper ballots — no route named like /paper/ in the table yet (routes: ${Object.keys(routes).length})`);
  }
  if (schoolCodeRoutes.length > 0) {
    it.each(schoolCodeRoutes.map(([name, definition]) => ({ name, definition })))('cannot issue school codes: $name is 403 role-required for a citizen', async ({ definition }) => {
      expect(definition.auth).not.toBe('public');
      expect(definition.auth).not.toContain('citizen');
      expectProblem(await send(definition, tokens.citizen), 403, 'role-required');
    });
  } else {
    it.todo(`cannot issue school codes — no route named like /(issue|generate|create|mint|print).*codes?$/ in the table yet (routes: ${Object.keys(routes).length})`);
  }
});
