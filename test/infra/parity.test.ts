import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFunctions, lambdaEntries, repoRoot } from '../../infra/bundle.ts';
import { fallbackEntry, localRouteTable } from '../../local/gateway.ts';
import { defaultConsumers } from '../../local/runtime.ts';
import { defaultSchedules } from '../../local/scheduler.ts';
import { schedules } from '#shared/schedules.ts';
import { effectiveConsumerSettings, type EffectiveConsumerSettings } from '../../local/stream-poller.ts';
import { handler as signatureCounter } from '../../functions/streams/signature-counter.ts';
import * as config from '#shared/config.ts';
import { streamConsumers } from '#shared/streams/consumers.ts';
import { MissingShardIdError } from '#shared/streams/signature-counter.ts';
import { resourcesOf, scratchDir, synthTestApp, type Resources, type TestApp } from './support.ts';

/**
 * Parity: what the local runtime runs (the stream poller's effective consumer settings, the local
 * gateway's route table) is what the synthesized templates deploy. Everything on the template side
 * is read from the synthesized templates and the staged assets (each stub bundle names its entry),
 * never from the shared definitions; everything on the local side from what the local runtime uses.
 * A difference fails naming the consumer or route and the setting.
 */

type Properties = Record<string, unknown>;

let t: TestApp;
beforeAll(async () => {
  t = await synthTestApp();
});
afterAll(() => t?.cleanup());

/** The entry a deployed function runs: read from its staged asset (see writeStubEntries). */
export function deployedEntry(outdir: string, fn: Properties): string {
  const key = (fn.Code as { S3Key?: unknown } | undefined)?.S3Key;
  if (typeof key !== 'string' || !key.endsWith('.zip')) throw new Error(`function code is not a zip asset: ${JSON.stringify(fn.Code)}`);
  const source = readFileSync(join(outdir, `asset.${key.slice(0, -4)}`, 'index.mjs'), 'utf8');
  const entry = /"(functions\/[^"]+\.ts)"/.exec(source)?.[1];
  if (!entry) throw new Error(`asset ${key} names no entry`);
  return entry;
}

/** The deployed side of one stream consumer, in the poller's terms (AWS defaults applied). */
export function deployedConsumerSettings(template: Template, outdir: string, mapping: Properties): Omit<EffectiveConsumerSettings, 'name'> {
  const resources = resourcesOf(template);
  const functionId = (mapping.FunctionName as { Ref?: string }).Ref as string;
  const fn = resources[functionId]?.Properties ?? {};
  const destination = (mapping.DestinationConfig as { OnFailure?: { Destination?: { 'Fn::GetAtt'?: [string, string] } } } | undefined)?.OnFailure
    ?.Destination?.['Fn::GetAtt'];
  const filters = (mapping.FilterCriteria as { Filters?: { Pattern: string }[] } | undefined)?.Filters ?? [];
  return {
    entry: deployedEntry(outdir, fn),
    filterPatterns: filters.map((filter) => JSON.parse(filter.Pattern) as object),
    batchSize: (mapping.BatchSize as number | undefined) ?? 100,
    maxBatchingWindowSeconds: (mapping.MaximumBatchingWindowInSeconds as number | undefined) ?? 0,
    tumblingWindowSeconds: mapping.TumblingWindowInSeconds as number | undefined,
    bisectBatchOnError: (mapping.BisectBatchOnFunctionError as boolean | undefined) ?? false,
    maximumRetryAttempts: (mapping.MaximumRetryAttempts as number | undefined) ?? -1,
    maximumRecordAgeSeconds: (mapping.MaximumRecordAgeInSeconds as number | undefined) ?? -1,
    onFailure: (destination && resources[destination[0]]?.Type === 'AWS::SQS::Queue' ? 'dead-letter-queue' : 'none') as 'dead-letter-queue',
    startingPosition: mapping.StartingPosition as 'TRIM_HORIZON',
    reportBatchItemFailures: ((mapping.FunctionResponseTypes as string[] | undefined) ?? []).includes('ReportBatchItemFailures'),
    reservedConcurrency: fn.ReservedConcurrentExecutions as number | undefined,
    timeoutSeconds: (fn.Timeout as number | undefined) ?? 3,
    memoryMb: (fn.MemorySize as number | undefined) ?? 128,
  };
}

