import { App, Tags, Validations, type AppProps, type Environment } from 'aws-cdk-lib';
import { CURRENTLY_RECOMMENDED_FLAGS } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { BundledFunction } from './bundle.ts';
import { loadConfig, type Config } from './config.ts';
import { AlertsStack } from './stacks/alerts-stack.ts';
import { ApiStack } from './stacks/api-stack.ts';
import { AuthStack } from './stacks/auth-stack.ts';
import { DataStack } from './stacks/data-stack.ts';
import { searchBucketName, SearchStack } from './stacks/search-stack.ts';

/**
 * A new CDK app with the feature flags `cdk init` sets for this CDK version (cdk.json context, or
 * -c on the command line, still wins). Among them: policy minimization, CloudFormation schema
 * validation as errors, and cross-stack references through Fn::GetStackOutput (no export locks).
 */
export function newApp(props: AppProps = {}): App {
  return new App({ ...props, context: { ...CURRENTLY_RECOMMENDED_FLAGS, ...props.context } });
}

export interface HromadaStacks {
  readonly config: Config;
  readonly data: DataStack;
  readonly auth: AuthStack;
  readonly alerts: AlertsStack;
  readonly api: ApiStack;
  readonly search: SearchStack;
}

/**
 * The stacks of one stage, in deployment order: data (table, key), auth (Cognito), alerts (stream
 * consumers, SNS, EventBridge, ops topic), api (REST API, functions, WAF), search (the search-index bucket, whose policy names the indexer and search roles).
 */
export function buildStacks(app: App, bundles: Readonly<Record<string, BundledFunction>>, config: Config = loadConfig(app.node)): HromadaStacks {
  const env: Environment = { region: config.region, ...(config.account ? { account: config.account } : {}) };
  const tags = { project: 'hromada', stage: config.stage, 'managed-by': 'cdk' };
  const common = { env, tags, config, terminationProtection: config.stage === 'prod' };
  const name = (part: string) => `hromada-${config.stage}-${part}`;

  const data = new DataStack(app, 'Data', { ...common, stackName: name('data'), description: 'hromada: DynamoDB table and its key' });
  const auth = new AuthStack(app, 'Auth', { ...common, stackName: name('auth'), description: 'hromada: Cognito user pool, groups, app client' });
  const alerts = new AlertsStack(app, 'Alerts', {
    ...common,
    stackName: name('alerts'),
    description: 'hromada: stream consumers, council alerts (SNS, EventBridge), ops alarms topic',
    table: data.table,
    keyRing: data.keyRing,
    bundles,
  });
  const api = new ApiStack(app, 'Api', {
    ...common,
    stackName: name('api'),
    description: 'hromada: REST API, Lambda functions, WAF',
    table: data.table,
    keyRing: data.keyRing,
    tokenIssuer: auth.tokenIssuer,
    opsTopic: alerts.opsTopic,
    bundles,
  });
  // The search index bucket, after the functions it serves: its policy names their roles; they know its fixed name.
  const indexer = alerts.consumers.searchIndexer.function;
  const searcher = api.routeFunctions.searchCommunity;
  for (const fn of [indexer, searcher]) fn.addEnvironment('SEARCH_BUCKET', searchBucketName(config.stage));
  const search = new SearchStack(app, 'Search', {
    ...common, stackName: name('search'), description: 'hromada: search index bucket', writers: [indexer], readers: [searcher],
  });
  for (const [key, value] of Object.entries(tags)) Tags.of(app).add(key, value);
  return { config, data, auth, alerts, api, search };
}

/** cdk-nag AWS Solutions checks as a policy-validation plugin: a finding fails `cdk synth`. */
export function addSecurityChecks(app: App): AwsSolutionsChecks {
  const checks = new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true });
  Validations.of(app).addPlugins(checks);
  return checks;
}
