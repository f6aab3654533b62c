import { Stack, type CfnResource } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployedRoutes, lambdaEntries } from '../../infra/bundle.ts';
import { keyReadActions, keyWriteActions, tableReadActions, tableWriteActions } from '../../infra/constructs/table-access.ts';
import { roles } from '#shared/auth/roles.ts';
import { table } from '#shared/data/table.ts';
import { schedules } from '#shared/schedules.ts';
import { streamConsumers, type StreamConsumerName } from '#shared/streams/consumers.ts';
import { ofType, resourcesOf, synthTestApp, type TestApp } from './support.ts';

// One synthesis of the whole app (stub handlers) for every test in this file.
let t: TestApp;
beforeAll(async () => {
  t = await synthTestApp({ context: { opsAlertEmail: 'ops@example.org' } });
});
afterAll(() => t?.cleanup());

const logicalId = (construct: lambda.IFunction | CfnResource): string => {
  const cfn = ('node' in construct && construct.node.defaultChild ? construct.node.defaultChild : construct) as CfnResource;
  return Stack.of(cfn).getLogicalId(cfn);
};

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

/** Every statement of every inline policy attached to the role of a function. */
function statementsOf(fn: lambda.Function): Statement[] {
  const roleId = Stack.of(fn).getLogicalId(fn.role?.node.defaultChild as CfnResource);
  return Object.values(resourcesOf(t.templateOf(fn)))
    .filter((resource) => resource.Type === 'AWS::IAM::Policy')
    .filter((resource) => JSON.stringify(resource.Properties?.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((resource) => (resource.Properties?.PolicyDocument as { Statement: Statement[] }).Statement);
}

/** What `secret.grantRead` allows: the key ring, read only. */
const keyRingReadActions = ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'];

const actionsOf = (statements: Statement[]): string[] => statements.flatMap((statement) => [statement.Action].flat()).sort();

describe('DataStack', () => {
  it('builds the table exactly from shared/data/table.ts', () => {
    const [[, global] = []] = ofType(t.templates.data, 'AWS::DynamoDB::GlobalTable');
    const props = global?.Properties ?? {};
    expect(props.KeySchema).toEqual([
      { AttributeName: table.partitionKey, KeyType: 'HASH' },
      { AttributeName: table.sortKey, KeyType: 'RANGE' },
    ]);
    expect(props.GlobalSecondaryIndexes).toEqual(
      table.indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    );
    const keyNames = [table.partitionKey, table.sortKey, ...table.indexes.flatMap((index) => [index.partitionKey, index.sortKey])];
    expect(props.AttributeDefinitions).toEqual(expect.arrayContaining(keyNames.map((name) => ({ AttributeName: name, AttributeType: 'S' }))));
    expect(props.AttributeDefinitions).toHaveLength(new Set(keyNames).size);
    expect(props.StreamSpecification).toEqual({ StreamViewType: table.stream });
    expect(props.TimeToLiveSpecification).toEqual({ AttributeName: table.timeToLiveAttribute, Enabled: true });
    expect(props.BillingMode).toBe('PAY_PER_REQUEST');
  });

  it('protects the data: PITR, deletion protection, retain, customer-managed key with rotation', () => {
    t.templates.data.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
        Replicas: [
          Match.objectLike({
            DeletionProtectionEnabled: true,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 35 },
            SSESpecification: { KMSMasterKeyId: Match.anyValue() },
          }),
        ],
      }),
    });
    t.templates.data.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ EnableKeyRotation: true }) });
  });
});