/** Names every setting where `deployed` and `local` differ (deep equality per setting). */
export function differences(deployed: Readonly<Record<string, unknown>>, local: Readonly<Record<string, unknown>>): string[] {
  const keys = new Set([...Object.keys(deployed), ...Object.keys(local)]);
  return [...keys]
    .filter((key) => JSON.stringify(deployed[key]) !== JSON.stringify(local[key]))
    .map((key) => `${key}: deployed ${JSON.stringify(deployed[key])}, local ${JSON.stringify(local[key])}`);
}

/** Compares every consumer of the template with the poller's; returns the differences, named. */
export function compareConsumers(template: Template, outdir: string, local: readonly EffectiveConsumerSettings[]): string[] {
  const mappings = Object.values(resourcesOf(template)).filter((resource) => resource.Type === 'AWS::Lambda::EventSourceMapping');
  const deployed = mappings.map((mapping) => deployedConsumerSettings(template, outdir, mapping.Properties ?? {}));
  const problems: string[] = [];
  for (const consumer of local) {
    const match = deployed.filter((candidate) => candidate.entry === consumer.entry);
    if (match.length !== 1) {
      problems.push(`${consumer.name}: ${match.length} deployed event source mappings run ${consumer.entry}`);
      continue;
    }
    const { name, ...localSettings } = consumer;
    problems.push(...differences(match[0] as Properties, localSettings).map((difference) => `${name}: ${difference}`));
  }
  for (const mapping of deployed) {
    if (!local.some((consumer) => consumer.entry === mapping.entry)) problems.push(`${mapping.entry}: deployed, but the local poller does not run it`);
  }
  return problems;
}

describe('stream consumers: the template deploys what the local poller runs', () => {
  const local = () => effectiveConsumerSettings(defaultConsumers());

  it('has one event source mapping per consumer the poller runs, with every setting equal', () => {
    expect(local().map((consumer) => consumer.name).sort()).toEqual(Object.keys(streamConsumers).sort());
    expect(compareConsumers(t.templates.alerts, t.outdir, local())).toEqual([]);
  });

  it('would have caught the missing tumbling window (and any other setting that differs)', () => {
    const real = local();
    const withoutWindow = real.map((consumer) => (consumer.name === 'signatureCounter' ? { ...consumer, tumblingWindowSeconds: undefined } : consumer));
    expect(compareConsumers(t.templates.alerts, t.outdir, withoutWindow)).toEqual([
      'signatureCounter: tumblingWindowSeconds: deployed 60, local undefined',
    ]);
    const otherBatch = real.map((consumer) => (consumer.name === 'alertNotifier' ? { ...consumer, batchSize: 11, maximumRecordAgeSeconds: -1 } : consumer));
    expect(compareConsumers(t.templates.alerts, t.outdir, otherBatch)).toEqual([
      'alertNotifier: batchSize: deployed 10, local 11',
      'alertNotifier: maximumRecordAgeSeconds: deployed 3600, local -1',
    ]);
  });

  it('deploys the tumbling window the signature counter needs for event.shardId', () => {
    const counter = local().find((consumer) => consumer.name === 'signatureCounter');
    expect(counter?.tumblingWindowSeconds).toBe(60);
  });

  it('refuses a signature batch without shardId before any write, naming the missing tumbling window', async () => {
    const record = { eventName: 'INSERT' as const, dynamodb: { Keys: { pk: { S: 'PETITION#p1' }, sk: { S: 'SIG#p1' } }, SequenceNumber: '1' } };
    await expect(signatureCounter({ Records: [record] })).rejects.toBeInstanceOf(MissingShardIdError);
    await expect(signatureCounter({ Records: [record] })).rejects.toThrow(/tumbling window \(TumblingWindowInSeconds\)/);
  });
});

// --- Scheduled jobs ----------------------------------------------------------------------------------

