import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStageFile } from '../../infra/config.ts';
import { loadCommunityFiles } from '#shared/data/communities.ts';
import { Stack, type CfnResource } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { ofType, synthTestApp, type TestApp } from './support.ts';

const logicalIdOf = (fn: lambda.IFunction): string => {
  const cfn = fn.node.defaultChild as CfnResource;
  return Stack.of(cfn).getLogicalId(cfn);
};

/**
 * Template assertions of issue 10 (stages): the Custom::Communities resource, the pre-token-
 * generation trigger (V2_0), required MFA for staff, the residency mapping of the national
 * identity provider, per-community council alert subscriptions. One synth: the example prod stage.
 */
let t: TestApp;
beforeAll(async () => {
  t = await synthTestApp({ context: { stage: 'prod' }, stageFile: readStageFile('prod') });
});
afterAll(() => t?.cleanup());

describe('Custom::Communities (data stack)', () => {
  it('writes the stage\'s community files to the table, as one JSON property', () => {
    const [[, resource] = []] = ofType(t.templates.data, 'Custom::Communities');
    expect(resource).toBeDefined();
    const properties = resource?.Properties as { ServiceToken: unknown; Communities: string; ServiceTimeout: unknown };
    expect(properties.ServiceTimeout).toBe('300');
    // prod.json serves Ternopil only; the demo community of dev is not deployed there.
    expect(JSON.parse(properties.Communities)).toEqual(loadCommunityFiles(undefined, ['ternopil']));
    const fn = t.stacks.data.communities?.function;
    expect(fn).toBeDefined();
    expect(properties.ServiceToken).toEqual({ 'Fn::GetAtt': [logicalIdOf(fn!.function), 'Arn'] });
    t.templates.data.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('Custom::Communities'),
      Environment: { Variables: Match.objectLike({ TABLE_NAME: Match.anyValue() }) },
    });
  });

  it('may get, put and update items of the table, nothing else (no Scan, no Delete), and use the key only through DynamoDB', () => {
    const policies = ofType(t.templates.data, 'AWS::IAM::Policy').filter(([id]) => id.startsWith('Communities'));
    const statements = policies.flatMap(([, policy]) => (policy.Properties?.PolicyDocument as { Statement: { Sid?: string; Action: string | string[]; Condition?: unknown }[] }).Statement);
    const actions = statements.flatMap((statement) => [statement.Action].flat());
    expect(actions.filter((action) => action.startsWith('dynamodb:')).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    expect(statements.find((statement) => statement.Sid === 'UseTableKey')?.Condition).toEqual({ StringEquals: { 'kms:ViaService': 'dynamodb.eu-central-1.amazonaws.com' } });
  });
});

describe('identity (auth stack)', () => {
  it('wires the pre-token-generation trigger with the V2_0 event and the stage\'s residency mapping', () => {
    const fn = t.stacks.auth.preTokenGeneration?.function;
    expect(fn).toBeDefined();
    t.templates.auth.hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: { PreTokenGenerationConfig: { LambdaArn: { 'Fn::GetAtt': [logicalIdOf(fn!), 'Arn'] }, LambdaVersion: 'V2_0' } },
    });
    const [, lambda] = ofType(t.templates.auth, 'AWS::Lambda::Function').find(([id]) => id === logicalIdOf(fn!)) ?? [];
    const env = (lambda?.Properties?.Environment as { Variables: Record<string, string> }).Variables;
    expect(JSON.parse(env.RESIDENCY ?? '')).toEqual({ providerClaim: 'katottg', match: 'prefix', communities: { UA6104027: 'ternopil' } });
    t.templates.auth.hasResourceProperties('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunction', Principal: 'cognito-idp.amazonaws.com' });
  });

  it('answers the authorizer\'s Deny of a non-resident with a 403 problem that carries the refusal', () => {
    const [[, response] = []] = ofType(t.templates.api, 'AWS::ApiGateway::GatewayResponse').filter(([, r]) => r.Properties?.ResponseType === 'ACCESS_DENIED');
    expect(response?.Properties).toMatchObject({ StatusCode: '403', ResponseTemplates: { 'application/json': expect.stringContaining('"refusal":"$context.authorizer.refusal"') } });
    const template = (response?.Properties?.ResponseTemplates as Record<string, string>)['application/json']!;
    // Still one JSON object once API Gateway substitutes the variables.
    const filled = template.replace('$context.error.messageString', '"User is not authorized"').replace(/\$context\.[\w.]+/g, 'x');
    expect(JSON.parse(filled)).toMatchObject({ status: 403, refusal: 'x', title: 'Forbidden' });
  });

  it('alarms the ops topic when the trigger fails (every federated sign-in would fail with it)', () => {
    const alarms = ofType(t.templates.auth, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties ?? {});
    expect(alarms.map((alarm) => alarm.AlarmName).sort()).toEqual(['hromada-prod-pre-token-generation-errors', 'hromada-prod-pre-token-generation-throttles']);
    for (const alarm of alarms) expect(JSON.stringify(alarm.AlarmActions)).toContain('OpsTopic');
  });

  it('requires TOTP MFA (staff sign in with Cognito passwords; federated citizens are not affected)', () => {
    t.templates.auth.hasResourceProperties('AWS::Cognito::UserPool', { MfaConfiguration: 'ON', EnabledMfas: ['SOFTWARE_TOKEN_MFA'] });
  });

  it('declares custom:school (school admins), custom:residence and custom:national_id, and maps the provider\'s claims onto them', () => {
    t.templates.auth.hasResourceProperties('AWS::Cognito::UserPool', {
      Schema: Match.arrayWith([
        Match.objectLike({ Name: 'community', Mutable: true }),
        Match.objectLike({ Name: 'school', AttributeDataType: 'String', Mutable: true }),
        Match.objectLike({ Name: 'residence', AttributeDataType: 'String', Mutable: true }),
        Match.objectLike({ Name: 'national_id', AttributeDataType: 'String', Mutable: true }),
      ]),
    });
    t.templates.auth.hasResourceProperties('AWS::Cognito::UserPoolIdentityProvider', {
      ProviderName: 'BankID',
      AttributeMapping: Match.objectLike({ 'custom:residence': 'katottg', 'custom:national_id': 'drfocode', birthdate: 'birthdate', name: 'name' }),
    });
    t.templates.auth.hasResourceProperties('AWS::Cognito::UserPoolClient', { WriteAttributes: Match.arrayWith(['custom:community', 'custom:national_id', 'custom:residence']) });
  });
});

describe('council alert recipients (alerts stack)', () => {
  it('are e-mailed by the alert notifier from the community\'s configuration, not subscribed to a topic nobody publishes to', () => {
    // The recipients live in infra/communities/<id>.json and reach the table (Custom::Communities);
    // the alert notifier reads them there and sends through SES. An SNS e-mail subscription would
    // only ever deliver its confirmation request.
    const subscriptions = Object.values(t.templates.alerts.findResources('AWS::SNS::Subscription'));
    expect(subscriptions.map((s) => (s.Properties as { Endpoint?: unknown }).Endpoint)).not.toContain('rada@ternopil.example');
    expect(Object.keys(t.templates.alerts.findResources('AWS::SNS::Topic')).filter((id) => !id.startsWith('OpsTopic'))).toEqual([]);
  });
});
