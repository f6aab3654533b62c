import { createServer, type Server } from 'node:http';
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent, PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { communityOfResidence, residencySchema, tokenOverrides } from '#shared/auth/residency.ts';
import { createTokenVerifier } from '#shared/auth/verify-token.ts';

/**
 * A simulated federated sign-in: the real pre-token-generation trigger invoked with the V2 event
 * Cognito sends for a BankID user (shape: Cognito developer guide, "Pre token generation Lambda
 * trigger", event version V2_0), the token Cognito would then issue, and what the authorizer makes
 * of it (the real authorizer handler, with its JWKS served by a local HTTP server).
 */
const residency = { providerClaim: 'katottg', match: 'prefix', communities: { UA6104027: 'ternopil' } };
const issuer = 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_Example1';
const clientId = '3n4b5urk1ft4fl3mg5e62d9ado';

let trigger: (event: PreTokenGenerationV2TriggerEvent) => Promise<PreTokenGenerationV2TriggerEvent>;
let authorizer: (event: APIGatewayTokenAuthorizerEvent) => Promise<APIGatewayAuthorizerResult>;
let signingKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let jwk: JWK;
let jwks: Server;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  signingKey = pair.privateKey;
  jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  jwks = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  const address = jwks.address();
  // What infra/stacks/auth-stack.ts and api-stack.ts give the two functions.
  process.env.RESIDENCY = JSON.stringify(residency);
  process.env.AUTH_ISSUER = issuer;
  process.env.AUTH_AUDIENCE = clientId;
  process.env.AUTH_JWKS_URL = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/.well-known/jwks.json`;
  trigger = (await import('../../functions/auth/pre-token-generation.ts')).handler;
  authorizer = (await import('../../functions/auth/authorizer.ts')).handler;
});
afterAll(async () => {
  if (jwks) await new Promise((resolve) => jwks.close(resolve));
});

/** The event Cognito sends after a BankID sign-in through the managed login. */
function federatedEvent(residence: string | undefined, groups: string[] = []): PreTokenGenerationV2TriggerEvent {
  return {
    version: '2',
    triggerSource: 'TokenGeneration_HostedAuth',
    region: 'eu-central-1',
    userPoolId: 'eu-central-1_Example1',
    userName: 'BankID_7f3c2a9e-51d4-4b0e-9c55-1e2f3a4b5c6d',
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId },
    request: {
      userAttributes: {
        sub: 'a3f4b2c1-7d8e-4f90-a1b2-c3d4e5f60718',
        'cognito:user_status': 'EXTERNAL_PROVIDER',
        identities: JSON.stringify([
          { dateCreated: '1764460800000', userId: '7f3c2a9e-51d4-4b0e-9c55-1e2f3a4b5c6d', providerName: 'BankID', providerType: 'OIDC', issuer: null, primary: 'true' },
        ]),
        name: 'Олена Коваль',
        birthdate: '1990-05-01',
        email_verified: 'false',
        ...(residence === undefined ? {} : { 'custom:residence': residence }),
      },
      groupConfiguration: { groupsToOverride: groups, iamRolesToOverride: [], preferredRole: undefined },
      scopes: ['openid', 'profile', 'email'],
    },
    response: { claimsAndScopeOverrideDetails: {} },
  } as PreTokenGenerationV2TriggerEvent;
}

/** The ID token Cognito issues from the user's attributes and the trigger's answer. */
async function idTokenFrom(event: PreTokenGenerationV2TriggerEvent): Promise<string> {
  const details = event.response.claimsAndScopeOverrideDetails;
  const claims: Record<string, unknown> = { ...event.request.userAttributes, 'cognito:username': event.userName, token_use: 'id' };
  delete claims['cognito:user_status'];
  const groups = details.groupOverrideDetails?.groupsToOverride ?? event.request.groupConfiguration.groupsToOverride ?? [];
  if (groups.length > 0) claims['cognito:groups'] = groups;
  Object.assign(claims, details.idTokenGeneration?.claimsToAddOrOverride);
  for (const claim of details.idTokenGeneration?.claimsToSuppress ?? []) delete claims[claim];
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(issuer)
    .setAudience(clientId)
    .setSubject(String(claims.sub))
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(signingKey);
}

const authorize = (token: string) =>
  authorizer({ type: 'TOKEN', authorizationToken: `Bearer ${token}`, methodArn: 'arn:aws:execute-api:eu-central-1:111111111111:abcdef1234/prod/POST/v1/petitions/x/signatures' });

describe('pre-token generation (V2) for federated sign-ins', () => {
  it('a resident gets custom:community and exactly the citizen group; the authorizer accepts the token', async () => {
    const event = await trigger(federatedEvent('UA61040270000075718'));
    expect(event.response.claimsAndScopeOverrideDetails).toEqual({
      idTokenGeneration: { claimsToAddOrOverride: { 'custom:community': 'ternopil' }, claimsToSuppress: ['custom:residence'] },
      accessTokenGeneration: { claimsToAddOrOverride: { 'custom:community': 'ternopil' } },
      groupOverrideDetails: { groupsToOverride: ['citizen'] },
    });
    const token = await idTokenFrom(event);
    const verified = await createTokenVerifier({ issuer, audience: clientId, keys: createLocalJWKSet({ keys: [jwk] }) })(`Bearer ${token}`);
    expect(verified).toEqual({ ok: true, principal: { sub: 'a3f4b2c1-7d8e-4f90-a1b2-c3d4e5f60718', community: 'ternopil', roles: ['citizen'], birthdate: '1990-05-01', name: 'Олена Коваль' } });
    const result = await authorize(token);
    expect(result.policyDocument.Statement).toEqual([{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: 'arn:aws:execute-api:eu-central-1:111111111111:abcdef1234/prod/*' }]);
    expect(result.context).toMatchObject({ community: 'ternopil', roles: 'citizen', birthdate: '1990-05-01' });
  });

  it('a village of the community (a longer code with its prefix) is the community too', async () => {
    const event = await trigger(federatedEvent(' ua61040270010012345 '));
    expect(event.response.claimsAndScopeOverrideDetails.idTokenGeneration?.claimsToAddOrOverride).toEqual({ 'custom:community': 'ternopil' });
  });

  it('a non-resident gets no community and no role, and the authorizer refuses with a clear 403 problem', async () => {
    for (const residence of ['UA46060250010015970', undefined]) {
      const event = await trigger(federatedEvent(residence, ['council']));
      expect(event.response.claimsAndScopeOverrideDetails).toEqual({
        idTokenGeneration: { claimsToAddOrOverride: { 'hromada:residency': 'not-resident' }, claimsToSuppress: ['custom:community', 'custom:residence'] },
        accessTokenGeneration: { claimsToAddOrOverride: { 'hromada:residency': 'not-resident' }, claimsToSuppress: ['custom:community'] },
        groupOverrideDetails: { groupsToOverride: [] },
      });
      const token = await idTokenFrom(event);
      const verified = await createTokenVerifier({ issuer, audience: clientId, keys: createLocalJWKSet({ keys: [jwk] }) })(`Bearer ${token}`);
      expect(verified).toEqual({ ok: false, reason: 'not-resident' });
      const result = await authorize(token);
      // API Gateway: Deny -> ACCESS_DENIED gateway response, a 403 problem with "refusal":"not-a-resident".
      expect(result.policyDocument.Statement).toEqual([expect.objectContaining({ Effect: 'Deny' })]);
      expect(result.context).toEqual({ refusal: 'not-a-resident' });
    }
  });

  it('a stage without a residency mapping refuses every federated sign-in as not-resident', () => {
    expect(tokenOverrides(federatedEvent('UA61040270000075718'), undefined).claimsAndScopeOverrideDetails).toMatchObject({
      idTokenGeneration: { claimsToAddOrOverride: { 'hromada:residency': 'not-resident' } },
      groupOverrideDetails: { groupsToOverride: [] },
    });
  });

  it('a federated user cannot carry staff groups, even if someone added them to one', async () => {
    const event = await trigger(federatedEvent('UA61040270000075718', ['council', 'moderator']));
    expect(event.response.claimsAndScopeOverrideDetails.groupOverrideDetails).toEqual({ groupsToOverride: ['citizen'] });
  });

  it('staff (native users created by add-staff) keep the groups and community an administrator set', async () => {
    const event = federatedEvent(undefined, ['council']);
    event.userName = 'olena.council';
    event.triggerSource = 'TokenGeneration_Authentication';
    event.request.userAttributes = { sub: 'b1', 'cognito:user_status': 'CONFIRMED', email: 'olena@rada.ternopil.example', 'custom:community': 'ternopil' };
    expect((await trigger(event)).response).toEqual({ claimsAndScopeOverrideDetails: {} });
  });

  it('an invalid token is still a plain 401 (Unauthorized), not a residency refusal', async () => {
    await expect(authorize('not.a.token')).rejects.toThrow(/^Unauthorized$/);
  });
});

describe('communityOfResidence', () => {
  const exact = residencySchema.parse({ providerClaim: 'katottg', communities: { UA61040270000075718: 'ternopil', UA61040270010012345: 'village-x' } });
  it('exact: the whole value; prefix: the longest matching key', () => {
    expect(communityOfResidence('UA61040270000075718', exact)).toBe('ternopil');
    expect(communityOfResidence('UA610402700000757189', exact)).toBeUndefined();
    expect(communityOfResidence('', exact)).toBeUndefined();
    const prefix = { ...exact, match: 'prefix' as const, communities: { UA6104027: 'ternopil', UA610402701: 'village-x' } };
    expect(communityOfResidence('UA61040270112345', prefix)).toBe('village-x');
    expect(communityOfResidence('UA61040279999', prefix)).toBe('ternopil');
  });
});