/** The deployed side of each scheduled job: its rule's schedule and the function the rule invokes. */
export function deployedSchedules(template: Template, outdir: string) {
  const resources = resourcesOf(template);
  return Object.entries(resources)
    .filter(([, resource]) => resource.Type === 'AWS::Events::Rule' && resource.Properties?.ScheduleExpression !== undefined)
    .flatMap(([ruleId, rule]) => ((rule.Properties?.Targets as Properties[] | undefined) ?? []).map((target) => {
      const [functionId] = (target.Arn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'];
      const fn = resources[functionId]?.Properties ?? {};
      const invokable = Object.values(resources).some((resource) => resource.Type === 'AWS::Lambda::Permission'
        && JSON.stringify(resource.Properties?.FunctionName) === JSON.stringify({ 'Fn::GetAtt': [functionId, 'Arn'] })
        && resource.Properties?.Principal === 'events.amazonaws.com'
        && JSON.stringify(resource.Properties?.SourceArn) === JSON.stringify({ 'Fn::GetAtt': [ruleId, 'Arn'] }));
      return {
        entry: deployedEntry(outdir, fn),
        expression: rule.Properties?.ScheduleExpression as string,
        enabled: (rule.Properties?.State ?? 'ENABLED') === 'ENABLED' && rule.Properties?.EventBusName === undefined && invokable,
        timeoutSeconds: (fn.Timeout as number | undefined) ?? 3,
        memoryMb: (fn.MemorySize as number | undefined) ?? 128,
        reservedConcurrency: fn.ReservedConcurrentExecutions as number | undefined,
      };
    }));
}

describe('scheduled jobs: the template deploys what the local runtime runs', () => {
  const local = () => defaultSchedules().map(({ name, entry, expression, timeoutSeconds, memoryMb, reservedConcurrency }) => ({ name, entry, expression, enabled: true, timeoutSeconds, memoryMb, reservedConcurrency }));

  it('has one enabled rule on the default bus per job, invoking its entry, with schedule, timeout, memory and concurrency equal', () => {
    expect(local().map((job) => job.name).sort()).toEqual(Object.keys(schedules).sort());
    const deployed = deployedSchedules(t.templates.alerts, t.outdir);
    const problems: string[] = [];
    for (const { name, ...job } of local()) {
      const match = deployed.filter((candidate) => candidate.entry === job.entry);
      if (match.length !== 1) problems.push(`${name}: ${match.length} deployed rules invoke ${job.entry}`);
      else problems.push(...differences(match[0]!, job).map((difference) => `${name}: ${difference}`));
    }
    for (const rule of deployed) if (!local().some((job) => job.entry === rule.entry)) problems.push(`${rule.entry}: scheduled in AWS, but not locally`);
    expect(problems).toEqual([]);
    expect(deployed.length).toBe(Object.keys(schedules).length);
  });

  it('runs petition closings every 5 minutes: the rule carries rate(5 minutes) and targets the job, retried briefly', () => {
    t.templates.alerts.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^closePetitions'), 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 300 } })],
    });
    const [job] = deployedSchedules(t.templates.alerts, t.outdir).filter((rule) => rule.entry === 'functions/schedules/close-petitions.ts');
    expect(job).toEqual({ entry: 'functions/schedules/close-petitions.ts', expression: 'rate(5 minutes)', enabled: true, timeoutSeconds: 120, memoryMb: 512, reservedConcurrency: 1 });
  });

  it('would have caught a local interval that differs', () => {
    const deployed = deployedSchedules(t.templates.alerts, t.outdir);
    const job = { ...local()[0]!, expression: 'rate(1 minute)' };
    const { name, ...settings } = job;
    expect(differences(deployed.find((rule) => rule.entry === job.entry)!, settings).map((d) => `${name}: ${d}`)).toEqual([
      'closePetitions: expression: deployed "rate(5 minutes)", local "rate(1 minute)"',
    ]);
  });
});

// --- Routes ----------------------------------------------------------------------------------------

interface DeployedRoute {
  method: string;
  path: string;
  authorizer: boolean;
  entry: string;
  timeoutSeconds: number;
  memoryMb: number;
}

