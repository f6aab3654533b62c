/**
 * Budget processes as Pabulib elections, both ways, pure.
 *
 * Export: META from the process (its rule, ballot limits and tie-breaking included), PROJECTS on
 * the ballot with their counts and `selected`, VOTES with the anonymous ballots (voter_id is the
 * ballot's receipt, so a voter finds their own ballot in the file).
 *
 * Import: a finished process from a `.pb` file, keeping the file's META, column order, project ids,
 * voter ids, ballot order and extra columns, so that exporting it gives back the same election.
 */
import { createHash } from 'node:crypto';
import { fromPabulib, PabulibMappingError } from '#shared/domain/budget/from-pabulib.ts';
import type { PbElection, PbLayout, PbMeta, PbProject, PbVote, PbVoteType } from '#shared/domain/budget/pabulib.ts';
import { tally, TallyInputError, type ResolvedWinnerRule } from '#shared/domain/budget/tally.ts';
import type { TieBreaker } from '#shared/domain/budget/tie-breaking.ts';
import type { BallotRules } from '#shared/domain/budget/ballot.ts';
import { resolveWinnerRule, type BudgetProcess, type Schedule } from './process.ts';
import type { BudgetProject } from './project.ts';
import type { BudgetResults, StoredBallot } from './results.ts';
import { refuse, type Decision } from '#shared/domain/outcome.ts';

/** Project ids usable in URLs and keys: Pabulib's are numbers or short codes such as `c12`. */
export const PROJECT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** The Pabulib rule name of a winner rule (`greedy-custom` for Ternopil-style per-category rules). */
export function pabulibRuleName(rule: ResolvedWinnerRule): string {
  switch (rule.name) {
    case 'greedy':
    case 'greedy-no-skip':
    case 'greedy-threshold':
      return rule.name;
    case 'fixed-winners-per-category':
      return 'greedy-custom';
    case 'equal-shares': {
      const completion = rule.completion === 'none' ? '' : `/${rule.completion}`;
      const comparison = rule.comparison === 'greedy' ? (completion ? '-comparison' : '/comparison') : '';
      return `equalshares${completion}${comparison}`;
    }
  }
}

function voteType(rules: BallotRules): PbVoteType {
  return rules.type === 'knapsack' ? 'approval' : rules.type;
}

/** `lower-cost,more-votes,list-order`; a lot as `lot(id id id)`. */
export function tieBreakingText(order: readonly TieBreaker[]): string {
  return order.map((t) => (typeof t === 'object' ? `lot(${t.lot.join(' ')})` : t)).join(',');
}

