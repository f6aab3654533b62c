/**
 * `npm run bench`: the benchmarks of issue 7 (speed, cost and hot-key scale of the voting paths).
 * Writes bench/results/latest.md and bench/results/latest.json. See bench/README.md.
 *
 *   npm run bench                       # everything, a few minutes
 *   npm run bench -- --quick            # shorter runs, for trying changes (figures are rougher)
 *   npm run bench -- --only system      # system | bundles | tally | web | search | fanout (comma list)
 */
import { print } from './lib/env.ts';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../infra/bundle.ts';
import { measureColdStart, type ColdStartFigure } from './figures/cold-start.ts';
import { measureSystem, type SystemFigures } from './figures/system.ts';
import { measureTally, type TallyFigure } from './figures/tally.ts';
import { measureWeb, type WebFigure } from './figures/web.ts';
import { measureSearch, type SearchFigure } from './figures/search.ts';
import { measureFanOut, type FanOutFigure } from './figures/fanout.ts';
import { buildReport, renderMarkdown, summaryTable } from './lib/report.ts';

const ALL_FIGURES = 'system,bundles,tally,web,search,fanout';
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string', default: ALL_FIGURES },
  },
});
const only = new Set(values.only.split(',').map((s) => s.trim()));
const quick = values.quick;

const resultsDir = join(repoRoot, 'bench', 'results');
mkdirSync(resultsDir, { recursive: true });
// Built bundles go to a temporary folder, not into the repository (where ESLint would read them);
// a node_modules link there lets them resolve the external @aws-sdk/* from the repository's.
const workDir = mkdtempSync(join(os.tmpdir(), 'hromada-bench-'));
symlinkSync(join(repoRoot, 'node_modules'), join(workDir, 'node_modules'), 'dir');
process.on('exit', () => rmSync(workDir, { recursive: true, force: true }));

const t0 = performance.now();
const elapsed = () => `${((performance.now() - t0) / 1000).toFixed(0)}s`;
const log = (line: string) => print(`[bench ${elapsed()}] ${line}`);

function javaVersion(): string {
  const answer = spawnSync('java', ['-version'], { encoding: 'utf8' });
  return answer.error ? 'not found' : (answer.stderr || answer.stdout).split('\n')[0]!.trim();
}

const machine = {
  cpuModel: os.cpus()[0]?.model ?? 'unknown',
  cores: os.availableParallelism(),
  memoryGB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
  os: `${os.type()} ${os.release()} ${os.arch()}`,
  node: process.version,
  java: javaVersion(),
  dynamoDbLocal: '1.25.1 (in memory, -XX:TieredStopAtLevel=1)',
  loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
};
log(`${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGB} GB, Node ${machine.node}; load average ${machine.loadAverageAtStart.join(' ')}`);

let system: SystemFigures | { error: string } | undefined;
let bundles: ColdStartFigure | { error: string } | undefined;
let tally: TallyFigure | undefined;

if (only.has('system')) {
  try {
    system = await measureSystem({
      runMs: 1_500,
      rounds: quick ? 1 : 4,
      hotKeySignatures: quick ? 2_000 : 10_000,
      consultationResponses: quick ? 300 : 500,
      budgetBallots: quick ? 300 : 500,
      readMs: quick ? 1_500 : 3_000,
      log,
    });
  } catch (error) {
    system = { error: (error as Error).stack ?? String(error) };
    log(`system figures failed: ${(error as Error).message}`);
  }
}
if (only.has('bundles')) {
  try {
    bundles = await measureColdStart(repoRoot, join(workDir, 'bundles'), log, quick ? 3 : 5);
  } catch (error) {
    bundles = { error: (error as Error).message };
    log(`bundle figures failed: ${(error as Error).message}`);
  }
}
if (only.has('tally')) tally = await measureTally(repoRoot, workDir, log);
let web: WebFigure | { error: string } | undefined;
if (only.has('web')) {
  try {
    web = await measureWeb({ samples: 5, log });
  } catch (error) {
    web = { error: (error as Error).message };
    log(`web figures failed: ${(error as Error).message}`);
  }
}
let search: SearchFigure | { error: string } | undefined;
if (only.has('search')) {
  try {
    search = await measureSearch({ items: quick ? 2_000 : 10_000, clients: 32, runMs: quick ? 3_000 : 10_000, findableSamples: quick ? 3 : 5, log });
  } catch (error) {
    search = { error: (error as Error).stack ?? String(error) };
    log(`search figures failed: ${(error as Error).message}`);
  }
}

let fanout: FanOutFigure | { error: string } | undefined;
if (only.has('fanout')) {
  try {
    // The full run: 100,000 recipients prepared (sending them over local SMTP would take the run's
    // whole budget); --quick: 2,000, prepared and sent.
    fanout = await measureFanOut({ recipients: quick ? 2_000 : 100_000, send: quick, log });
  } catch (error) {
    fanout = { error: (error as Error).stack ?? String(error) };
    log(`fan-out figures failed: ${(error as Error).message}`);
  }
}

const report = buildReport({
  date: new Date().toISOString(),
  durationSeconds: Math.round((performance.now() - t0) / 1000),
  quick,
  machine: { ...machine, loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100) },
  system,
  bundles,
  tally,
  web,
  search,
  fanout,
});
// Write-then-rename, so that an interrupted run never leaves half a report.
// A partial run (`--only`) keeps its own report (`bundles-latest.md`, `search-latest.md`): it never
// overwrites the full one.
const prefix = values.only === ALL_FIGURES ? '' : `${[...only].join('-')}-`;
for (const [name, text] of [[`${prefix}latest.json`, `${JSON.stringify(report, null, 2)}\n`], [`${prefix}latest.md`, renderMarkdown(report)]] as const) {
  const file = join(resultsDir, name);
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}
log(`wrote bench/results/${prefix}latest.md and ${prefix}latest.json in ${elapsed()}`);
print(`\n${summaryTable(report)}`);
