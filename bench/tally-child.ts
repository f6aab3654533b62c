/**
 * One tally measurement in a fresh process (figure 5), so that its peak memory is its own.
 * Bundled by bench/figures/tally.ts with esbuild and run with plain node:
 *   node tally-child.mjs '<json spec>'
 * Prints one JSON line: time per run, peak RSS (VmHWM) and the RSS before the tally.
 */
import { readFileSync } from 'node:fs';
import v8 from 'node:v8';
import type { Ballot } from '#shared/domain/budget/ballot.ts';
import { fromPabulib } from '#shared/domain/budget/from-pabulib.ts';
import { parsePabulib } from '#shared/domain/budget/pabulib.ts';
import { tally, type TallyInput, type WinnerRule } from '#shared/domain/budget/tally.ts';

export type TallySpec =
  | { source: 'pabulib'; file: string; rule: 'greedy' | 'mes-add1' }
  | { source: 'generated'; voters: number; projects: number; seed: number; rule: 'greedy' | 'mes-add1' };

export interface TallyChildResult {
  election: string;
  rule: string;
  voters: number;
  projects: number;
  /** Median of `runs` timed tallies (a single run when one takes over 200 ms). */
  ms: number;
  firstMs: number;
  runs: number;
  winners: number;
  add1Steps?: number;
  /** Process RSS before the first tally, after the input is parsed or generated. */
  rssBeforeMB: number;
  /** Peak RSS of the whole process (VmHWM on Linux), input included. */
  peakRssMB: number;
  /** Peak RSS minus the peak before the first tally: what the tally itself added (0 if below). */
  tallyRssMB: number;
  heapUsedAfterMB: number;
  /** Where the file's own rule is the one run: does the outcome equal the `selected` column? */
  reproducesSelected?: boolean;
  note?: string;
}

/** mulberry32: small, fast, seeded. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * An approval election with a realistic skew: project popularity falls off as a power law of a
 * random rank (a few favourites, a long tail), ballot lengths are geometric (most voters approve
 * 1 to 5 projects, mean about 3.5, at most 10), costs log-uniform from 20,000 to 2,000,000 in whole
 * thousands, and the budget is a quarter of the total cost.
 */
export function generateElection(voters: number, projectCount: number, seed: number): TallyInput {
  const random = rng(seed);
  const projects = Array.from({ length: projectCount }, (_, j) => ({
    id: `p${j + 1}`,
    cost: Math.round(Math.exp(Math.log(20_000) + random() * (Math.log(2_000_000) - Math.log(20_000))) / 1000) * 1000,
  }));
  const ranks = projects.map((_, j) => j + 1).sort(() => random() - 0.5);
  const weights = ranks.map((r) => 1 / r ** 0.9);
  const cumulative: number[] = [];
  weights.reduce((sum, w, j) => (cumulative[j] = sum + w), 0);
  const total = cumulative.at(-1)!;
  const pick = () => {
    const x = random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const ballots: Ballot[] = [];
  for (let v = 0; v < voters; v++) {
    let length = 1;
    while (length < 10 && random() < 0.72) length++;
    const chosen = new Set<number>();
    for (let attempt = 0; chosen.size < length && attempt < 100; attempt++) chosen.add(pick());
    ballots.push({ projects: [...chosen].map((j) => projects[j]!.id) });
  }
  const budget = Math.floor(projects.reduce((sum, p) => sum + p.cost, 0) / 4);
  return {
    ballotRules: { type: 'approval', projects: { min: 1, max: 10 } },
    projects,
    ballots,
    budget: { total: budget },
    rule: { name: 'greedy', rankBy: 'votes' },
  };
}

const MB = 1024 * 1024;

/**
 * Peak resident set of this process, bytes. Linux: VmHWM from /proc/self/status, which starts
 * afresh at exec. Not getrusage's ru_maxrss there: it survives exec, so a child spawned by a big
 * parent reports the parent's size. Elsewhere ru_maxrss is the best there is.
 */
function peakRss(): number {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) * 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}

function main() {
  const spec = JSON.parse(process.argv[2] ?? '{}') as TallySpec;
  let input: TallyInput;
  let election: string;
  let officialRule: WinnerRule | undefined;
  let selected: Set<string> | undefined;
  let note: string | undefined;
  if (spec.source === 'pabulib') {
    const parsed = parsePabulib(readFileSync(spec.file, 'utf8'));
    input = fromPabulib(parsed);
    officialRule = input.rule;
    selected = new Set(parsed.projects.filter((p) => p.selected === 1).map((p) => p.projectId));
    election = spec.file.split('/').at(-1)!.replace(/\.pb$/, '');
  } else {
    input = generateElection(spec.voters, spec.projects, spec.seed);
    election = `generated-${spec.voters / 1000}k-voters-${spec.projects}-projects`;
  }
  const rankBy = input.ballotRules.type === 'ordinal' || input.ballotRules.type === 'cumulative' ? 'score' : 'votes';
  let rule: WinnerRule;
  if (spec.rule === 'greedy') rule = { name: 'greedy', rankBy };
  else {
    rule = { name: 'equal-shares', utility: 'cost', completion: 'add1', comparison: 'none' };
    if (input.ballotRules.type === 'ordinal' || input.ballotRules.type === 'cumulative') {
      // MES counts approval ballots: read each ranked/pointed ballot as approving what it names.
      input = { ...input, ballotRules: { type: 'approval' }, ballots: input.ballots.map((b) => ({ projects: b.projects })) };
      note = `${spec.source === 'pabulib' ? 'ordinal' : ''} ballots read as approvals of every project they rank`.trim();
    }
  }
  const run: TallyInput = { ...input, rule };
  const rssBefore = process.memoryUsage.rss();
  const peakBefore = peakRss();

  const times: number[] = [];
  let result: ReturnType<typeof tally> | undefined;
  const budgetEnd = performance.now() + 1_500;
  do {
    const t0 = performance.now();
    result = tally(run);
    times.push(performance.now() - t0);
  } while (times[0]! < 200 && times.length < 7 && performance.now() < budgetEnd);
  const peak = peakRss();
  const sorted = [...times].sort((a, b) => a - b);
  const category = result.categories[0];
  const sameRule = officialRule !== undefined && JSON.stringify(officialRule) === JSON.stringify(rule);
  const out: TallyChildResult = {
    election,
    rule: spec.rule,
    voters: input.ballots.length,
    projects: input.projects.length,
    ms: sorted[Math.floor((sorted.length - 1) / 2)]!,
    firstMs: times[0]!,
    runs: times.length,
    winners: result.winners.length,
    ...(category?.explanation.kind === 'equal-shares' ? { add1Steps: category.explanation.add1Steps } : {}),
    rssBeforeMB: rssBefore / MB,
    peakRssMB: peak / MB,
    tallyRssMB: Math.max(0, peak - peakBefore) / MB,
    heapUsedAfterMB: v8.getHeapStatistics().used_heap_size / MB,
    ...(sameRule && selected ? { reproducesSelected: result.winners.length === selected.size && result.winners.every((id) => selected.has(id)) } : {}),
    ...(note ? { note } : {}),
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main();
