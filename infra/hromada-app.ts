import { App, Tags, Validations, type AppProps, type Environment } from 'aws-cdk-lib';
import { CURRENTLY_RECOMMENDED_FLAGS } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { communitiesDir, loadCommunityFiles } from '#shared/data/communities.ts';
import type { WebBuild } from '../web/build.ts';
import type { BundledFunction } from './bundle.ts';
import { loadConfig, type Config } from './config.ts';
import { AlertsStack } from './stacks/alerts-stack.ts';
import { ApiStack } from './stacks/api-stack.ts';
import { AuthStack } from './stacks/auth-stack.ts';
import { DataStack } from './stacks/data-stack.ts';
import { WebStack } from './stacks/web-stack.ts';
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
 * The stacks of one stage, in deployment order: data (table, key, Custom::Communities from
 * infra/communities), alerts (stream consumers, EventBridge, ops topic), auth (Cognito, the
 * pre-token-generation trigger and its alarms on the ops topic), api (REST API, functions, WAF),
 * search (the search-index bucket, whose policy names the indexer and search roles), web (S3 +
 * CloudFront, the API on the same origin).
 */
export interface BuiltCode {
  /** The Lambda bundles, by function name (bundleFunctions). */
  readonly functions: Readonly<Record<string, BundledFunction>>;
  /** The web app's build: its CSP names the build's inline scripts by hash (buildWeb). */
  readonly web: Pick<WebBuild, 'scriptHashes'>;
}

export function buildStacks(app: App, built: BuiltCode, config: Config = loadConfig(app.node)): HromadaStacks {
  const bundles = built.functions;
  const env: Environment = { account: config.account, region: config.region };
  const tags = { project: 'hromada', stage: config.stage, 'managed-by': 'cdk' };
  const common = { env, tags, config, terminationProtection: config.production };
  const name = (part: string) => `hromada-${config.stage}-${part}`;

  const bundle = (entry: string): BundledFunction => {
    const found = bundles[entry];
    if (!found) throw new Error(`No bundle for ${entry}`);
    return found;
  };
  const communities = loadCommunityFiles(communitiesDir, config.communities);
  if (!communities.some((community) => community.id === config.defaultCommunity)) {
    throw new Error(`defaultCommunity "${config.defaultCommunity}" has no file in infra/communities (or is not in the stage's communities)`);
  }
  const unserved = Object.values(config.residency?.communities ?? {}).filter((id) => !communities.some((community) => community.id === id));
  if (unserved.length > 0) throw new Error(`residency maps onto ${[...new Set(unserved)].join(', ')}, which this stage does not serve (infra/communities)`);

  const data = new DataStack(app, 'Data', {
    ...common,
    stackName: name('data'),
    description: 'hromada: DynamoDB table and its key, the communities it serves',
    communities: { configs: communities, bundle: bundle('communities') },
  });
  const alerts = new AlertsStack(app, 'Alerts', {
    ...common,
    stackName: name('alerts'),
    description: 'hromada: stream consumers, council alerts (SNS, EventBridge), ops alarms topic',
    table: data.table,
    keyRing: data.keyRing,
    bundles,
  });
  const auth = new AuthStack(app, 'Auth', {
    ...common,
    stackName: name('auth'),
    description: 'hromada: Cognito user pool, groups, app client, pre-token-generation trigger',
    preTokenGeneration: bundle('preTokenGeneration'),
    opsTopic: alerts.opsTopic,
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
  new WebStack(app, 'Web', { ...common, stackName: name('web'), description: 'hromada: web app (S3 + CloudFront, API on the same origin)', api: api.api, scriptHashes: built.web.scriptHashes });
  // The search index bucket, after the functions it serves: its policy names their roles; they know its fixed name.
  const indexer = alerts.consumers.searchIndexer.function;
  const searcher = api.routeFunctions.searchCommunity;
  for (const fn of [indexer, searcher]) fn.addEnvironment('SEARCH_BUCKET', searchBucketName(config.stage));
  // Open-data snapshots in the same bucket (another prefix): kept by their publisher; a dataset
  // function writes a community's first one when none exists yet.
  const openDataWriters = [
    alerts.consumers.openDataPublisher.function,
    api.routeFunctions.openDataPetitions, api.routeFunctions.openDataSignaturesPerDay,
    api.routeFunctions.openDataConsultations, api.routeFunctions.openDataCatalogue,
  ];
  for (const fn of openDataWriters) fn.addEnvironment('OPEN_DATA_BUCKET', searchBucketName(config.stage));
  const search = new SearchStack(app, 'Search', {
    ...common, stackName: name('search'), description: 'hromada: search index and open-data snapshots bucket',
    writers: [indexer], readers: [searcher], openDataWriters,
  });
  for (const [key, value] of Object.entries(tags)) Tags.of(app).add(key, value);
  return { config, data, auth, alerts, api, search };
}

/** cdk-nag AWS Solutions checks as a policy-validation plugin: a finding fails `cdk synth`. */
export function addSecurityChecks(app: App): AwsSolutionsChecks {
  const checks = new AwsSolutionsChecks(app, { verbose: true });
  Validations.of(app).addPlugins(checks);
  return checks;
}
