import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Stack, type App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { bundleFunctions, lambdaEntries, repoRoot, type BundledFunction, type LambdaEntry } from '../../infra/bundle.ts';
import { loadConfig } from '../../infra/config.ts';
import { buildWeb, type WebBuild } from '../../web/build.ts';
import { addSecurityChecks, buildStacks, newApp, type HromadaStacks } from '../../infra/hromada-app.ts';

/** A scratch folder in the OS temp dir, with the repo's node_modules linked so stubs can import packages. */
export function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hromada-infra-'));
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

export const trivialHandler = "export const handler = async () => ({ statusCode: 200, body: '' });\n";

/** Writes an entry file per Lambda (trivial unless `sources` says otherwise) under `dir`. */
export function writeStubEntries(dir: string, entries: readonly LambdaEntry[], sources: Readonly<Record<string, string>> = {}): void {
  for (const entry of entries) {
    const file = join(dir, entry.entry);
    mkdirSync(dirname(file), { recursive: true });
    // Each stub names its entry, so a test can tell from a deployed bundle which entry it is.
    writeFileSync(file, sources[entry.name] ?? `${trivialHandler}export const entry = ${JSON.stringify(entry.entry)};\n`);
  }
}

/**
 * Bundles trivial stand-ins for every Lambda entry of the app (never the repo's functions/), so the
 * infra tests check the infrastructure, not the handlers, and run before the handlers exist.
 */
export async function stubBundles(dir: string): Promise<Record<string, BundledFunction>> {
  const entries = lambdaEntries();
  writeStubEntries(dir, entries);
  const { functions } = await bundleFunctions({ entries, rootDir: dir, outdir: join(dir, 'bundles') });
  return { ...functions };
}

export interface TestApp {
  readonly app: App;
  readonly stacks: HromadaStacks;
  readonly templates: {
    readonly data: Template;
    readonly auth: Template;
    readonly alerts: Template;
    readonly api: Template;
    /** The API stack and its nested route-function stacks. */
    readonly apiAll: readonly Template[];
  };
  /** The template a construct is in (nested stacks have their own). */
  readonly templateOf: (construct: IConstruct) => Template;
  /** The cloud assembly folder (assets are staged there as asset.<hash>/). */
  readonly outdir: string;
  readonly cleanup: () => void;
}

export interface SynthOptions {
  readonly context?: Record<string, unknown>;
  /** Register cdk-nag as `infra/app.ts` does. */
  readonly securityChecks?: boolean;
  /**
   * CDK's built-in CloudFormation schema validation, as in `cdk synth`. It is most of the synth
   * time, so only the test that mirrors the real synth (nag.test.ts) turns it on.
   */
  readonly cloudFormationValidation?: boolean;
  /** The stage file's content (default: testStageFile). */
  readonly stageFile?: Record<string, unknown>;
}

/** The stage file of the `test` stage: only what the schema requires (its defaults apply). */
export const testStageFile = { account: '111111111111', region: 'eu-central-1', production: false };

let webBuilt: Promise<WebBuild> | undefined;
/** The web app as `cdk synth` builds it (once per test file: the stacks read only its script hashes). */
export function webBuild(): Promise<WebBuild> {
  webBuilt ??= buildWeb({ outDir: mkdtempSync(join(tmpdir(), 'hromada-infra-web-')), auth: 'cognito' });
  return webBuilt;
}

/** Builds and synthesizes the whole app once, for stage `test` (testStageFile + `context` overrides). */
export async function synthTestApp(options: SynthOptions = {}): Promise<TestApp> {
  const dir = scratchDir();
  const bundles = await stubBundles(dir);
  const app = newApp({
    outdir: join(dir, 'cdk.out'),
    context: { stage: 'test', ...options.context },
    builtinCloudFormationValidation: options.cloudFormationValidation ?? false,
  });
  const web = await webBuild();
  const stacks = buildStacks(app, { functions: bundles, web }, loadConfig(app.node, { stageFile: options.stageFile ?? testStageFile }));
  if (options.securityChecks) addSecurityChecks(app);
  app.synth();
  const cache = new Map<Stack, Template>();
  const templateOf = (construct: IConstruct): Template => {
    const stack = Stack.of(construct);
    const template = cache.get(stack) ?? Template.fromStack(stack);
    cache.set(stack, template);
    return template;
  };
  return {
    app,
    stacks,
    templates: {
      data: templateOf(stacks.data),
      auth: templateOf(stacks.auth),
      alerts: templateOf(stacks.alerts),
      api: templateOf(stacks.api),
      apiAll: [templateOf(stacks.api), ...stacks.api.routeStacks.map(templateOf)],
    },
    templateOf,
    outdir: app.outdir,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export type Resources = Record<string, { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string }>;

export const resourcesOf = (template: Template): Resources => template.toJSON().Resources as Resources;

export const ofType = (template: Template | readonly Template[], type: string): [string, Resources[string]][] =>
  [template]
    .flat()
    .flatMap((one) => Object.entries(resourcesOf(one)))
    .filter(([, resource]) => resource.Type === type);