describe('ApiStack: functions', () => {
  it('has one Lambda per deployed route, plus the authorizer and the fallback', () => {
    const functions = ofType(t.templates.apiAll, 'AWS::Lambda::Function');
    expect(functions).toHaveLength(deployedRoutes().length + 2);
    for (const [name] of deployedRoutes()) expect(t.stacks.api.routeFunctions[name]).toBeDefined();
  });

  it('puts route functions in one nested stack per area (functions/http/<area>/), keeping the API stack small', () => {
    const areas = new Set(deployedRoutes().map(([, route]) => route.handler.split('/')[0]));
    expect(t.stacks.api.routeStacks).toHaveLength(areas.size);
    for (const [name, route] of deployedRoutes()) {
      const stack = Stack.of(t.stacks.api.routeFunctions[name]);
      expect(stack.nestedStackParent).toBe(t.stacks.api);
      expect(stack.node.id).toBe(`Routes-${route.handler.split('/')[0]?.replace(/[^A-Za-z0-9]/g, '')}`);
    }
    for (const template of t.templates.apiAll) expect(Object.keys(resourcesOf(template)).length).toBeLessThan(400);
  });

  it('runs every function (API, streams, Cognito trigger, custom resource) on nodejs24.x arm64 from the bundle, traced, with source maps', () => {
    const all = ofType([...t.templates.apiAll, t.templates.alerts, t.templates.auth, t.templates.data], 'AWS::Lambda::Function');
    expect(all).toHaveLength(lambdaEntries().length);
    for (const [, fn] of all) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogGroup: expect.anything() },
        Environment: { Variables: expect.objectContaining({ NODE_OPTIONS: '--enable-source-maps', POWERTOOLS_SERVICE_NAME: 'hromada', LOG_LEVEL: 'INFO' }) },
      });
      expect(fn.Properties?.MemorySize).toBeGreaterThanOrEqual(512);
      expect(fn.Properties?.MemorySize).toBeLessThanOrEqual(1024);
    }
  });

  it('gives route functions the table name, default community and CORS origins', () => {
    for (const [name] of deployedRoutes()) {
      const routeFunction = t.stacks.api.routeFunctions[name];
      const fn = resourcesOf(t.templateOf(routeFunction))[logicalId(routeFunction)];
      expect((fn?.Properties?.Environment as { Variables: Record<string, unknown> }).Variables).toMatchObject({
        TABLE_NAME: expect.anything(),
        DEFAULT_COMMUNITY: 'ternopil',
        CORS_ORIGINS: '*',
      });
      expect(fn?.Properties?.Timeout).toBe(10);
    }
  });

  it('gives the authorizer the issuer, JWKS URL and audience to verify tokens against', () => {
    const fn = resourcesOf(t.templates.api)[logicalId(t.stacks.api.authorizerFunction)];
    expect(Object.keys((fn?.Properties?.Environment as { Variables: object }).Variables)).toEqual(
      expect.arrayContaining(['AUTH_ISSUER', 'AUTH_JWKS_URL', 'AUTH_AUDIENCE']),
    );
  });

  it('grants each route function only the table actions its `table` access implies', () => {
    for (const [name, route] of deployedRoutes()) {
      const statements = statementsOf(t.stacks.api.routeFunctions[name]);
      const actions = actionsOf(statements);
      const dynamodb = actions.filter((action) => action.startsWith('dynamodb:'));
      const kms = actions.filter((action) => action.startsWith('kms:'));
      const expected =
        route.table === 'none' ? [] : route.table === 'read' ? [...tableReadActions] : [...tableReadActions, ...tableWriteActions];
      const expectedKms = route.table === 'none' ? [] : route.table === 'read' ? [...keyReadActions] : [...keyReadActions, ...keyWriteActions];
      expect(dynamodb, name).toEqual(expected.sort());
      expect(kms, name).toEqual(expectedKms.sort());
      // Nothing else but reading the key ring, its own logs and X-Ray.
      expect(actions.filter((action) => !/^(dynamodb|kms|logs|xray):/.test(action)), name).toEqual(keyRingReadActions);
      for (const statement of statements) {
        if (statement.Resource === '*') expect([statement.Action].flat().every((action) => action.startsWith('xray:')), name).toBe(true);
      }
      if (route.table !== 'none') {
        const tableStatement = statements.find((statement) => [statement.Action].flat().includes('dynamodb:GetItem'));
        // The table and each index by name: no index/* wildcard.
        expect(JSON.stringify(tableStatement?.Resource)).not.toContain('*');
        for (const index of table.indexes) expect(JSON.stringify(tableStatement?.Resource)).toContain(`/index/${index.name}`);
      }
    }
  });

  it('lets every route and stream function read the key ring, named by SECRETS_ARN, and nothing else of Secrets Manager', () => {
    const functions = [...Object.values(t.stacks.api.routeFunctions), ...Object.values(t.stacks.alerts.consumers).map((c) => c.function)];
    for (const fn of functions) {
      const statement = statementsOf(fn).find((candidate) => [candidate.Action].flat().includes('secretsmanager:GetSecretValue'));
      expect(JSON.stringify(statement?.Resource), fn.node.path).toContain('KeyRing');
      const variables = (resourcesOf(t.templateOf(fn))[logicalId(fn)]?.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(JSON.stringify(variables.SECRETS_ARN), fn.node.path).toContain('KeyRing');
    }
    t.templates.data.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'hromada-test/key-ring',
      GenerateSecretString: Match.objectLike({ SecretStringTemplate: '{"current":"k1"}', GenerateStringKey: 'k1' }),
    });
    t.templates.data.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Retain' });
  });

  it('gives the authorizer and the fallback no data access', () => {
    for (const fn of [t.stacks.api.authorizerFunction, t.stacks.api.fallbackFunction]) {
      expect(actionsOf(statementsOf(fn)).filter((action) => !/^(logs|xray):/.test(action))).toEqual([]);
    }
  });

  it('uses its own role per function (no AWS-managed policies) with a log group that expires', () => {
    for (const [, role] of ofType(t.templates.apiAll, 'AWS::IAM::Role')) {
      const assumedBy = JSON.stringify(role.Properties?.AssumeRolePolicyDocument);
      if (assumedBy.includes('lambda.amazonaws.com')) expect(role.Properties?.ManagedPolicyArns).toBeUndefined();
    }
    for (const [, group] of ofType(t.templates.apiAll, 'AWS::Logs::LogGroup')) expect(group.Properties?.RetentionInDays).toBe(90);
  });
});

