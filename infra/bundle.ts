import { existsSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildFailure, type BuildOptions, type Metafile } from 'esbuild';
import { leanRoutePlugin } from './lean-route.ts';
import type { RouteDefinition } from '#shared/http/route.ts';
import { routes, type RouteName } from '#shared/http/routes.ts';
import { schedules, type ScheduleName } from '#shared/schedules.ts';
import { streamConsumers, type StreamConsumerName } from '#shared/streams/consumers.ts';

/** Repository root (the folder that holds functions/, shared/ and infra/). */
export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** Where `cdk synth` puts the bundles: one folder per function, each with index.mjs (+ .map). */
export const defaultBundleDir = join(repoRoot, 'cdk.out', 'bundles');

export type LambdaKind = 'http' | 'stream' | 'schedule' | 'authorizer' | 'fallback' | 'cognito-trigger' | 'custom-resource';

export interface LambdaEntry {
  /** Logical function name: the route or stream-consumer key, or `authorizer` / `fallback`. */
  readonly name: string;
  readonly kind: LambdaKind;
  /** Entry file, relative to the repository root (`functions/http/petitions/sign.ts`). */
  readonly entry: string;
  readonly route?: RouteName;
  readonly consumer?: StreamConsumerName;
  readonly schedule?: ScheduleName;
  /** What the entry is for, for error messages. */
  readonly describe: string;
}

/**
 * The deployed routes: every route of the shared table. (The local runtime's `/dev/token` mint is
 * served by the local gateway itself, never from the table.)
 */
export function deployedRoutes(): [RouteName, RouteDefinition][] {
  return Object.entries(routes) as [RouteName, RouteDefinition][];
}

/**
 * Every Lambda entry of the app, derived from the shared tables: one per deployed HTTP route, one
 * per stream consumer, one per scheduled job, the REST API TOKEN authorizer and the 404/405 fallback. The benchmark uses
 * this list too (bundle size, import time).
 */
export function lambdaEntries(): LambdaEntry[] {
  const entries: LambdaEntry[] = [
    ...deployedRoutes().map(([name, route]): LambdaEntry => ({
      name,
      kind: 'http',
      entry: `functions/http/${route.handler}.ts`,
      route: name,
      describe: `route ${name}: ${route.method} ${route.path}`,
    })),
    ...(Object.entries(streamConsumers) as [StreamConsumerName, (typeof streamConsumers)[StreamConsumerName]][]).map(
      ([name, consumer]): LambdaEntry => ({
        name,
        kind: 'stream',
        entry: `functions/${consumer.handler}.ts`,
        consumer: name,
        describe: `stream consumer ${name}`,
      }),
    ),
    ...(Object.entries(schedules) as [ScheduleName, (typeof schedules)[ScheduleName]][]).map(
      ([name, job]): LambdaEntry => ({
        name,
        kind: 'schedule',
        entry: `functions/${job.handler}.ts`,
        schedule: name,
        describe: `scheduled job ${name}`,
      }),
    ),
    { name: 'authorizer', kind: 'authorizer', entry: 'functions/auth/authorizer.ts', describe: 'REST API TOKEN authorizer' },
    { name: 'fallback', kind: 'fallback', entry: 'functions/http/system/fallback.ts', describe: '404/405 fallback' },
    { name: 'preTokenGeneration', kind: 'cognito-trigger', entry: 'functions/auth/pre-token-generation.ts', describe: 'Cognito pre-token-generation trigger (V2)' },
    { name: 'communities', kind: 'custom-resource', entry: 'functions/custom-resources/communities.ts', describe: 'Custom::Communities (community files -> table)' },
  ];
  const seen = new Map<string, LambdaEntry>();
  for (const entry of entries) {
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(entry.name)) {
      throw new Error(`Lambda name "${entry.name}" (${entry.describe}) must be alphanumeric: it names a folder and a construct.`);
    }
    const other = seen.get(entry.name);
    if (other) throw new Error(`Two Lambda entries share the name "${entry.name}": ${other.describe} and ${entry.describe}.`);
    seen.set(entry.name, entry);
  }
  return entries;
}

