import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../infra/bundle.ts';
import { AUTHORIZER_FAILURE_EVENT, createTokenVerifier } from '#shared/auth/verify-token.ts';
import { STREAM_RETENTION_SECONDS } from '#shared/streams/event-source.ts';
import { ofType, resourcesOf, synthTestApp, testStageFile, type TestApp } from './support.ts';

/**
 * Production hygiene of the synthesized app (issue 10): what only shows in AWS, asserted on the
 * templates. Synthesized with cdk-nag registered and the metadata the CDK CLI asks for, as
 * `cdk synth` does, so the template sizes are the deployed ones.
 */
let t: TestApp;
beforeAll(async () => {
  t = await synthTestApp({
    securityChecks: true,
    context: { 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true },
  });
});
afterAll(() => t?.cleanup());

type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: unknown; Principal?: unknown; Condition?: Record<string, Record<string, unknown>> };
const allTemplates = () => [t.templates.data, t.templates.auth, t.templates.alerts, ...t.templates.apiAll];
const policyStatements = (): Statement[] =>
  ofType(allTemplates(), 'AWS::IAM::Policy').flatMap(([, policy]) => (policy.Properties?.PolicyDocument as { Statement: Statement[] }).Statement);
const actionsOf = (statement: Statement) => [statement.Action].flat();

describe('template sizes', () => {
  it('keeps every synthesized template, nested ones included, under 300 KB (no cdk-nag metadata copied onto resources)', () => {
    const files = readdirSync(t.outdir).filter((file) => file.endsWith('.template.json'));
    expect(files.filter((file) => file.includes('.nested.')).length).toBeGreaterThan(3);
    for (const file of files) {
      const bytes = statSync(join(t.outdir, file)).size;
      expect(bytes, file).toBeLessThan(300 * 1024);
      expect(readFileSync(join(t.outdir, file), 'utf8'), file).not.toContain('rules_to_suppress');
    }
  });
});

describe('ops topic', () => {
  it('lets CloudWatch alarms of this account publish (aws:SourceAccount), besides denying plain HTTP', () => {
    const opsTopic = ofType(t.templates.alerts, 'AWS::SNS::Topic').find(([, topic]) => topic.Properties?.TopicName === 'hromada-test-ops');
    const policies = ofType(t.templates.alerts, 'AWS::SNS::TopicPolicy').filter(([, policy]) =>
      JSON.stringify(policy.Properties?.Topics).includes(opsTopic?.[0] as string),
    );
    expect(policies).toHaveLength(1);
    const statements = (policies[0]?.[1].Properties?.PolicyDocument as { Statement: Statement[] }).Statement;
    const allow = statements.find((statement) => statement.Effect === 'Allow' && JSON.stringify(statement.Principal).includes('cloudwatch.amazonaws.com'));
    expect(allow).toBeDefined();
    expect(actionsOf(allow as Statement)).toEqual(['sns:Publish']);
    expect(allow?.Condition?.StringEquals?.['aws:SourceAccount']).toEqual(testStageFile.account); // the stage's account (Stack.account)
    expect(JSON.stringify(allow?.Condition?.ArnLike?.['aws:SourceArn'])).toContain(':alarm:*');
    expect(statements.some((statement) => statement.Effect === 'Deny' && JSON.stringify(statement.Condition).includes('aws:SecureTransport'))).toBe(true);
  });
});

describe('authorizer alarm', () => {
  const authorizerId = () => t.stacks.api.getLogicalId(t.stacks.api.authorizerFunction.node.defaultChild as never);

  it('does not alarm on the Lambda Errors of the authorizer (every 401 is a thrown "Unauthorized")', () => {
    const alarms = ofType(t.templates.api, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties ?? {});
    const onAuthorizer = alarms.filter((alarm) => JSON.stringify(alarm.Dimensions ?? []).includes(authorizerId()));
    expect(onAuthorizer.map((alarm) => alarm.MetricName)).toEqual(['Throttles']);
  });

  it('alarms on the failures the authorizer logs (and on its timeouts), counted by a metric filter on its log group', () => {
    const filters = ofType(t.templates.api, 'AWS::Logs::MetricFilter');
    expect(filters).toHaveLength(1);
    const filter = filters[0]?.[1].Properties ?? {};
    expect(filter.FilterPattern).toBe(`?"${AUTHORIZER_FAILURE_EVENT}" ?"Task timed out"`);
    const authorizerLogs = t.stacks.api.node.findAll().find((construct) => construct.node.path.endsWith('Functions/authorizer/Logs'));
    const logGroupId = t.stacks.api.getLogicalId(authorizerLogs?.node.defaultChild as CfnElement);
    expect(filter.LogGroupName).toEqual({ Ref: logGroupId });
    const [transformation] = filter.MetricTransformations as { MetricName: string; MetricNamespace: string; MetricValue: string }[];
    const alarm = ofType(t.templates.api, 'AWS::CloudWatch::Alarm')
      .map(([, resource]) => resource.Properties ?? {})
      .find((candidate) => candidate.MetricName === transformation?.MetricName);
    expect(alarm).toMatchObject({ Namespace: transformation?.MetricNamespace, Threshold: 1, Statistic: 'Sum' });
    expect(JSON.stringify(alarm?.AlarmActions)).toContain('OpsTopic');
  });

  it('answers a bad token with a verdict (401), and a JWKS it cannot reach with an error (500, logged as a failure)', async () => {
    const { createLocalJWKSet } = await import('jose');
    const verifyLocal = createTokenVerifier({ issuer: 'https://issuer.example', keys: createLocalJWKSet({ keys: [] }) });
    await expect(verifyLocal('Bearer a.b.c')).resolves.toEqual({ ok: false, reason: 'token invalid' });

    process.env.AUTH_ISSUER = 'https://issuer.example';
    process.env.AUTH_JWKS_URL = 'http://127.0.0.1:9/jwks.json'; // discard port: refused
    const { handler } = await import('../../functions/auth/authorizer.ts');
    const logged: string[] = [];
    const original = console.error;
    console.error = (line: unknown) => void logged.push(String(line));
    try {
      const header = Buffer.from(JSON.stringify({ alg: 'RS256', kid: 'k1' })).toString('base64url');
      const payload = Buffer.from(JSON.stringify({ iss: 'https://issuer.example', sub: 'x' })).toString('base64url');
      const event = { type: 'TOKEN' as const, methodArn: 'arn:aws:execute-api:eu-central-1:1:api/test/GET/x', authorizationToken: `Bearer ${header}.${payload}.c2ln` };
      await expect(handler(event)).rejects.not.toThrow(/^Unauthorized$/);
      expect(logged.some((line) => line.includes(AUTHORIZER_FAILURE_EVENT))).toBe(true);
      logged.length = 0;
      await expect(handler({ ...event, authorizationToken: 'Bearer not-a.jwt.at-all' })).rejects.toThrow(/^Unauthorized$/);
      expect(logged).toEqual([]);
    } finally {
      console.error = original;
    }
  });
});