describe('ApiStack: REST API', () => {
  /** Path of every AWS::ApiGateway::Resource, rebuilt from PathPart/ParentId. */
  const resourcePaths = (): Map<string, string> => {
    const resources = resourcesOf(t.templates.api);
    const paths = new Map<string, string>();
    const pathOf = (id: string): string => {
      const known = paths.get(id);
      if (known) return known;
      const props = resources[id]?.Properties as { PathPart: string; ParentId: { Ref?: string } };
      const parent = props.ParentId.Ref ? pathOf(props.ParentId.Ref) : '';
      const path = `${parent}/${props.PathPart}`;
      paths.set(id, path);
      return path;
    };
    for (const [id] of ofType(t.templates.api, 'AWS::ApiGateway::Resource')) pathOf(id);
    return paths;
  };
  type MethodProps = { HttpMethod: string; ResourceId: { Ref?: string }; AuthorizationType: string; AuthorizerId?: unknown; Integration?: { Uri?: unknown } };
  const methods = (): (MethodProps & { path: string })[] => {
    const paths = resourcePaths();
    return ofType(t.templates.api, 'AWS::ApiGateway::Method').map(([, method]) => {
      const props = method.Properties as unknown as MethodProps;
      return { ...props, path: props.ResourceId.Ref ? (paths.get(props.ResourceId.Ref) ?? '?') : '/' };
    });
  };
  const authorizerId = (): string => ofType(t.templates.api, 'AWS::ApiGateway::Authorizer')[0]?.[0] ?? '';

  it('has a TOKEN authorizer on the Authorization header with a 300 s cache', () => {
    t.templates.api.resourceCountIs('AWS::ApiGateway::Authorizer', 1);
    t.templates.api.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'TOKEN',
      IdentitySource: 'method.request.header.Authorization',
      AuthorizerResultTtlInSeconds: 300,
      IdentityValidationExpression: Match.anyValue(),
    });
  });

  it('routes every method to its own function; the authorizer guards exactly the non-public routes', () => {
    const all = methods();
    for (const [name, route] of deployedRoutes()) {
      const method = all.find((candidate) => candidate.path === route.path && candidate.HttpMethod === route.method);
      expect(method, `${route.method} ${route.path}`).toBeDefined();
      // The function's ARN, an output of its area's nested stack.
      const area = route.handler.split('/')[0]?.replace(/[^A-Za-z0-9]/g, '');
      expect(JSON.stringify(method?.Integration?.Uri)).toMatch(new RegExp(`"Outputs\\.ApiRoutes${area}${name}Function[0-9A-F]{8}Arn"`));
      if (route.auth === 'public') {
        expect(method?.AuthorizationType, name).toBe('NONE');
        expect(method?.AuthorizerId, name).toBeUndefined();
      } else {
        expect(method?.AuthorizationType, name).toBe('CUSTOM');
        expect(method?.AuthorizerId, name).toEqual({ Ref: authorizerId() });
      }
    }
  });

  it('sends any other method on a known path, and any unknown path, to the fallback', () => {
    const all = methods();
    const fallback = logicalId(t.stacks.api.fallbackFunction);
    const routePaths = new Set(deployedRoutes().map(([, route]) => route.path));
    for (const path of [...routePaths, '/{proxy+}']) {
      const any = all.find((method) => method.path === path && method.HttpMethod === 'ANY');
      expect(any, path).toBeDefined();
      expect(any?.AuthorizationType).toBe('NONE');
      expect(JSON.stringify(any?.Integration?.Uri)).toContain(fallback);
    }
    expect(all.filter((method) => method.HttpMethod === 'ANY')).toHaveLength(routePaths.size + 1);
    // Only the fallback and the routes: nothing else.
    const kinds = new Set(all.map((method) => method.HttpMethod));
    for (const kind of kinds) expect(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'ANY']).toContain(kind);
  });

  it('leaves CORS preflight to the fallback (ANY on every route path), with no MOCK method per resource', () => {
    const all = methods();
    expect(all.filter((method) => method.HttpMethod === 'OPTIONS')).toEqual([]);
    for (const [, route] of deployedRoutes()) expect(all.some((method) => method.path === route.path && method.HttpMethod === 'ANY'), route.path).toBe(true);
  });

  it('has no /dev resource', () => {
    for (const path of resourcePaths().values()) expect(path === '/dev' || path.startsWith('/dev/'), path).toBe(false);
  });

  it('answers API Gateway errors as application/problem+json', () => {
    const responses = ofType(t.templates.api, 'AWS::ApiGateway::GatewayResponse');
    const types = responses.map(([, response]) => response.Properties?.ResponseType);
    expect(types).toEqual(
      expect.arrayContaining(['DEFAULT_4XX', 'DEFAULT_5XX', 'UNAUTHORIZED', 'ACCESS_DENIED', 'THROTTLED', 'WAF_FILTERED', 'MISSING_AUTHENTICATION_TOKEN']),
    );
    for (const [, response] of responses) {
      const props = response.Properties as { ResponseParameters: Record<string, string>; ResponseTemplates: Record<string, string>; StatusCode?: string };
      expect(props.ResponseParameters['gatewayresponse.header.Content-Type']).toBe("'application/problem+json'");
      const template = props.ResponseTemplates['application/json'] ?? '';
      // Valid JSON once API Gateway substitutes its variables.
      const body = JSON.parse(template.replace('$context.error.messageString', '"x"').replace('$context.requestId', 'r')) as Record<string, unknown>;
      expect(body.type).toMatch(/^https:\/\/hromada\.dev\/problems\//);
      if (props.StatusCode) expect(body.status).toBe(Number(props.StatusCode));
    }
    const unknownPath = responses.find(([, response]) => response.Properties?.ResponseType === 'MISSING_AUTHENTICATION_TOKEN');
    expect(unknownPath?.[1].Properties?.StatusCode).toBe('404');
  });

  it('logs access without personal data, throttles, traces and logs errors only', () => {
    const [[, stage] = []] = ofType(t.templates.api, 'AWS::ApiGateway::Stage');
    const props = stage?.Properties as {
      AccessLogSetting: { DestinationArn: unknown; Format: string };
      TracingEnabled: boolean;
      MethodSettings: Record<string, unknown>[];
    };
    expect(props.AccessLogSetting.DestinationArn).toBeDefined();
    const format = JSON.parse(props.AccessLogSetting.Format) as Record<string, string>;
    expect(format.requestId).toBe('$context.requestId');
    for (const value of Object.values(format)) expect(value).not.toMatch(/sourceIp|userAgent|identity\.|authorizer\.(sub|claims|principalId)|querystring/i);
    expect(props.TracingEnabled).toBe(true);
    expect(props.MethodSettings).toEqual([
      expect.objectContaining({
        HttpMethod: '*',
        ResourcePath: '/*',
        LoggingLevel: 'ERROR',
        DataTraceEnabled: false,
        MetricsEnabled: true,
        ThrottlingRateLimit: 500,
        ThrottlingBurstLimit: 1000,
      }),
    ]);
  });

  it('associates a WAF web ACL (per-IP rate limits, AWS managed rules) with the stage', () => {
    const [[, acl] = []] = ofType(t.templates.api, 'AWS::WAFv2::WebACL');
    const rules = (acl?.Properties as { Rules: { Name: string; Statement: Record<string, { Limit?: number; AggregateKeyType?: string; Name?: string }> }[] }).Rules;
    const byName = new Map(rules.map((rule) => [rule.Name, rule.Statement]));
    expect(byName.get('RateLimitWritesPerIp')?.RateBasedStatement).toMatchObject({ Limit: 300, AggregateKeyType: 'IP' });
    expect(byName.get('RateLimitPerIp')?.RateBasedStatement).toMatchObject({ Limit: 3000, AggregateKeyType: 'IP' });
    expect(byName.get('AWSManagedRulesCommonRuleSet')?.ManagedRuleGroupStatement).toMatchObject({ Name: 'AWSManagedRulesCommonRuleSet' });
    const stageId = ofType(t.templates.api, 'AWS::ApiGateway::Stage')[0]?.[0] ?? '';
    const [[, association] = []] = ofType(t.templates.api, 'AWS::WAFv2::WebACLAssociation');
    expect(JSON.stringify(association?.Properties?.ResourceArn)).toContain(stageId);
    expect(JSON.stringify(association?.Properties?.WebACLArn)).toContain(ofType(t.templates.api, 'AWS::WAFv2::WebACL')[0]?.[0]);
  });

  it('alarms on API 5xx and on errors and throttles of every function, to the ops topic', () => {
    const alarms = ofType(t.templates.apiAll, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties as Record<string, unknown>);
    expect(alarms.some((alarm) => alarm.MetricName === '5XXError' && alarm.Namespace === 'AWS/ApiGateway')).toBe(true);
    const functionCount = deployedRoutes().length + 2;
    // Not the authorizer's Errors: each 401 is one (its failures alarm is in hygiene.test.ts).
    expect(alarms.filter((alarm) => alarm.MetricName === 'Errors' && alarm.Namespace === 'AWS/Lambda')).toHaveLength(functionCount - 1);
    expect(alarms.filter((alarm) => alarm.MetricName === 'Throttles' && alarm.Namespace === 'AWS/Lambda')).toHaveLength(functionCount);
    for (const alarm of alarms) expect(JSON.stringify(alarm.AlarmActions)).toContain('OpsTopic');
  });
});