/** Reads the REST API of the synthesized Api stack (and its nested function stacks). */
function deployedApi(app: TestApp) {
  const api = app.templates.api;
  const resources = resourcesOf(api);
  const nested = new Map<string, Template>(
    app.stacks.api.routeStacks.map((stack) => [app.stacks.api.getLogicalId(stack.nestedStackResource as never), app.templateOf(stack)]),
  );
  const pathOf = (ref: unknown): string => {
    const id = (ref as { Ref?: string }).Ref;
    if (id === undefined) return ''; // Fn::GetAtt RootResourceId
    const resource = resources[id]?.Properties ?? {};
    return `${pathOf(resource.ParentId)}/${String(resource.PathPart)}`;
  };
  /** The function behind an ARN expression: in this template, or an output of a nested stack. */
  const functionOf = (value: unknown): Properties => {
    const found: [string, string][] = [];
    JSON.stringify(value, (key, inner: unknown) => {
      if (key === 'Fn::GetAtt') found.push(inner as [string, string]);
      return inner;
    });
    for (const [id, attribute] of found) {
      if (attribute === 'Arn' && resources[id]?.Type === 'AWS::Lambda::Function') return resources[id].Properties ?? {};
      const child = nested.get(id);
      if (child && attribute.startsWith('Outputs.')) {
        const output = (child.toJSON().Outputs as Record<string, { Value: unknown }>)[attribute.slice('Outputs.'.length)];
        const [fnId] = (output?.Value as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'];
        return (resourcesOf(child) as Resources)[fnId]?.Properties ?? {};
      }
    }
    throw new Error(`no Lambda function in ${JSON.stringify(value)}`);
  };
  const methods = Object.values(resources)
    .filter((resource) => resource.Type === 'AWS::ApiGateway::Method')
    .map((resource) => resource.Properties ?? {});
  const authorizers = Object.entries(resources).filter(([, resource]) => resource.Type === 'AWS::ApiGateway::Authorizer');
  const routes: DeployedRoute[] = methods
    .filter((method) => method.HttpMethod !== 'OPTIONS' && method.HttpMethod !== 'ANY')
    .map((method) => {
      const fn = functionOf((method.Integration as Properties).Uri);
      const authorizerId = (method.AuthorizerId as { Ref?: string } | undefined)?.Ref;
      return {
        method: String(method.HttpMethod),
        path: pathOf(method.ResourceId),
        authorizer: method.AuthorizationType === 'CUSTOM' && authorizers.some(([id]) => id === authorizerId),
        entry: deployedEntry(app.outdir, fn),
        timeoutSeconds: (fn.Timeout as number | undefined) ?? 3,
        memoryMb: (fn.MemorySize as number | undefined) ?? 128,
      };
    });
  const fallbacks = methods
    .filter((method) => method.HttpMethod === 'ANY')
    .map((method) => ({ path: pathOf(method.ResourceId), authorizationType: method.AuthorizationType, entry: deployedEntry(app.outdir, functionOf((method.Integration as Properties).Uri)) }));
  const tokenAuthorizers = authorizers.map(([, authorizer]) => ({
    type: authorizer.Properties?.Type,
    entry: deployedEntry(app.outdir, functionOf(authorizer.Properties?.AuthorizerUri)),
  }));
  return { routes, fallbacks, tokenAuthorizers };
}

describe('routes: the API deploys what the local gateway serves', () => {
  const local = () => [...localRouteTable().values()];

  it('deploys every route the gateway serves, and no other, with method, path, authorization, entry, timeout and memory equal', () => {
    const deployed = deployedApi(t).routes;
    const served = local();
    const problems: string[] = [];
    for (const route of served) {
      const match = deployed.filter((candidate) => candidate.method === route.method && candidate.path === route.path);
      if (match.length !== 1) {
        problems.push(`${route.name}: ${match.length} deployed methods for ${route.method} ${route.path}`);
        continue;
      }
      const { name, roles: _roles, ...settings } = route;
      problems.push(...differences(match[0] as unknown as Properties, settings).map((difference) => `${name}: ${difference}`));
    }
    for (const route of deployed) {
      if (!served.some((candidate) => candidate.method === route.method && candidate.path === route.path)) {
        problems.push(`${route.method} ${route.path}: deployed, but the local gateway does not serve it`);
      }
    }
    expect(problems).toEqual([]);
    expect(served.length).toBeGreaterThan(40);
  });

  it('enforces the same roles: the entry both sides run is the handler of that route (it checks the route table roles)', () => {
    for (const route of local()) {
      const source = readFileSync(join(repoRoot, route.entry), 'utf8');
      expect(source, `${route.name} (${route.entry})`).toContain(`httpHandler('${route.name}'`);
      expect(route.authorizer, route.name).toBe(route.roles.length > 0);
    }
  });

  it('sends unknown methods and paths to the same fallback, without authorizer, and guards the rest with the TOKEN authorizer', () => {
    const { fallbacks, tokenAuthorizers, routes } = deployedApi(t);
    expect(fallbacks.length).toBeGreaterThan(1);
    for (const fallback of fallbacks) expect(fallback, fallback.path).toMatchObject({ authorizationType: 'NONE', entry: fallbackEntry });
    expect(fallbacks.some((fallback) => fallback.path === '/{proxy+}')).toBe(true);
    expect(tokenAuthorizers).toEqual([{ type: 'TOKEN', entry: 'functions/auth/authorizer.ts' }]);
    expect(routes.some((route) => route.authorizer)).toBe(true);
    expect(routes.some((route) => !route.authorizer)).toBe(true);
  });
});

// --- Environment -----------------------------------------------------------------------------------

/**
 * Environment variables code may read that the template does not set, and why. Anything else the
 * bundled code of a function reads must be in that function's Environment.
 */
const notFromTheTemplate: Readonly<Record<string, string>> = {
  AWS_REGION: 'set by the Lambda runtime',
  DYNAMODB_ENDPOINT: 'local runtime only (DynamoDB Local); unset in AWS means the regional endpoint',
  LOCAL_ALERT_SINK: 'local runtime only (alert events to a file instead of EventBridge)',
  LOCAL_SMTP_URL: 'local runtime only (e-mail to the in-process SMTP server instead of SES)',
  MAIL_FROM: 'set only when the stage configures `mail` (infra/config.ts); unset: no e-mail is sent, alerts stay undelivered',
  MAIL_CONFIGURATION_SET: 'set with MAIL_FROM, when the stage configures `mail`',
  WEB_ORIGIN: 'set only when the stage configures `webOrigin`; unset: links in e-mails are relative to none (the console path alone)',
  HROMADA_SECRETS: 'local runtime and tests only; in AWS the key ring comes from SECRETS_ARN',
  SEARCH_INDEX_DIR: 'local runtime only (the search index in a folder or in memory); in AWS the index is in SEARCH_BUCKET',
  OPEN_DATA_DIR: 'local runtime only (open-data snapshots in a folder or in memory); in AWS they are in OPEN_DATA_BUCKET',
  AUTH_JWKS_URL: 'optional: defaults to <issuer>/.well-known/jwks.json',
  AWS_LAMBDA_FUNCTION_NAME: 'set by the Lambda runtime (shared/observability.ts: EMF metrics only in Lambda)',
  POWERTOOLS_TRACE_ENABLED: 'optional: SDK clients traced with the Powertools tracer (needs its layer; shared/observability.ts)',
  POWERTOOLS_METRICS_DISABLED: 'optional: EMF metrics off in Lambda, or on in a local run (shared/observability.ts)',
};

const configModule = 'shared/config.ts';

/** The variables each setting of shared/config.ts reads, by export name. */
const variablesBySetting: ReadonlyMap<string, readonly string[]> = new Map(
  Object.entries(config).flatMap(([name, value]) => {
    const variables = (value as { variables?: unknown }).variables;
    return Array.isArray(variables) ? [[name, variables as string[]] as const] : [];
  }),
);

/** The settings of shared/config.ts that a source file (`file`, relative to the repository) imports or re-exports. */
export function settingsUsedIn(file: string, source: string): string[] {
  const names = new Set<string>();
  for (const match of source.matchAll(/(?:import|export)\s*(?:type\s*)?\{([^{}]*)\}\s*from\s*['"]([^'"]+)['"]/g)) {
    const specifier = match[2] as string;
    const target = specifier.startsWith('#shared/') ? `shared/${specifier.slice('#shared/'.length)}` : posix.join(posix.dirname(file), specifier);
    if (target !== configModule) continue;
    for (const part of (match[1] as string).split(',')) {
      const name = part.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]?.trim();
      if (name && variablesBySetting.has(name)) names.add(name);
    }
  }
  return [...names].sort();
}

