/**
 * Figure 4: every Lambda bundle (infra/bundle.ts, the same esbuild build `cdk synth` uses), its
 * size, and the time to import it in a fresh Node process (wall and CPU, median of 5), alone and
 * beyond the SDK; and the parts every HTTP function is made of, for the cold-start budget. `@aws-sdk/*` is external
 * (the Lambda runtime ships it): the caller puts `outdir` under a folder whose node_modules links
 * to the repository's, so the bundles load the SDK from there, as they would the runtime's copy.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { bundleFunctions } from '../../infra/bundle.ts';
import { median } from '../lib/load.ts';

const run = promisify(execFile);

export interface BundleRow {
  name: string;
  kind: string;
  bytes: number;
  /** `await import(bundle)` in a fresh process, wall time, median of the samples. */
  importMs: number | null;
  samplesMs: number[];
  /** The same import's CPU time (user + system), median: less sensitive to a busy machine than wall time. */
  cpuMs?: number | null;
  /** What the bundle adds beyond the SDK: its import with the SDK clients already loaded in the process. */
  ownMs?: number | null;
  error?: string;
}

/** One part of a cold start, imported alone in a fresh process (the parts every HTTP function has). */
export interface ColdStartPart {
  what: string;
  importMs: number | null;
  cpuMs: number | null;
}

export interface ColdStartFigure {
  buildMs: number;
  bundles: BundleRow[];
  /** The floor: importing only the SDK clients the handlers use (external to every bundle). */
  sdkOnly: { importMs: number | null; samplesMs: number[]; cpuMs: number | null; error?: string };
  /** The shared parts of an HTTP function's cold start, each imported alone (see PART_SOURCES). */
  parts: ColdStartPart[];
  /** What the biggest HTTP bundle is made of (esbuild metafile), KB by package or folder. */
  composition: { name: string; bytes: number; parts: { what: string; kb: number }[] } | null;
}

const SAMPLES = 5;
const IMPORT_TIMEOUT_MS = 20_000;

/** The variables a deployed function has, so that module-scope code runs as it does in Lambda. */
const lambdaLikeEnv = {
  AWS_REGION: 'eu-central-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  TABLE_NAME: 'hromada-bench',
  AUTH_ISSUER: 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_bench',
  LOCAL_ALERT_SINK: 'stdout',
  POWERTOOLS_SERVICE_NAME: 'hromada',
  LOG_LEVEL: 'WARN',
};

interface Timed {
  importMs: number | null;
  samplesMs: number[];
  cpuMs: number | null;
  error?: string;
}

/**
 * Median time of `await import(...specifiers)` in a fresh node process, from the repository: wall
 * time and CPU time. `preload` is imported first, outside the timing (to measure what a bundle adds
 * beyond the SDK).
 */
async function timeImport(repoRoot: string, specifiers: string[], samples = SAMPLES, preload: string[] = []): Promise<Timed> {
  const imports = (list: string[]) => list.map((s) => `await import(${JSON.stringify(s)});`).join(' ');
  const script = `${imports(preload)} const c = process.cpuUsage(); const t = performance.now(); ${imports(specifiers)} const u = process.cpuUsage(c); console.log(performance.now() - t, (u.user + u.system) / 1000);`;
  const samplesMs: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < samples; i++) {
    try {
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
        cwd: repoRoot, timeout: IMPORT_TIMEOUT_MS, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...lambdaLikeEnv },
      });
      const [wall, cpuMs] = stdout.trim().split('\n').at(-1)!.split(' ').map(Number);
      samplesMs.push(wall!);
      cpu.push(cpuMs!);
    } catch (e) {
      return { importMs: null, samplesMs, cpuMs: null, error: (e as Error).message.split('\n').slice(0, 2).join(' ') };
    }
  }
  return { importMs: median(samplesMs), samplesMs, cpuMs: median(cpu) };
}

const SDK = ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'];

/**
 * The parts every HTTP function is made of, bundled alone the way infra/bundle.ts bundles (ESM,
 * minified, tree-shaken): what each costs at import, for the cold-start budget.
 */