describe('AlertsStack', () => {
  const consumerNames = Object.keys(streamConsumers) as StreamConsumerName[];

  it('maps every stream consumer to its function with filters, bounded retries, bisect, partial batches and a DLQ', () => {
    const mappings = ofType(t.templates.alerts, 'AWS::Lambda::EventSourceMapping');
    expect(mappings).toHaveLength(consumerNames.length);
    for (const name of consumerNames) {
      const consumer = streamConsumers[name];
      const { function: fn, deadLetterQueue } = t.stacks.alerts.consumers[name];
      const mapping = mappings.find(([, candidate]) => JSON.stringify(candidate.Properties?.FunctionName) === JSON.stringify({ Ref: logicalId(fn) }));
      expect(mapping, name).toBeDefined();
      expect(mapping?.[1].Properties).toMatchObject({
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: consumer.batchSize,
        MaximumBatchingWindowInSeconds: consumer.maxBatchingWindowSeconds,
        MaximumRetryAttempts: consumer.maximumRetryAttempts,
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        FilterCriteria: { Filters: consumer.filterPatterns.map((pattern) => ({ Pattern: JSON.stringify(pattern) })) },
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [logicalId(deadLetterQueue.node.defaultChild as CfnResource), 'Arn'] } } },
      });
      expect(JSON.stringify(mapping?.[1].Properties?.EventSourceArn)).toContain('StreamArn');
    }
  });

  it('encrypts the dead-letter queues and refuses plain HTTP to them', () => {
    const queues = ofType(t.templates.alerts, 'AWS::SQS::Queue');
    expect(queues).toHaveLength(consumerNames.length);
    for (const [, queue] of queues) expect(queue.Properties?.SqsManagedSseEnabled).toBe(true);
    t.templates.alerts.resourceCountIs('AWS::SQS::QueuePolicy', consumerNames.length);
    t.templates.alerts.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('grants publish rights only for what a consumer declares in `publishes`, and sets the matching env', () => {
    const resources = resourcesOf(t.templates.alerts);
    for (const name of consumerNames) {
      const consumer = streamConsumers[name];
      const fn = t.stacks.alerts.consumers[name].function;
      const actions = actionsOf(statementsOf(fn));
      const publishes: readonly string[] = consumer.publishes;
      const env = (resources[logicalId(fn)]?.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(actions.includes('sns:Publish'), name).toBe(false);
      expect('ALERT_TOPIC_ARN' in env, name).toBe(false);
      expect(actions.includes('events:PutEvents'), name).toBe(publishes.includes('event-bus'));
      expect('EVENT_BUS_NAME' in env, name).toBe(publishes.includes('event-bus'));
      expect(env.TABLE_NAME).toBeDefined();
      const writes = actions.filter((action) => (tableWriteActions as readonly string[]).includes(action));
      expect(writes.length > 0, name).toBe(consumer.table === 'readwrite');
      expect(actions.includes('ses:SendEmail'), name).toBe(false); // the test stage configures no mail (test/infra/mail.test.ts does)
      expect(actions.filter((action) => !/^(dynamodb|kms|logs|xray|sqs|sns|events):/.test(action)), name).toEqual(keyRingReadActions);
    }
  });

  it('has an encrypted, TLS-only ops topic with the configured e-mail subscription', () => {
    const topics = ofType(t.templates.alerts, 'AWS::SNS::Topic');
    expect(topics.map(([, topic]) => topic.Properties?.TopicName)).toEqual(['hromada-test-ops']);
    for (const [, topic] of topics) expect(topic.Properties?.KmsMasterKeyId).toBeDefined();
    t.templates.alerts.resourceCountIs('AWS::SNS::TopicPolicy', 1);
    t.templates.alerts.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.org' });
    t.templates.alerts.hasResourceProperties('AWS::Events::EventBus', { Name: 'hromada-test' });
  });

  it('alarms on iterator age, dead letters, errors and throttles of every consumer (errors and throttles of every scheduled job too)', () => {
    const alarms = ofType(t.templates.alerts, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties as Record<string, unknown>);
    const count = (metric: string) => alarms.filter((alarm) => alarm.MetricName === metric).length;
    expect(count('IteratorAge')).toBe(consumerNames.length);
    expect(alarms.find((alarm) => alarm.MetricName === 'IteratorAge')).toMatchObject({ Threshold: 60_000, Statistic: 'Maximum' });
    expect(count('ApproximateNumberOfMessagesVisible')).toBe(consumerNames.length);
    expect(count('Errors')).toBe(consumerNames.length + Object.keys(schedules).length);
    expect(count('Throttles')).toBe(consumerNames.length + Object.keys(schedules).length);
    for (const alarm of alarms) expect(JSON.stringify(alarm.AlarmActions)).toContain('OpsTopic');
  });
});

describe('AuthStack', () => {
  it('has a user pool without self sign-up, with the community attribute mappable from the national provider', () => {
    t.templates.auth.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        // Required (TOTP): it applies to Cognito-password users, i.e. staff; federated citizens never meet it.
        MfaConfiguration: 'ON',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        DeletionProtection: 'ACTIVE',
        Schema: Match.arrayWith([Match.objectLike({ Name: 'community', AttributeDataType: 'String', Mutable: true })]),
      }),
    });
  });

  it('has one group per role', () => {
    const groups = ofType(t.templates.auth, 'AWS::Cognito::UserPoolGroup').map(([, group]) => group.Properties?.GroupName);
    expect(groups.sort()).toEqual([...roles].sort());
  });

  it('has an OAuth-only app client that cannot let users rewrite their attributes', () => {
    t.templates.auth.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: Match.not(Match.arrayWith(['aws.cognito.signin.user.admin'])),
      GenerateSecret: false,
    });
  });
});
