/**
 * Figure 4: every Lambda bundle (infra/bundle.ts, the same esbuild build `cdk synth` uses), its
 * size, and the time to import it in a fresh Node process, median of 3. `@aws-sdk/*` is external
 * (the Lambda runtime ships it): the caller puts `outdir` under a folder whose node_modules links
 * to the repository's, so the bundles load the SDK from there, as they would the runtime's copy.
 */
import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { bundleFunctions } from '../../infra/bundle.ts';
import { median } from '../lib/load.ts';

const run = promisify(execFile);

export interface BundleRow {
  name: string;
  kind: string;
  bytes: number;
  importMs: number | null;
  samplesMs: number[];
  error?: string;
}

export interface ColdStartFigure {
  buildMs: number;
  bundles: BundleRow[];
  /** The floor: importing only the SDK clients the handlers use (external to every bundle). */
  sdkOnly: { importMs: number | null; samplesMs: number[]; error?: string };
  /** What the biggest HTTP bundle is made of (esbuild metafile), KB by package or folder. */
  composition: { name: string; bytes: number; parts: { what: string; kb: number }[] } | null;
}

const SAMPLES = 3;
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

/** Median time of `await import(...specifiers)` in a fresh node process, from the repository. */
async function timeImport(repoRoot: string, specifiers: string[], samples = SAMPLES): Promise<{ importMs: number | null; samplesMs: number[]; error?: string }> {
  const imports = specifiers.map((s) => `await import(${JSON.stringify(s)});`).join(' ');
  const script = `const t = performance.now(); ${imports} console.log(performance.now() - t);`;
  const samplesMs: number[] = [];
  for (let i = 0; i < samples; i++) {
    try {
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
        cwd: repoRoot, timeout: IMPORT_TIMEOUT_MS, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...lambdaLikeEnv },
      });
      samplesMs.push(Number(stdout.trim().split('\n').at(-1)));
    } catch (e) {
      return { importMs: null, samplesMs, error: (e as Error).message.split('\n').slice(0, 2).join(' ') };
    }
  }
  return { importMs: median(samplesMs), samplesMs };
}

export async function measureColdStart(repoRoot: string, outdir: string, log: (line: string) => void): Promise<ColdStartFigure> {
  const { functions, milliseconds, metafile } = await bundleFunctions({ outdir });
  const bundles: BundleRow[] = [];
  for (const fn of Object.values(functions)) {
    const timed = await timeImport(repoRoot, [pathToFileURL(fn.file).href]);
    bundles.push({ name: fn.entry.name, kind: fn.entry.kind, bytes: fn.bytes, ...timed });
  }
  // The reference every bundle is compared with: more samples, as one slow sample would mislead.
  const sdkOnly = await timeImport(repoRoot, ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'], 7);

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
  log(`bundled ${bundles.length} functions in ${milliseconds.toFixed(0)} ms; imported each ${SAMPLES} times; the SDK alone: ${sdkOnly.importMs?.toFixed(0)} ms`);
  return { buildMs: milliseconds, bundles, sdkOnly, composition };
}