const PART_SOURCES: Record<string, string> = {
  'zod (tree-shaken, one object schema)': "import * as z from 'zod'; export const s = z.object({ id: z.uuid(), n: z.int().min(0) }); s.parse({ id: '00000000-0000-4000-8000-000000000000', n: 1 });",
  'Powertools logger + middy (core, CORS, security headers)': [
    "import { Logger } from '@aws-lambda-powertools/logger';",
    "import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';",
    "import middy from '@middy/core';",
    "import httpCors from '@middy/http-cors';",
    "import httpSecurityHeaders from '@middy/http-security-headers';",
    "const logger = new Logger({ serviceName: 'hromada' });",
    'export const handler = middy().use(injectLambdaContext(logger)).use(httpSecurityHeaders()).use(httpCors()).handler(async () => ({}));',
  ].join('\n'),
};

async function measureParts(repoRoot: string, outdir: string): Promise<ColdStartPart[]> {
  const parts: ColdStartPart[] = [];
  const empty = join(outdir, '_parts', 'empty.mjs');
  mkdirSync(dirname(empty), { recursive: true });
  writeFileSync(empty, 'export {};\n');
  const node = await timeImport(repoRoot, [pathToFileURL(empty).href], 7);
  parts.push({ what: 'an empty module (the floor of the measurement)', importMs: node.importMs, cpuMs: node.cpuMs });
  const sdk = await timeImport(repoRoot, SDK, 7);
  parts.push({ what: 'the SDK clients (@aws-sdk/client-dynamodb + lib-dynamodb, external)', importMs: sdk.importMs, cpuMs: sdk.cpuMs });
  let i = 0;
  for (const [what, contents] of Object.entries(PART_SOURCES)) {
    const outfile = join(outdir, '_parts', `part${i++}.mjs`);
    await build({
      stdin: { contents, resolveDir: repoRoot, loader: 'ts', sourcefile: `part${i}.ts` },
      outfile, bundle: true, platform: 'node', target: 'node24', format: 'esm', mainFields: ['module', 'main'], minify: true, logLevel: 'silent',
      banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" },
    });
    const timed = await timeImport(repoRoot, [pathToFileURL(outfile).href], 7);
    parts.push({ what, importMs: timed.importMs, cpuMs: timed.cpuMs });
  }
  return parts;
}

export async function measureColdStart(repoRoot: string, outdir: string, log: (line: string) => void, samples = SAMPLES): Promise<ColdStartFigure> {
  const { functions, milliseconds, metafile } = await bundleFunctions({ outdir });
  const bundles: BundleRow[] = [];
  for (const fn of Object.values(functions)) {
    const href = pathToFileURL(fn.file).href;
    const { cpuMs, ...timed } = await timeImport(repoRoot, [href], samples);
    const own = timed.error ? null : await timeImport(repoRoot, [href], samples, SDK);
    bundles.push({ name: fn.entry.name, kind: fn.entry.kind, bytes: fn.bytes, ...timed, cpuMs, ownMs: own?.importMs ?? null });
  }
  // The reference every bundle is compared with: more samples, as one slow sample would mislead.
  const sdkOnly = await timeImport(repoRoot, SDK, 7);
  const parts = await measureParts(repoRoot, outdir);

  let composition: ColdStartFigure['composition'] = null;
  const biggest = Object.values(functions).filter((f) => f.entry.kind === 'http').sort((a, b) => b.bytes - a.bytes)[0];
  const output = biggest && Object.entries(metafile.outputs).find(([file]) => file.endsWith(`${biggest.entry.name}/index.mjs`))?.[1];
  if (biggest && output) {
    const parts = new Map<string, number>();
    for (const [file, input] of Object.entries(output.inputs)) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1];
      const what = pkg === 'zod' && file.includes('/locales/') ? 'zod (locales)' : pkg ?? file.split('/').slice(0, 2).join('/');
      parts.set(what, (parts.get(what) ?? 0) + input.bytesInOutput);
    }
    composition = {
      name: biggest.entry.name,
      bytes: biggest.bytes,
      parts: [...parts].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([what, bytes]) => ({ what, kb: Math.round(bytes / 1024) })),
    };
  }
  log(`bundled ${bundles.length} functions in ${milliseconds.toFixed(0)} ms; imported each ${samples} times (and as often beyond the SDK); the SDK alone: ${sdkOnly.importMs?.toFixed(0)} ms`);
  return { buildMs: milliseconds, bundles, sdkOnly, parts, composition };
}
