import { CfnOutput, Duration, RemovalPolicy, Size, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { RouteDefinition } from '#shared/http/route.ts';
import type { RouteName } from '#shared/http/routes.ts';
import { deployedRoutes, type BundledFunction } from '../bundle.ts';
import type { Config } from '../config.ts';
import { AUTHORIZER_FAILURE_EVENT } from '#shared/auth/verify-token.ts';
import { functionAlarms, opsAlarm } from '../constructs/alarms.ts';
import { HromadaFunction } from '../constructs/hromada-function.ts';
import { addProblemResponses } from '../constructs/problem-responses.ts';
import { ApiWebAcl } from '../constructs/web-acl.ts';
import type { TokenIssuer } from './auth-stack.ts';
import { areaOf, RouteFunctions } from './route-functions.ts';

export interface ApiStackProps extends StackProps {
  readonly config: Config;
  readonly table: dynamodb.TableV2;
  readonly keyRing: secretsmanager.ISecret;
  readonly tokenIssuer: TokenIssuer;
  readonly opsTopic: sns.ITopic;
  readonly bundles: Readonly<Record<string, BundledFunction>>;
}

/**
 * Checks what API Gateway would only reject at deploy time: a method+path twice, or two different
 * parameter names at one position (`/petitions/{id}` next to `/petitions/{petitionId}`).
 */
export function checkRoutePaths(entries: readonly (readonly [string, RouteDefinition])[]): void {
  const seen = new Map<string, string>();
  const parameterAt = new Map<string, { part: string; route: string }>();
  for (const [name, route] of entries) {
    if (!route.path.startsWith('/')) throw new Error(`Route ${name}: path "${route.path}" must start with /`);
    const key = `${route.method} ${route.path}`;
    const other = seen.get(key);
    if (other) throw new Error(`Routes ${other} and ${name} both define ${key}`);
    seen.set(key, name);
    const parts = route.path.split('/').filter((part) => part !== '');
    parts.forEach((part, index) => {
      if (!part.startsWith('{')) return;
      const parent = `/${parts.slice(0, index).join('/')}`;
      const existing = parameterAt.get(parent);
      if (existing && existing.part !== part) {
        throw new Error(
          `Routes ${existing.route} and ${name} use different path parameters under ${parent}: ${existing.part} and ${part}. ` +
            'API Gateway allows one parameter name per position.',
        );
      }
      parameterAt.set(parent, { part, route: name });
    });
  }
}

/**
 * Access log line: who-what-how-long, without personal data. No source IP, no user agent, no user
 * id (`sub` is a pseudonymous identifier of a citizen), no query string. The IP stays in WAF (which
 * rate-limits by it) and is not logged; abuse is handled by the WAF rules and throttling, and WAF
 * logging can be switched on for an incident. `path` holds public ids only (petitions, projects).
 */
const accessLogFormat = apigw.AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    time: '$context.requestTimeEpoch',
    method: '$context.httpMethod',
    resource: '$context.resourcePath',
    path: '$context.path',
    status: '$context.status',
    responseBytes: '$context.responseLength',
    latencyMs: '$context.responseLatency',
    integrationStatus: '$context.integration.status',
    integrationLatencyMs: '$context.integration.latency',
    authorizerStatus: '$context.authorizer.status',
    authorizerLatencyMs: '$context.authorizer.latency',
    waf: '$context.wafResponseCode',
    errorType: '$context.error.responseType',
    xrayTraceId: '$context.xrayTraceId',
  }),
);

/**
 * The REST API (payload v1, so WAF attaches to the stage directly): one Lambda per route of
 * shared/http/routes.ts, the TOKEN authorizer on every non-public route, a fallback for unknown
 * paths (404) and wrong methods (405), problem+json gateway responses, CORS preflight, access logs,
 * throttling, tracing, WAF and alarms.
 *
 * Request validation (path, query and body, with their size limits) happens in the handlers with
 * the zod schemas of the route table, so API Gateway has no models to keep in sync.
 */
export class ApiStack extends Stack {
  readonly api: apigw.RestApi;
  readonly routeFunctions: Readonly<Record<RouteName, lambda.Function>>;
  readonly routeStacks: readonly RouteFunctions[];
  readonly authorizerFunction: lambda.Function;
  readonly fallbackFunction: lambda.Function;
  readonly webAcl: ApiWebAcl;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { config, table, opsTopic } = props;
    const prefix = `hromada-${config.stage}`;
    const routes = deployedRoutes();
    checkRoutePaths(routes);

