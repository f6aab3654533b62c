/**
 * Figure 5: the participatory-budget tally (shared/domain/budget) — greedy and MES with Add1 on
 * the Pabulib elections in ../shared/data/pabulib and on a generated 100,000-voter election, each
 * measured in a fresh process (bench/tally-child.ts, bundled with esbuild and run with plain node
 * so that tsx is not in the memory figure).
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import type { TallyChildResult, TallySpec } from '../tally-child.ts';

const run = promisify(execFile);

export interface TallyRow extends Partial<Omit<TallyChildResult, 'ms'>> {
  election: string;
  rule: string;
  voters: number;
  ms: number | null;
  peakMB: number | null;
  error?: string;
}

export interface TallyFigure {
  available: boolean;
  reason?: string;
  pabulibDir: string;
  rows: TallyRow[];
}

const CHILD_TIMEOUT_MS = 120_000;

export async function measureTally(repoRoot: string, workDir: string, log: (line: string) => void): Promise<TallyFigure> {
  const pabulibDir = resolve(repoRoot, '..', 'shared', 'data', 'pabulib');
  const childFile = join(workDir, 'tally-child.mjs');
  try {
    await build({
      absWorkingDir: repoRoot,
      entryPoints: [join(repoRoot, 'bench', 'tally-child.ts')],
      outfile: childFile,
      bundle: true,
      platform: 'node',
      target: 'node24',
      format: 'esm',
      logLevel: 'silent',
    });
  } catch (error) {
    return { available: false, reason: `the budget module does not build: ${(error as Error).message.split('\n')[0]}`, pabulibDir, rows: [] };
  }
  const specs: TallySpec[] = [];
  const files = existsSync(pabulibDir) ? readdirSync(pabulibDir).filter((f) => f.endsWith('.pb')).sort() : [];
  for (const file of files) {
    for (const rule of ['greedy', 'mes-add1'] as const) specs.push({ source: 'pabulib', file: join(pabulibDir, file), rule });
  }
  for (const rule of ['greedy', 'mes-add1'] as const) specs.push({ source: 'generated', voters: 100_000, projects: 100, seed: 20_260_101, rule });

  const rows: TallyRow[] = [];
  for (const spec of specs) {
    const name = spec.source === 'pabulib' ? spec.file.split('/').at(-1)!.replace(/\.pb$/, '') : 'generated-100k-voters-100-projects';
    try {
      const { stdout } = await run(process.execPath, [childFile, JSON.stringify(spec)], {
        cwd: repoRoot, timeout: CHILD_TIMEOUT_MS, maxBuffer: 1 << 20,
      });
      const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as TallyChildResult;
      rows.push({ ...result, peakMB: result.peakRssMB });
      log(`tally ${name} ${spec.rule}: ${result.ms.toFixed(1)} ms, peak RSS ${result.peakRssMB.toFixed(0)} MB`);
    } catch (error) {
      const message = (error as { killed?: boolean }).killed ? `timed out after ${CHILD_TIMEOUT_MS / 1000} s` : (error as Error).message.split('\n')[0]!;
      rows.push({ election: name, rule: spec.rule, voters: 0, ms: null, peakMB: null, error: message });
      log(`tally ${name} ${spec.rule}: failed: ${message}`);
    }
  }
  return {
    available: true,
    ...(files.length === 0 ? { reason: `no .pb files in ${pabulibDir}: only the generated election was counted` } : {}),
    pabulibDir,
    rows,
  };
}