/** Environment variable names a source file reads: through shared/config.ts's settings, or directly (which lint forbids in shared/ and functions/). */
function variablesReadBy(file: string, source: string): string[] {
  if (file === configModule) return []; // it reads for others: its settings are counted where they are used
  return [...settingsUsedIn(file, source).flatMap((name) => variablesBySetting.get(name) ?? []), ...environmentNamesIn(source)];
}

/** Environment variable names a source file reads: process.env.X, env.X, env['X'], const { X } = process.env. */
export function environmentNamesIn(source: string): string[] {
  const names = new Set<string>();
  for (const match of source.matchAll(/\benv(?:\.([A-Z][A-Z0-9_]+)|\[['"]([A-Z][A-Z0-9_]+)['"]\])/g)) names.add((match[1] ?? match[2]) as string);
  for (const match of source.matchAll(/\{([^{}]+)\}\s*=\s*process\.env\b/g)) {
    for (const part of (match[1] as string).split(',')) {
      const name = part.split(':')[0]?.trim();
      if (name && /^[A-Z][A-Z0-9_]+$/.test(name)) names.add(name);
    }
  }
  return [...names].sort();
}

describe('environment: every variable the bundled code reads is set by the template', () => {
  let readsByEntry: Map<string, string[]>;
  let cleanupBundles: () => void;
  beforeAll(async () => {
    const dir = scratchDir();
    const { metafile, functions } = await bundleFunctions({ outdir: join(dir, 'bundles') });
    readsByEntry = new Map();
    for (const bundled of Object.values(functions)) {
      const output = Object.entries(metafile.outputs).find(([file]) => file.endsWith(`${bundled.entry.name}/index.mjs`))?.[1];
      // Our sources: not packages, not the lean-route plugin's virtual modules (`hromada-route:<name>`,
      // the area module cut down), a per-route copy `handler.ts?route=<name>` read as handler.ts.
      const ours = Object.keys(output?.inputs ?? {})
        .filter((input) => !input.includes('node_modules') && !/^[a-z-]+:/.test(input))
        .map((input) => input.replace(/\?.*$/, ''));
      readsByEntry.set(bundled.entry.entry, [...new Set(ours.flatMap((input) => variablesReadBy(input, readFileSync(join(repoRoot, input), 'utf8'))))].sort());
    }
    cleanupBundles = () => import('node:fs').then(({ rmSync }) => rmSync(dir, { recursive: true, force: true }));
  });
  afterAll(() => cleanupBundles?.());

  it('finds the variables the code reads (the scan works)', () => {
    expect(readsByEntry.get('functions/streams/alert-notifier.ts')).toEqual(expect.arrayContaining(['EVENT_BUS_NAME', 'MAIL_FROM', 'MAIL_CONFIGURATION_SET', 'TABLE_NAME']));
    expect(readsByEntry.get('functions/auth/authorizer.ts')).toEqual(expect.arrayContaining(['AUTH_ISSUER', 'AUTH_AUDIENCE']));
    expect(readsByEntry.get('functions/auth/pre-token-generation.ts')).toEqual(['RESIDENCY']);
    expect(readsByEntry.get('functions/streams/search-indexer.ts')).toEqual(expect.arrayContaining(['SEARCH_BUCKET', 'SEARCH_INDEX_DIR', 'TABLE_NAME', 'LOG_LEVEL']));
    expect(readsByEntry.get('functions/streams/search-indexer.ts')).not.toContain('AUTH_ISSUER');
    expect(environmentNamesIn("const { A_B, CD: d } = process.env; env['E_F']; process.env.GH")).toEqual(['A_B', 'CD', 'E_F', 'GH']);
    expect(settingsUsedIn('shared/data/x.ts', "import { tableName, type Environment } from '../config.ts';\nexport { webOrigin as origin } from '#shared/config.ts';")).toEqual(['tableName', 'webOrigin']);
    expect(settingsUsedIn('infra/stacks/x.ts', "import { tableName } from '../config.ts';")).toEqual([]);
    expect(variablesBySetting.get('residencySetting')).toEqual(['RESIDENCY']);
  });

  it('sets, for every deployed function, each variable its bundled code reads', () => {
    const problems: string[] = [];
    const templates = [t.templates.data, t.templates.auth, t.templates.alerts, ...t.templates.apiAll];
    let checked = 0;
    for (const template of templates) {
      for (const [id, resource] of Object.entries(resourcesOf(template))) {
        if (resource.Type !== 'AWS::Lambda::Function') continue;
        const fn = resource.Properties ?? {};
        let entry: string;
        try {
          entry = deployedEntry(t.outdir, fn);
        } catch {
          continue; // CDK's own helper functions (none expected, but not ours to check)
        }
        checked++;
        const set = Object.keys((fn.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {});
        const reads = readsByEntry.get(entry) ?? [];
        for (const name of reads) if (!set.includes(name) && !(name in notFromTheTemplate)) problems.push(`${entry} (${id}) reads ${name}, the template does not set it`);
      }
    }
    expect(checked).toBe(lambdaEntries().length);
    expect(problems).toEqual([]);
  });
});
