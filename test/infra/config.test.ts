import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../infra/config.ts';
import { newApp } from '../../infra/hromada-app.ts';
import { checkRoutePaths } from '../../infra/stacks/api-stack.ts';
import { AuthStack } from '../../infra/stacks/auth-stack.ts';
import type { RouteDefinition } from '../../shared/http/route.ts';

const config = (context: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) => loadConfig(new App({ context }).node, env);

describe('loadConfig', () => {
  it('has defaults for every key', () => {
    expect(config({})).toMatchObject({
      stage: 'dev',
      region: 'eu-central-1',
      defaultCommunity: 'ternopil',
      corsOrigins: ['*'],
      logLevel: 'INFO',
      wafWriteRateLimit: 300,
      wafRateLimit: 3000,
      cognitoFeaturePlan: 'essentials',
    });
  });

  it('takes account and region from the CDK CLI environment unless given as context', () => {
    expect(config({}, { CDK_DEFAULT_ACCOUNT: '123456789012', CDK_DEFAULT_REGION: 'eu-west-1' })).toMatchObject({ account: '123456789012', region: 'eu-west-1' });
    expect(config({ region: 'eu-north-1' }, { CDK_DEFAULT_REGION: 'eu-west-1' }).region).toBe('eu-north-1');
  });

  it('coerces command-line strings: numbers, lists, JSON', () => {
    const parsed = config({
      wafRateLimit: '5000',
      corsOrigins: 'https://petitions.ternopil.gov.ua, https://ternopil.gov.ua',
      oidcProvider: JSON.stringify({
        name: 'BankID',
        issuerUrl: 'https://id.example.gov.ua',
        clientId: 'hromada',
        clientSecretArn: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:bankid-AbCdEf',
      }),
    });
    expect(parsed.wafRateLimit).toBe(5000);
    expect(parsed.corsOrigins).toEqual(['https://petitions.ternopil.gov.ua', 'https://ternopil.gov.ua']);
    expect(parsed.oidcProvider).toMatchObject({ name: 'BankID', scopes: ['openid', 'profile'] });
  });

  it('rejects invalid context with every problem named', () => {
    expect(() => config({ stage: 'Prod!', wafRateLimit: 'many' })).toThrow(/stage[\s\S]*wafRateLimit/);
    expect(() => config({ authIssuer: 'https://issuer.example' })).toThrow(/authAudience/);
    expect(() => config({ authAudience: 'x' })).toThrow(/authIssuer/);
    expect(() => config({ councilAlertEmail: 'not-an-email' })).toThrow(/councilAlertEmail/);
    expect(() => config({ logRetentionDays: 42 })).toThrow(/logRetentionDays/);
  });
});

describe('checkRoutePaths', () => {
  const route = (method: RouteDefinition['method'], path: string): RouteDefinition => ({
    method,
    path,
    handler: 'x',
    auth: 'public',
    summary: '',
    tags: [],
    table: 'none',
    responses: {},
  });

  it('accepts the same parameter at the same position', () => {
    expect(() => checkRoutePaths([['a', route('GET', '/v1/p/{id}')], ['b', route('POST', '/v1/p/{id}/s')]])).not.toThrow();
  });
  it('refuses two names for one path parameter position', () => {
    expect(() => checkRoutePaths([['a', route('GET', '/v1/p/{id}')], ['b', route('GET', '/v1/p/{petitionId}/s')]])).toThrow(/a and b.*\{id\} and \{petitionId\}/);
  });
  it('refuses a method and path defined twice', () => {
    expect(() => checkRoutePaths([['a', route('GET', '/v1/p')], ['b', route('GET', '/v1/p')]])).toThrow(/a and b both define GET \/v1\/p/);
  });
});

describe('an external OIDC issuer and national-ID federation', () => {
  // Only the auth stack: no bundles, no other stacks.
  const app = newApp({
    builtinCloudFormationValidation: false,
    context: {
      stage: 'city',
      authIssuer: 'https://id.city.example/realms/hromada',
      authAudience: 'hromada-api',
      authDomainPrefix: 'hromada-city',
      oidcProvider: {
        name: 'BankID',
        issuerUrl: 'https://id.example.gov.ua',
        clientId: 'hromada',
        clientSecretArn: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:bankid-AbCdEf',
      },
    },
  });
  const cityConfig = loadConfig(app.node, {});
  const stack = new AuthStack(app, 'Auth', { config: cityConfig, env: { region: cityConfig.region } });
  const auth = Template.fromStack(stack);

  it('makes the authorizer trust the configured issuer (JWKS defaulting to <issuer>/.well-known/jwks.json)', () => {
    expect(stack.tokenIssuer).toEqual({
      issuer: 'https://id.city.example/realms/hromada',
      jwksUrl: 'https://id.city.example/realms/hromada/.well-known/jwks.json',
      audience: 'hromada-api',
    });
  });

  it('federates the national identity provider with its client secret read from Secrets Manager at deploy time', () => {
    auth.hasResourceProperties('AWS::Cognito::UserPoolIdentityProvider', {
      ProviderName: 'BankID',
      ProviderType: 'OIDC',
      ProviderDetails: {
        client_id: 'hromada',
        client_secret: '{{resolve:secretsmanager:arn:aws:secretsmanager:eu-central-1:123456789012:secret:bankid-AbCdEf:SecretString:::}}',
        oidc_issuer: 'https://id.example.gov.ua',
        authorize_scopes: 'openid profile',
        attributes_request_method: 'GET',
      },
      AttributeMapping: { name: 'name', birthdate: 'birthdate', email: 'email' },
    });
    auth.hasResourceProperties('AWS::Cognito::UserPoolClient', { SupportedIdentityProviders: ['COGNITO', 'BankID'] });
    auth.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'hromada-city' });
  });
});