    const bundle = (name: string): BundledFunction => {
      const found = props.bundles[name];
      if (!found) throw new Error(`No bundle for Lambda function ${name}`);
      return found;
    };
    const httpEnvironment = {
      TABLE_NAME: table.tableName,
      DEFAULT_COMMUNITY: config.defaultCommunity,
      CORS_ORIGINS: config.corsOrigins.join(','),
    };

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: config.logRetentionDays as logs.RetentionDays,
      removalPolicy: config.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    this.api = new apigw.RestApi(this, 'Api', {
      restApiName: prefix,
      description: 'Hromada e-democracy API (petitions, consultations, participatory budgets)',
      endpointTypes: [apigw.EndpointType.REGIONAL],
      // Execution logging (errors only, no payloads) needs the account-level CloudWatch role.
      cloudWatchRole: true,
      minCompressionSize: Size.kibibytes(1),
      deployOptions: {
        stageName: config.stage,
        accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
        accessLogFormat,
        tracingEnabled: true,
        metricsEnabled: true,
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        throttlingRateLimit: config.apiRateLimit,
        throttlingBurstLimit: config.apiBurstLimit,
      },
    });
    addProblemResponses(this.api, config.corsOrigins);

    // API Gateway writes execution logs (errors) to this group; made here, with a retention, before
    // the stage can write to it (else API Gateway creates it, kept forever).
    const executionLogs = new logs.LogGroup(this, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${this.api.restApiId}/${config.stage}`,
      retention: config.logRetentionDays as logs.RetentionDays,
      removalPolicy: config.stage === 'prod' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.api.deploymentStage.node.addDependency(executionLogs);

    const cloudWatchRole = this.api.node.tryFindChild('CloudWatchRole');
    if (cloudWatchRole) {
      Validations.of(cloudWatchRole).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          "AmazonAPIGatewayPushToCloudWatchLogs is the AWS-managed policy made for API Gateway's account-level logging role; " +
          'it allows only CloudWatch Logs actions and is kept current by AWS.',
      });
    }
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG2',
      reason:
        'Requests are validated in each Lambda handler against the zod schemas of the shared route table (path, query, body, ' +
        'content type and size), returning RFC 9457 problems; API Gateway models would duplicate that table and drift.',
    });
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-COG4',
      reason:
        'Protected methods use a TOKEN Lambda authorizer: it verifies the JWT against the configured issuer (this Cognito pool by ' +
        "default, or the city's own OIDC issuer) and flattens roles/community/birthdate into the context the handlers need; a " +
        'Cognito user pool authorizer can trust only a Cognito pool. Public methods (open data, fallback) have no authorizer by design.',
    });

    // --- Functions -------------------------------------------------------------------------------
    const functions = new Construct(this, 'Functions');
    const authorizerFn = new HromadaFunction(functions, 'authorizer', {
      codeDir: bundle('authorizer').dir,
      description: 'REST API TOKEN authorizer: verifies the bearer JWT and passes the principal',
      config,
      environment: {
        AUTH_ISSUER: props.tokenIssuer.issuer,
        AUTH_JWKS_URL: props.tokenIssuer.jwksUrl,
        AUTH_AUDIENCE: props.tokenIssuer.audience,
      },
    });
    this.authorizerFunction = authorizerFn.function;
    const fallbackFn = new HromadaFunction(functions, 'fallback', {
      codeDir: bundle('fallback').dir,
      description: 'Unknown path (404) or wrong method (405) as problem+json',
      config,
      environment: httpEnvironment,
    });
    this.fallbackFunction = fallbackFn.function;

    const authorizer = new apigw.TokenAuthorizer(this, 'TokenAuthorizer', {
      authorizerName: `${prefix}-jwt`,
      handler: authorizerFn.function,
      identitySource: apigw.IdentitySource.header('Authorization'),
      // A malformed header is refused (401) without invoking the Lambda.
      validationRegex: '^Bearer [-\\w]+\\.[-\\w]+\\.[-\\w]+$',
      resultsCacheTtl: Duration.seconds(300),
    });

    // Route functions, one nested stack per area (functions/http/<area>/).
    const areas = new Map<string, (readonly [RouteName, RouteDefinition])[]>();
    for (const entry of routes) areas.set(areaOf(entry[1]), [...(areas.get(areaOf(entry[1])) ?? []), entry]);
    const routeFunctions: Partial<Record<RouteName, lambda.Function>> = {};
    this.routeStacks = [...areas].map(([area, areaRoutes]) => {
      const nested = new RouteFunctions(this, `Routes-${area.replace(/[^A-Za-z0-9]/g, '')}`, {
        area,
        routes: areaRoutes,
        config,
        table,
        keyRing: props.keyRing,
        opsTopic,
        bundles: props.bundles,
        environment: httpEnvironment,
      });
      Object.assign(routeFunctions, nested.functions);
      return nested;
    });

    const resourcesWithMethods = new Map<string, apigw.IResource>();
    for (const [name, route] of routes) {
      const fn = routeFunctions[name];
      if (!fn) throw new Error(`No function for route ${name}`);
      const resource = this.api.root.resourceForPath(route.path);
      resourcesWithMethods.set(resource.path, resource);
      const integration = new apigw.LambdaIntegration(fn, { allowTestInvoke: false });
      if (route.auth === 'public') {
        const method = resource.addMethod(route.method, integration, { authorizationType: apigw.AuthorizationType.NONE });
        Validations.of(method).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `Public by design in the route table (${name}: ${route.summary}); anyone may read it without signing in.`,
        });
      } else {
        resource.addMethod(route.method, integration, { authorizer, authorizationType: apigw.AuthorizationType.CUSTOM });
      }
    }
    this.routeFunctions = routeFunctions as Record<RouteName, lambda.Function>;

    // Unknown methods on known paths (405 with Allow), unknown paths (404) and CORS preflight (OPTIONS
    // on a route's path, answered from the route table and CORS_ORIGINS) reach the fallback.
    const fallback = new apigw.LambdaIntegration(fallbackFn.function, { scopePermissionToMethod: false });
    const fallbackReason =
      'Fallback for wrong methods and unknown paths: answers only 404/405 problem+json from the route table, reads no data, so it ' +
      'needs no authentication (a 401 there would hide the real error).';
    for (const resource of [...resourcesWithMethods.values(), this.api.root.addResource('{proxy+}')]) {
      const method = resource.addMethod('ANY', fallback, { authorizationType: apigw.AuthorizationType.NONE });
      Validations.of(method).acknowledge({ id: 'AwsSolutions-APIG4', reason: fallbackReason });
    }
    functionAlarms(new Construct(fallbackFn, 'Alarms'), `${prefix}-fallback`, fallbackFn.function, opsTopic);
    // The authorizer answers 401 by throwing "Unauthorized", which Lambda counts as an error: its
    // alarm watches real failures instead, the lines it logs for them and Lambda's timeouts.
    const authorizerAlarms = new Construct(authorizerFn, 'Alarms');
    functionAlarms(authorizerAlarms, `${prefix}-authorizer`, authorizerFn.function, opsTopic, { errors: false });
    const authorizerFailures = new logs.MetricFilter(authorizerAlarms, 'FailureMetricFilter', {
      logGroup: authorizerFn.logGroup,
      filterPattern: logs.FilterPattern.anyTerm(AUTHORIZER_FAILURE_EVENT, 'Task timed out'),
      metricNamespace: 'Hromada',
      metricName: `${prefix}-authorizer-failures`,
      metricValue: '1',
    });
    opsAlarm(authorizerAlarms, 'FailuresAlarm', {
      name: `${prefix}-authorizer-failures`,
      description:
        `${prefix}-authorizer: the authorizer could not verify tokens (JWKS unreachable or malformed, a bug, a timeout) in the ` +
        'last 5 minutes; signed-in requests get 500. Expired or invalid tokens (401) do not count. Look at its log group.',
      metric: authorizerFailures.metric({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      opsTopic,
    });

    // --- WAF and alarms --------------------------------------------------------------------------
    this.webAcl = new ApiWebAcl(this, 'Waf', {
      name: `${prefix}-api`,
      writeLimit: config.wafWriteRateLimit,
      limit: config.wafRateLimit,
      stageArn: this.api.deploymentStage.stageArn,
    });

    opsAlarm(this, 'Api5xxAlarm', {
      name: `${prefix}-api-5xx`,
      description:
        `${prefix}: the API answered 5 or more server errors (5xx) in 5 minutes: failing handlers, the data store unreachable ` +
        '(503), integration timeouts or an authorizer failure. Check the function alarms and the access log.',
      metric: this.api.deploymentStage.metricServerError({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: 5,
      opsTopic,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url });
  }
}