export interface BundleOptions {
  /** Default: every entry of the app. */
  readonly entries?: readonly LambdaEntry[];
  /** Folder the entry paths are relative to. Default: the repository root. */
  readonly rootDir?: string;
  /** Output folder; emptied first. Default: cdk.out/bundles. */
  readonly outdir?: string;
}

export interface BundledFunction {
  readonly entry: LambdaEntry;
  /** Folder to hand to `lambda.Code.fromAsset` (holds index.mjs and index.mjs.map). */
  readonly dir: string;
  readonly file: string;
  /** Size of index.mjs in bytes (without the source map). */
  readonly bytes: number;
}

export interface BundleResult {
  readonly functions: Readonly<Record<string, BundledFunction>>;
  readonly metafile: Metafile;
  readonly milliseconds: number;
}

/**
 * ESM output still meets CommonJS dependencies that call `require` for Node built-ins; this banner
 * gives them one. `@aws-sdk/*` stays external: the nodejs24.x runtime ships SDK v3.
 */
const banner = "import { createRequire as __hromadaCreateRequire } from 'node:module'; const require = __hromadaCreateRequire(import.meta.url);";

/**
 * Bundles every Lambda entry with one esbuild call (multi-entry, no Docker, a few seconds), each
 * HTTP function with only its own route definition and schemas (infra/lean-route.ts).
 * Throws, naming the files, if an entry does not exist.
 */
export async function bundleFunctions(options: BundleOptions = {}): Promise<BundleResult> {
  const entries = options.entries ?? lambdaEntries();
  const rootDir = resolve(options.rootDir ?? repoRoot);
  const outdir = resolve(options.outdir ?? defaultBundleDir);

  const missing = entries.filter((entry) => !existsSync(join(rootDir, entry.entry)));
  if (missing.length > 0) {
    const list = missing.map((entry) => `  - ${entry.entry} (${entry.describe})`).join('\n');
    throw new Error(`Missing Lambda entry file${missing.length > 1 ? 's' : ''} under ${rootDir}:\n${list}\nEach must export \`handler\`.`);
  }

  rmSync(outdir, { recursive: true, force: true });
  const started = performance.now();
  const common: BuildOptions = {
    absWorkingDir: rootDir,
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    // Prefer packages' ESM builds: they tree-shake.
    mainFields: ['module', 'main'],
    banner: { js: banner },
    minify: true,
    treeShaking: true,
    sourcemap: 'linked',
    sourcesContent: false,
    charset: 'utf8',
    legalComments: 'none',
    external: ['@aws-sdk/*'],
    metafile: true,
    logLevel: 'silent',
  };
  // A route's function gets only its route definition and schemas (infra/lean-route.ts).
  const routeOfEntry = new Map(entries.flatMap((entry) => (entry.route ? [[join(rootDir, entry.entry), entry.route as string] as const] : [])));
  const builds: BuildOptions[] = [
    { ...common, entryPoints: entries.map((entry) => ({ in: join(rootDir, entry.entry), out: `${entry.name}/index` })), plugins: [leanRoutePlugin(rootDir, routeOfEntry)] },
  ];
  const results = await Promise.allSettled(builds.map((options) => build(options)));
  const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as Partial<BuildFailure>] : []));
  if (failures.length > 0) {
    const messages = failures.flatMap((failure) =>
      failure.errors?.length
        ? failure.errors.map((message) => {
            const where = message.location ? `${message.location.file}:${message.location.line}:${message.location.column}: ` : '';
            return `  - ${where}${message.text}`;
          })
        : [`  - ${String(failure)}`],
    );
    throw new Error(`esbuild failed to bundle the Lambda functions:\n${[...new Set(messages)].join('\n')}`, { cause: failures[0] });
  }
  const metafile: Metafile = { inputs: {}, outputs: {} };
  for (const result of results) {
    if (result.status !== 'fulfilled') continue;
    Object.assign(metafile.inputs, result.value.metafile?.inputs);
    Object.assign(metafile.outputs, result.value.metafile?.outputs);
  }
  const milliseconds = performance.now() - started;

  const functions: Record<string, BundledFunction> = {};
  for (const entry of entries) {
    const dir = join(outdir, entry.name);
    const file = join(dir, 'index.mjs');
    functions[entry.name] = { entry, dir, file, bytes: statSync(file).size };
  }
  return { functions, metafile, milliseconds };
}