/** dd.mm.yyyy in the community's time zone, as Pabulib writes dates. */
function pabulibDate(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, day: '2-digit', month: '2-digit', year: 'numeric' }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('day')}.${get('month')}.${get('year')}`;
}

export interface ExportContext {
  readonly unit: string;
  readonly country: string;
  readonly timeZone: string;
}

function metaOf(process: BudgetProcess, projectCount: number, ballotCount: number, context: ExportContext): { meta: PbMeta; keys: string[] } {
  const rules = process.ballotRules;
  const votingOpens = new Date(process.schedule.voting);
  const lastVotingInstant = new Date(Date.parse(process.schedule.results) - 1);
  const optional: Partial<Record<'minLength' | 'maxLength' | 'maxSumCost' | 'maxPoints' | 'maxSumPoints' | 'minProjectScoreThreshold', number>> = {};
  if (rules.type === 'approval' || rules.type === 'knapsack' || rules.type === 'cumulative') {
    if (rules.projects?.min !== undefined) optional.minLength = rules.projects.min;
    if (rules.projects?.max !== undefined) optional.maxLength = rules.projects.max;
  }
  if (rules.type === 'ordinal') {
    optional.minLength = rules.minLength;
    optional.maxLength = rules.maxLength;
  }
  if (rules.type === 'choose-1') {
    optional.minLength = 1;
    optional.maxLength = 1;
  }
  if (rules.type === 'knapsack') optional.maxSumCost = rules.maxTotalCost;
  if (rules.type === 'cumulative') {
    optional.maxSumPoints = rules.maxSumPoints;
    if (rules.maxPointsPerProject !== undefined) optional.maxPoints = rules.maxPointsPerProject;
  }
  if (process.rule.name === 'greedy-threshold') optional.minProjectScoreThreshold = process.rule.minimum;
  const extra: Record<string, string> = {
    date_begin: pabulibDate(votingOpens, context.timeZone),
    date_end: pabulibDate(lastVotingInstant, context.timeZone),
    currency: process.money.currency,
    tie_breaking: tieBreakingText(process.rule.tieBreaking),
    // The exact rule and ballot as this platform counted them (JSON), for a faithful recount.
    rule_parameters: JSON.stringify(process.rule),
    ballot_rules: JSON.stringify(process.ballotRules),
    ...(process.money.categories.length > 0
      ? {
          budget_categories: process.money.categories.map((c) => `${c.id}:${c.amount}`).join(','),
          comment: '#1: The budget is split into categories (budget_categories), each counted on its own with its own money; the PROJECTS category column names the category of each project.',
        }
      : {}),
    ...(process.kind === 'school' ? { school: process.schoolId ?? '' } : {}),
  };
  const meta: PbMeta = {
    description: process.title,
    country: context.country,
    unit: context.unit,
    instance: pabulibDate(votingOpens, context.timeZone).slice(6),
    numProjects: projectCount,
    numVotes: ballotCount,
    budget: process.money.total,
    voteType: voteType(rules),
    rule: pabulibRuleName(process.rule),
    ...optional,
    extra,
  };
  const optionalKeys: [string, number | undefined][] = [
    ['min_length', optional.minLength], ['max_length', optional.maxLength], ['max_sum_cost', optional.maxSumCost],
    ['max_points', optional.maxPoints], ['max_sum_points', optional.maxSumPoints], ['min_project_score_threshold', optional.minProjectScoreThreshold],
  ];
  const keys = [
    'description', 'country', 'unit', 'instance', 'num_projects', 'num_votes', 'budget', 'vote_type', 'rule', 'date_begin', 'date_end',
    ...optionalKeys.filter(([, value]) => value !== undefined).map(([key]) => key),
    ...Object.keys(extra).filter((k) => k !== 'date_begin' && k !== 'date_end'),
  ];
  return { meta, keys };
}

/**
 * The process as a Pabulib election. `projects` and `ballots` are everything stored; `results`
 * are the published ones, or the count of the stored ballots (the export is offered only once
 * voting has closed).
 */
export function budgetAsPabulib(
  process: BudgetProcess,
  projects: readonly BudgetProject[],
  ballots: readonly StoredBallot[],
  results: BudgetResults,
  context: ExportContext,
): PbElection {
  const counts = new Map(results.projects.map((p) => [p.projectId, p]));
  const onBallot = projects.filter((p) => counts.has(p.id)).sort((a, b) => a.ord - b.ord);
  const sortedBallots = [...ballots].sort((a, b) => (a.ord ?? 0) - (b.ord ?? 0) || (a.receipt < b.receipt ? -1 : a.receipt > b.receipt ? 1 : 0));
  const origin = process.origin;
  const pointsInFile = origin ? origin.layout.voteColumns.includes('points') : process.ballotRules.type === 'cumulative';
  const scoreColumn = origin ? origin.layout.projectColumns.includes('score') : process.ballotRules.type === 'ordinal' || process.ballotRules.type === 'cumulative';
  const votesColumn = origin ? origin.layout.projectColumns.includes('votes') : true;

  const pbProjects = onBallot.map((p): PbProject => {
    const count = counts.get(p.id)!;
    return {
      projectId: p.id,
      cost: count.cost,
      ...(votesColumn ? { votes: count.votes } : {}),
      ...(scoreColumn ? { score: count.score } : {}),
      selected: count.selected ? 1 : 0,
      extra: origin ? { ...(p.pabulibColumns ?? {}) } : { name: p.title, ...(p.category !== null ? { category: p.category } : {}) },
    };
  });
  const votes = sortedBallots.map((b): PbVote => ({
    voterId: b.receipt,
    vote: [...b.projects],
    ...(pointsInFile && b.points ? { points: [...b.points] } : {}),
    extra: origin ? { ...(b.columns ?? {}) } : { voting_method: b.method === 'paper' ? 'paper' : 'internet' },
  }));

  if (origin) {
    return {
      meta: { ...origin.meta, numProjects: pbProjects.length, numVotes: votes.length },
      projects: pbProjects,
      votes,
      layout: origin.layout,
    };
  }
  const { meta, keys } = metaOf(process, pbProjects.length, votes.length, context);
  const layout: PbLayout = {
    metaKeys: keys,
    projectColumns: ['project_id', 'cost', 'votes', ...(scoreColumn ? ['score'] : []), 'name', ...(process.money.categories.length > 0 ? ['category'] : []), 'selected'],
    voteColumns: ['voter_id', 'vote', ...(pointsInFile ? ['points'] : []), 'voting_method'],
  };
  return { meta, projects: pbProjects, votes, layout };
}

/** dd.mm.yyyy (Pabulib) or yyyy-mm-dd as a UTC midnight; null when it is neither. */
export function parsePabulibDate(text: string | undefined): Date | null {
  if (!text) return null;
  let match = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text.trim());
  if (match) return validDate(Number(match[3]), Number(match[2]), Number(match[1]));
  match = /^(\d{4})-(\d{2})-(\d{2})/.exec(text.trim());
  if (match) return validDate(Number(match[1]), Number(match[2]), Number(match[3]));
  return null;
}

function validDate(year: number, month: number, day: number): Date | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date : null;
}

export interface ImportedBudget {
  readonly process: BudgetProcess;
  readonly projects: readonly BudgetProject[];
  readonly ballots: readonly StoredBallot[];
  /** The count of the file's votes under its rule, and whether it funds what the file says was funded. */
  readonly recount: { readonly winners: readonly string[]; readonly selectedInFile: readonly string[] | null; readonly matchesFile: boolean | null };
}

/** sha256 of the file, hex: names the import (the same file imported twice is the same process). */
export const fileSha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * A UUID (version 8, RFC 9562) derived from a name, so that importing the same file into the same
 * community again finds the same process instead of making a second one.
 */
export function uuidFromName(name: string): string {
  const bytes = createHash('sha256').update(`hromada:budget-import:${name}`, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// eslint-disable-next-line no-control-regex -- the point is to refuse control characters
const VOTER_ID_PATTERN = /^[^#\u0000-\u001f\u007f]{1,256}$/;

/** A finished budget process from a parsed `.pb` file, or why the platform cannot hold it. */
export function importedBudget(
  election: PbElection,
  options: { id: string; community: string; createdBy: string; fileSha256: string; now: Date },
): Decision<ImportedBudget> {
  const badProject = election.projects.find((p) => !PROJECT_ID_PATTERN.test(p.projectId));
  if (badProject) return refuse('invalid', 'unsupported-project-id', `Project id "${badProject.projectId}" is not 1-64 letters, digits, ".", "-" or "_".`);
  const badVoter = election.votes.find((v) => !VOTER_ID_PATTERN.test(v.voterId));
  if (badVoter) return refuse('invalid', 'unsupported-voter-id', `Voter id "${badVoter.voterId.slice(0, 40)}" is longer than 256 characters or holds "#" or control characters.`);

  let recountWinners: readonly string[];
  let ballotRules: BallotRules;
  let rule: ResolvedWinnerRule;
  try {
    const input = fromPabulib(election);
    ballotRules = input.ballotRules;
    rule = resolveWinnerRule(input.rule);
    recountWinners = tally(input).winners;
  } catch (error) {
    if (error instanceof PabulibMappingError || error instanceof TallyInputError) return refuse('invalid', 'unsupported-election', `The election cannot be counted here: ${error.message}.`);
    throw error;
  }

  const { meta } = election;
  const now = options.now.toISOString();
  const begins = parsePabulibDate(meta.extra.date_begin) ?? options.now;
  const ends = parsePabulibDate(meta.extra.date_end);
  const closes = ends ? new Date(ends.getTime() + 86_400_000) : new Date(Math.max(begins.getTime() + 1, options.now.getTime()));
  const at = (d: Date) => d.toISOString();
  const schedule: Schedule = {
    submission: at(begins), preSupport: null, review: at(begins), voting: at(begins), results: at(closes), implementation: at(closes), paperCountEnds: null,
  };
  const process: BudgetProcess = {
    id: options.id,
    community: options.community,
    kind: 'public',
    schoolId: null,
    title: meta.description,
    description: `${meta.unit}, ${meta.country}, ${meta.instance} (imported from Pabulib)`,
    money: { currency: meta.extra.currency ?? '', total: meta.budget, categories: [] },
    schedule,
    eligibility: { method: 'account', minAge: 0 },
    preSupport: { required: 0 },
    ballotRules,
    rule,
    createdAt: now,
    createdBy: options.createdBy,
    origin: { format: 'pabulib', fileSha256: options.fileSha256, meta, layout: election.layout, importedAt: now, complete: false },
    countingStartedAt: null,
    resultsPublishedAt: null,
    projectCount: election.projects.length,
    markerKeyId: null,
    students: null,
    codesIssued: 0,
  };
  const projects = election.projects.map((p, i): BudgetProject => ({
    budgetId: options.id,
    id: p.projectId,
    ord: i + 1,
    community: options.community,
    authorSub: null,
    title: p.extra.name || p.projectId,
    description: '',
    cost: p.cost,
    category: null,
    submittedAt: now,
    supportCount: 0,
    review: { feasible: true, reason: 'On the ballot of the imported election.', finalCost: p.cost, reviewedAt: now },
    implementation: null,
    pabulibColumns: { ...p.extra },
  }));
  const ballots = election.votes.map((v, i): StoredBallot => ({
    receipt: v.voterId,
    projects: [...v.vote],
    ...(v.points ? { points: [...v.points] } : {}),
    method: v.extra.voting_method === 'paper' ? 'paper' : 'internet',
    ord: i + 1,
    columns: { ...v.extra },
  }));
  const hasSelected = election.layout.projectColumns.includes('selected');
  const selectedInFile = hasSelected ? election.projects.filter((p) => p.selected === 1).map((p) => p.projectId) : null;
  const matchesFile = selectedInFile ? [...selectedInFile].sort().join(',') === [...recountWinners].sort().join(',') : null;
  return { ok: true, value: { process, projects, ballots, recount: { winners: recountWinners, selectedInFile, matchesFile } } };
}