describe('stream consumers', () => {
  const mappings = () => ofType(t.templates.alerts, 'AWS::Lambda::EventSourceMapping').map(([, mapping]) => mapping.Properties ?? {});

  it('reserves concurrency for every stream consumer, so an HTTP surge cannot starve them', () => {
    const resources = resourcesOf(t.templates.alerts);
    expect(mappings().length).toBeGreaterThan(0);
    for (const mapping of mappings()) {
      const fn = resources[(mapping.FunctionName as { Ref: string }).Ref];
      expect(fn?.Properties?.ReservedConcurrentExecutions, JSON.stringify(mapping.FunctionName)).toBeGreaterThanOrEqual(1);
    }
  });

  it('gives every event source a maximum record age, inside the stream retention', () => {
    for (const mapping of mappings()) {
      expect(mapping.MaximumRecordAgeInSeconds).toBeGreaterThanOrEqual(60);
      expect(mapping.MaximumRecordAgeInSeconds).toBeLessThan(STREAM_RETENTION_SECONDS);
    }
  });

  it('keeps dead-letter pointers a few days, not two weeks past a stream that keeps 24 hours', () => {
    const queues = ofType(t.templates.alerts, 'AWS::SQS::Queue');
    expect(queues.length).toBe(mappings().length);
    for (const [, queue] of queues) {
      expect(queue.Properties?.MessageRetentionPeriod).toBeGreaterThanOrEqual(STREAM_RETENTION_SECONDS);
      expect(queue.Properties?.MessageRetentionPeriod).toBeLessThanOrEqual(4 * 86_400);
    }
  });
});

describe('IAM', () => {
  it('grants dynamodb:Scan nowhere, and no Lambda source scans', () => {
    const scans = policyStatements().filter((statement) => actionsOf(statement).some((action) => action === 'dynamodb:Scan' || action === 'dynamodb:*'));
    expect(scans).toEqual([]);
    const sources = (dir: string): string[] =>
      readdirSync(join(repoRoot, dir), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts')).map((file) => join(repoRoot, dir, file));
    const scanning = [...sources('functions'), ...sources('shared')].filter((file) => /\bScanCommand\b/.test(readFileSync(file, 'utf8')));
    expect(scanning).toEqual([]);
  });

  it('lets functions use the table key only through DynamoDB (kms:ViaService)', () => {
    const keyStatements = policyStatements().filter((statement) => JSON.stringify(statement.Resource).includes('TableKey'));
    expect(keyStatements.length).toBeGreaterThan(5);
    for (const statement of keyStatements) {
      expect(actionsOf(statement).every((action) => action.startsWith('kms:')), statement.Sid).toBe(true);
      expect(statement.Condition?.StringEquals?.['kms:ViaService'], statement.Sid).toBe('dynamodb.eu-central-1.amazonaws.com');
    }
  });
});

describe('API execution logs', () => {
  it('creates the execution log group API Gateway writes to, with a retention, before the stage', () => {
    const resources = resourcesOf(t.templates.api);
    const [apiId] = ofType(t.templates.api, 'AWS::ApiGateway::RestApi')[0] ?? [];
    const group = ofType(t.templates.api, 'AWS::Logs::LogGroup').find(([, candidate]) => JSON.stringify(candidate.Properties?.LogGroupName ?? '').includes('API-Gateway-Execution-Logs_'));
    expect(group).toBeDefined();
    expect(group?.[1].Properties?.LogGroupName).toEqual({ 'Fn::Join': ['', ['API-Gateway-Execution-Logs_', { Ref: apiId }, '/test']] });
    expect(group?.[1].Properties?.RetentionInDays).toBe(90);
    const [, stage] = ofType(t.templates.api, 'AWS::ApiGateway::Stage')[0] ?? [];
    expect(stage?.Properties?.StageName).toBe('test');
    const dependsOn = (Object.values(resources).find((resource) => resource.Type === 'AWS::ApiGateway::Stage') as { DependsOn?: string[] }).DependsOn ?? [];
    expect(dependsOn).toContain(group?.[0]);
  });
});
