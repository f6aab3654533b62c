import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../infra/bundle.ts';
import { loadConfig, stageNames } from '../../infra/config.ts';
import { newApp } from '../../infra/hromada-app.ts';
import { checkRoutePaths } from '../../infra/stacks/api-stack.ts';
import { AuthStack } from '../../infra/stacks/auth-stack.ts';
import type { RouteDefinition } from '#shared/http/route.ts';

const minimal = { account: '111111111111', region: 'eu-central-1', production: false };
const config = (context: Record<string, unknown>, stageFile: Record<string, unknown> = minimal) =>
  loadConfig(new App({ context: { stage: 'unit', ...context } }).node, { stageFile });

describe('loadConfig', () => {
  it('has defaults for every optional field', () => {
    expect(config({})).toMatchObject({
      stage: 'unit',
      account: '111111111111',
      region: 'eu-central-1',
      production: false,
      defaultCommunity: 'ternopil',
      corsOrigins: ['*'],
      logLevel: 'INFO',
      wafWriteRateLimit: 300,
      wafRateLimit: 3000,
      cognitoFeaturePlan: 'essentials',
    });
  });

  it('requires account, region and production in the file, with no default (never the CLI\'s us-east-1)', () => {
    expect(() => config({}, { production: false })).toThrow(/account: [\s\S]*region: /);
    expect(() => config({}, { account: '111111111111', region: 'eu-central-1' })).toThrow(/production: must be true or false/);
    expect(() => config({}, { ...minimal, region: 'Frankfurt' })).toThrow(/region: must be an AWS region/);
  });

  it('lets -c override a field for one run, coercing command-line strings (numbers, lists, JSON)', () => {
    const parsed = config({
      wafRateLimit: '5000',
      corsOrigins: 'https://petitions.ternopil.gov.ua, https://ternopil.gov.ua',
      oidcProvider: JSON.stringify({
        name: 'BankID',
        issuerUrl: 'https://id.example.gov.ua',
        clientId: 'hromada',
        clientSecretArn: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:bankid-AbCdEf',
      }),
      residency: '{"providerClaim":"katottg","communities":{"UA6104027":"ternopil"}}',
    }, { ...minimal, wafRateLimit: 1000 });
    expect(parsed.wafRateLimit).toBe(5000);
    expect(parsed.corsOrigins).toEqual(['https://petitions.ternopil.gov.ua', 'https://ternopil.gov.ua']);
    expect(parsed.oidcProvider).toMatchObject({ name: 'BankID', scopes: ['openid', 'profile'] });
    expect(parsed.residency).toEqual({ providerClaim: 'katottg', match: 'exact', communities: { UA6104027: 'ternopil' } });
  });

  it('refuses -c for the identity of the deployment (account, region, production)', () => {
    expect(() => config({ region: 'us-east-1' })).toThrow(/region cannot be given with -c/);
    expect(() => config({ production: 'true', account: '123456789012' })).toThrow(/account, production cannot be given with -c/);
  });

  it('rejects an invalid file or override with every problem named', () => {
    expect(() => config({ stage: 'Prod!' })).toThrow(/stage name/);
    expect(() => config({ wafRateLimit: 'many', logRetentionDays: 42 })).toThrow(/logRetentionDays[\s\S]*wafRateLimit/);
    expect(() => config({}, { ...minimal, wafRateLimit: 'many' })).toThrow(/for stage "unit":\n {2}- wafRateLimit/);
    expect(() => config({ authIssuer: 'https://issuer.example' })).toThrow(/authAudience/);
    expect(() => config({ authAudience: 'x' })).toThrow(/authIssuer/);
    expect(() => config({ councilAlertEmail: 'council@example.org' })).toThrow(/councilAlertEmail is no longer used: name the council's alert recipients/);
    expect(() => config({}, { ...minimal, wafRatelimit: 300 })).toThrow(/Unrecognized key[\s\S]*wafRatelimit/);
    expect(() => config({}, { ...minimal, stage: 'prod' })).toThrow(/stage: is "prod" but the file is for "unit"/);
    expect(() => config({}, { ...minimal, residency: { providerClaim: 'katottg', communities: { UA1: 'ternopil' } } })).toThrow(/residency: .*oidcProvider/);
    expect(() => config({}, { ...minimal, communities: ['kyiv'] })).toThrow(/defaultCommunity must be one of communities/);
    const provider = { name: 'BankID', issuerUrl: 'https://id.example.gov.ua', clientId: 'c', clientSecretArn: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:x' };
    // A federation without a residency mapping would lock every citizen out (issue 10).
    expect(() => config({}, { ...minimal, oidcProvider: provider })).toThrow(/residency: oidcProvider needs residency/);
    expect(() => config({}, { ...minimal, communities: ['ternopil'], oidcProvider: provider, residency: { providerClaim: 'katottg', communities: { UA1: 'lviv' } } })).toThrow(
      /residency: residency maps onto a community this stage does not serve/,
    );
  });

  describe('stage files (infra/stages/<stage>.json)', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'hromada-stages-'));
      writeFileSync(join(dir, 'ok.json'), JSON.stringify({ ...minimal, production: true, opsAlertEmail: 'ops@city.example' }));
      writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...minimal, region: 'us-east-1x', corsOrigins: 5 }));
      writeFileSync(join(dir, 'broken.json'), '{ "account": ');
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const fromDir = (stage: string, context: Record<string, unknown> = {}) => loadConfig(new App({ context: { stage, ...context } }).node, { stagesDir: dir });

    it('reads the file the stage names', () => {
      expect(fromDir('ok')).toMatchObject({ stage: 'ok', production: true, opsAlertEmail: 'ops@city.example', region: 'eu-central-1' });
      expect(fromDir('ok', { opsAlertEmail: 'other@city.example' }).opsAlertEmail).toBe('other@city.example');
    });
    it('stops on a missing file, naming the file and the stages there are', () => {
      expect(() => fromDir('prod')).toThrow(/No configuration for stage "prod": .*prod\.json does not exist\. Checked-in stages: bad, broken, ok/);
    });
    it('stops on an invalid file, naming the file and each field', () => {
      expect(() => fromDir('bad')).toThrow(/Invalid stage configuration infra\/stages\/bad\.json:\n {2}- region: must be an AWS region[\s\S]*corsOrigins/);
      expect(() => fromDir('broken')).toThrow(/broken\.json: not JSON/);
    });
    it('`cdk synth` (infra/app.ts) stops with the message, not a stack trace', () => {
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
        cwd: repoRoot,
        env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ stage: 'no-such-stage' }), CDK_OUTDIR: dir },
        encoding: 'utf8',
      });
      expect(run.status).toBe(1);
      expect(run.stderr.trim()).toMatch(/^No configuration for stage "no-such-stage": infra\/stages\/no-such-stage\.json does not exist\. Checked-in stages: dev, prod/);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    });
    it('the checked-in stages are dev and an example prod, and each validates', () => {
      expect(stageNames()).toEqual(expect.arrayContaining(['dev', 'prod']));
      for (const stage of stageNames()) expect(loadConfig(new App({ context: { stage } }).node).stage).toBe(stage);
      const prod = loadConfig(new App({ context: { stage: 'prod' } }).node);
      expect(prod).toMatchObject({ production: true, region: 'eu-central-1', residency: { providerClaim: 'katottg' } });
      expect(prod.description).toMatch(/EXAMPLE/);
      expect(loadConfig(new App({ context: { stage: 'dev' } }).node).production).toBe(false);
    });
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
      residency: { providerClaim: 'katottg', communities: { UA6104027: 'ternopil' } },
    },
  });
  const cityConfig = loadConfig(app.node, { stageFile: { account: '111111111111', region: 'eu-central-1', production: true } });
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
      AttributeMapping: { name: 'name', birthdate: 'birthdate', email: 'email', 'custom:residence': 'katottg' },
    });
    auth.hasResourceProperties('AWS::Cognito::UserPoolClient', { SupportedIdentityProviders: ['COGNITO', 'BankID'] });
    auth.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'hromada-city' });
  });
});
