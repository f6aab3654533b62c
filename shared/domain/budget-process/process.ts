/**
 * A participatory budget process, pure: its money, its dated phases, who may take part, the ballot
 * it uses and the rule that selects its winners. Everything is stored with the process when it is
 * created (copied from the community's defaults where not given), so a later change of the
 * community's configuration never changes a running budget.
 *
 * The current phase follows the clock: each phase has the instant it starts, a phase lasts until
 * the next one starts, and the results phase starts the instant voting closes. No job flips it.
 */
import type { BallotRules } from '#shared/domain/budget/ballot.ts';
import { tally, TallyInputError, type BudgetLimit, type ResolvedWinnerRule, type WinnerRule } from '#shared/domain/budget/tally.ts';
import { EQUAL_SHARES_TIE_BREAKING, GREEDY_TIE_BREAKING, normalizeTieBreaking } from '#shared/domain/budget/tie-breaking.ts';
import type { PbLayout, PbMeta } from '#shared/domain/budget/pabulib.ts';
import type { BudgetRules, CommunityConfig } from '#shared/domain/community.ts';
import { refuse, type Decision } from '#shared/domain/outcome.ts';

export const budgetKinds = ['public', 'school'] as const;
export type BudgetKind = (typeof budgetKinds)[number];

/** The phases, in order. `upcoming` is before submission opens. */
export const phases = ['upcoming', 'submission', 'pre-support', 'review', 'voting', 'results', 'implementation'] as const;
export type Phase = (typeof phases)[number];

/**
 * When each phase starts (ISO 8601, stored in UTC). Non-decreasing; a phase whose start equals the
 * next one's is skipped. `preSupport` null: no separate pre-support phase (support, if required,
 * is collected during submission). `results` is the instant voting closes.
 */
export interface Schedule {
  readonly submission: string;
  readonly preSupport: string | null;
  readonly review: string;
  readonly voting: string;
  readonly results: string;
  readonly implementation: string;
  /**
   * The paper-count window: paper ballots cast at the services centre during voting may still be
   * entered after voting closes, until this instant (between `results` and `implementation`); the
   * results are published only after it. Null: paper ballots are entered during voting only.
   */
  readonly paperCountEnds: string | null;
}

export interface BudgetCategory {
  /** Short id used on projects and in ballot rules (Ternopil: `large`, `small`). */
  readonly id: string;
  readonly name: string;
  /** Money of the category, whole currency units. */
  readonly amount: number;
}

/** The money, in whole currency units. With categories, each has its own amount and they sum to the total. */
export interface Money {
  readonly currency: string;
  readonly total: number;
  readonly categories: readonly BudgetCategory[];
}

/**
 * Who may vote (and submit and pre-support). Always from verified claims, never from a request body.
 * - `account`: a signed-in resident of the process's community of at least `minAge` years;
 * - `school-code`: whoever holds an unused one-time code issued for this very process (students
 *   have no accounts); projects are entered by the school's administrator.
 */
export type VoterEligibility =
  | { readonly method: 'account'; readonly minAge: number }
  | { readonly method: 'school-code' };

/** Where an imported process came from: what is needed to write the same `.pb` file back. */
export interface PabulibOrigin {
  readonly format: 'pabulib';
  readonly fileSha256: string;
  readonly meta: PbMeta;
  readonly layout: PbLayout;
  readonly importedAt: string;
  /** False while the projects and ballots are being written; nothing is counted before it is true. */
  readonly complete: boolean;
  /** While incomplete: how many 25-item batches (in the file's order) are known to be written. */
  readonly importedChunks?: number;
}

export interface BudgetProcess {
  readonly id: string;
  readonly community: string;
  readonly kind: BudgetKind;
  /** The school whose students vote (school budgets only). */
  readonly schoolId: string | null;
  readonly title: string;
  readonly description: string | null;
  readonly money: Money;
  readonly schedule: Schedule;
  readonly eligibility: VoterEligibility;
  /** Supporters a project needs before review; 0 for none. */
  readonly preSupport: { readonly required: number };
  readonly ballotRules: BallotRules;
  /** The winner rule with its tie-breaking order spelled out. */
  readonly rule: ResolvedWinnerRule;
  readonly createdAt: string;
  /** The council member who created it; never shown publicly (the audit trail has it). */
  readonly createdBy: string;
  /** Set for a process imported from a Pabulib file; null for one run on the platform. */
  readonly origin: PabulibOrigin | null;
  /** Set once the council has started publishing the results: no paper ballot is accepted after it. */
  readonly countingStartedAt: string | null;
  readonly resultsPublishedAt: string | null;
  /** Number of projects submitted so far; the next project's id is this plus one. */
  readonly projectCount: number;
  /**
   * The id of the key (of the deployment's key ring) that keys this process's voter markers, fixed
   * at creation, so a rotation of the ring never changes a running process's markers. Null for an
   * imported process (it has no markers).
   */
  readonly markerKeyId: string | null;
  /** School budgets: the registered number of students, the most codes that can be issued (the council may raise it). */
  readonly students: number | null;
  /** School budgets: codes issued so far (at most `students`). */
  readonly codesIssued: number;
}

/** Defaults where the community configures no budget rules. */
export const defaultBudgetRules: BudgetRules = { minVoterAge: 16, preSupporters: 0, country: '' };
export const budgetRulesOf = (community: CommunityConfig): BudgetRules => community.budget ?? defaultBudgetRules;

/**
 * A ballot accepted just before voting closes may still be in flight for up to the function
 * timeout (29 s at most, API Gateway's limit). Results are published only after this.
 */
export const BALLOTS_SETTLE_MS = 60_000;

const PHASE_STARTS: readonly [Exclude<Phase, 'upcoming'>, keyof Schedule][] = [
  ['submission', 'submission'],
  ['pre-support', 'preSupport'],
  ['review', 'review'],
  ['voting', 'voting'],
  ['results', 'results'],
  ['implementation', 'implementation'],
];

/** The phase at `now`: the last one that has started. */
export function phaseOf(process: Pick<BudgetProcess, 'schedule'>, now: Date): Phase {
  let current: Phase = 'upcoming';
  for (const [phase, key] of PHASE_STARTS) {
    const start = process.schedule[key];
    if (start !== null && Date.parse(start) <= now.getTime()) current = phase;
  }
  return current;
}

/** When `phase` ends (the start of the next phase that is not skipped), or null for the last one. */
export function phaseEnds(process: Pick<BudgetProcess, 'schedule'>, phase: Phase): string | null {
  if (phase === 'upcoming') return process.schedule.submission;
  const index = PHASE_STARTS.findIndex(([p]) => p === phase);
  const ownStart = process.schedule[PHASE_STARTS[index]![1]];
  for (const [, key] of PHASE_STARTS.slice(index + 1)) {
    const start = process.schedule[key];
    if (start !== null && start !== ownStart) return start;
  }
  return null;
}

/**
 * Whether the public may see the results and the ballots: once the council has published them (an
 * imported election's are public once imported). Before, a preliminary count is the council's only.
 */
export const resultsArePublic = (budget: Pick<BudgetProcess, 'resultsPublishedAt' | 'origin'>) => budget.resultsPublishedAt !== null || budget.origin !== null;

export const votingHasClosed = (process: Pick<BudgetProcess, 'schedule'>, now: Date) => now.getTime() >= Date.parse(process.schedule.results);

/** When the last paper ballot may be entered: the end of the paper-count window, or the close of voting. */
export const paperEntryEnds = (process: Pick<BudgetProcess, 'schedule'>): string => process.schedule.paperCountEnds ?? process.schedule.results;

/**
 * Voting closed (and the paper-count window ended) long enough ago that no accepted ballot can
 * still land: what publication waits for.
 */
export const ballotsHaveSettled = (process: Pick<BudgetProcess, 'schedule' | 'origin'>, now: Date) =>
  process.origin ? process.origin.complete : now.getTime() >= Date.parse(paperEntryEnds(process)) + BALLOTS_SETTLE_MS;

/** The budget as the tally sees it: a total, or one amount per category. */
export function budgetLimitOf(money: Money): BudgetLimit {
  return money.categories.length === 0
    ? { total: money.total }
    : { perCategory: money.categories.map((c) => ({ category: c.id, amount: c.amount })) };
}

/** The money a project of `category` may cost at most. */
export function moneyFor(money: Money, category: string | null): number {
  return money.categories.find((c) => c.id === category)?.amount ?? money.total;
}

/** The rule with its tie-breaking spelled out (the tally domain's defaults when none is given). */
export function resolveWinnerRule(rule: WinnerRule): ResolvedWinnerRule {
  const defaults = rule.name === 'equal-shares' ? EQUAL_SHARES_TIE_BREAKING : GREEDY_TIE_BREAKING;
  return { ...rule, tieBreaking: normalizeTieBreaking(rule.tieBreaking ?? defaults) };
}

export interface NewBudgetInput {
  readonly id: string;
  readonly community: CommunityConfig;
  readonly createdBy: string;
  readonly kind: BudgetKind;
  readonly schoolId?: string | undefined;
  readonly title: string;
  readonly description?: string | undefined;
  readonly money: { readonly currency?: string | undefined; readonly total: number; readonly categories?: readonly BudgetCategory[] | undefined };
  readonly schedule: {
    readonly submission: string;
    readonly preSupport?: string | null | undefined;
    readonly review: string;
    readonly voting: string;
    readonly results: string;
    readonly implementation: string;
    readonly paperCountEnds?: string | null | undefined;
  };
  /** School budgets: the registered number of students (the most codes that can be issued). */
  readonly students?: number | undefined;
  /** The current key id of the deployment's key ring: it keys this process's voter markers for its whole life. */
  readonly markerKeyId: string;
  readonly eligibility?: { readonly minAge?: number | undefined } | undefined;
  readonly preSupport?: { readonly required: number } | undefined;
  readonly ballotRules: BallotRules;
  readonly rule: WinnerRule;
}

const toUtc = (iso: string) => new Date(Date.parse(iso)).toISOString();

/** The first rule a schedule breaks, if any. */
export function checkSchedule(schedule: Schedule): { code: string; message: string } | undefined {
  const ordered = PHASE_STARTS.filter(([, key]) => schedule[key] !== null).map(([phase, key]) => ({ phase, at: Date.parse(schedule[key]!) }));
  for (let i = 1; i < ordered.length; i++) {
    if (ordered[i]!.at < ordered[i - 1]!.at) {
      return { code: 'schedule-out-of-order', message: `The ${ordered[i]!.phase} phase cannot start before the ${ordered[i - 1]!.phase} phase.` };
    }
  }
  if (Date.parse(schedule.results) <= Date.parse(schedule.voting)) {
    return { code: 'voting-without-time', message: 'Voting must close (results) after it opens.' };
  }
  if (schedule.paperCountEnds !== null) {
    const ends = Date.parse(schedule.paperCountEnds);
    if (ends <= Date.parse(schedule.results) || ends > Date.parse(schedule.implementation)) {
      return { code: 'paper-count-out-of-order', message: 'The paper-count window ends after voting closes (results) and no later than implementation starts.' };
    }
  }
  const afterSubmission = schedule.preSupport ?? schedule.review;
  if (Date.parse(afterSubmission) <= Date.parse(schedule.submission)) {
    return { code: 'submission-without-time', message: 'Submission must last some time before the next phase starts.' };
  }
  return undefined;
}

/** The first rule the ballot rules break against the money, if any (the shapes are checked by the schema). */
function checkBallotRules(rules: BallotRules, money: Money): { code: string; message: string } | undefined {
  const categoryIds = new Set(money.categories.map((c) => c.id));
  const limits = 'projects' in rules ? rules.projects : undefined;
  if (limits?.min !== undefined && limits.max !== undefined && limits.min > limits.max) {
    return { code: 'ballot-min-above-max', message: `The ballot asks for at least ${limits.min} but at most ${limits.max} projects.` };
  }
  switch (rules.type) {
    case 'approval':
      for (const [category, { min, max }] of Object.entries(rules.perCategory ?? {})) {
        if (!categoryIds.has(category)) return { code: 'ballot-unknown-category', message: `The ballot rules name the category "${category}", which the budget does not have.` };
        if (min !== undefined && max !== undefined && min > max) {
          return { code: 'ballot-min-above-max', message: `The ballot asks for at least ${min} but at most ${max} projects in category "${category}".` };
        }
      }
      return undefined;
    case 'knapsack':
      if (rules.maxTotalCost > money.total) {
        return { code: 'ballot-cost-limit-above-budget', message: `The ballot's cost limit ${rules.maxTotalCost} is more than the budget ${money.total}.` };
      }
      return undefined;
    case 'ordinal':
      if (rules.minLength > rules.maxLength) {
        return { code: 'ballot-min-above-max', message: `The ballot asks to rank at least ${rules.minLength} but at most ${rules.maxLength} projects.` };
      }
      if (rules.pointsByPosition && rules.pointsByPosition.length < rules.maxLength) {
        return { code: 'ballot-points-by-position-short', message: `pointsByPosition must give points to each of the ${rules.maxLength} positions.` };
      }
      return undefined;
    case 'cumulative':
      if (rules.maxPointsPerProject !== undefined && rules.maxPointsPerProject > rules.maxSumPoints) {
        return { code: 'ballot-points-per-project-above-total', message: 'maxPointsPerProject cannot be more than maxSumPoints.' };
      }
      return undefined;
    case 'choose-1':
      return undefined;
  }
}

/** The first rule the winner rule breaks against the money and the ballot, if any. */
function checkWinnerRule(rule: WinnerRule, ballotRules: BallotRules, money: Money): { code: string; message: string } | undefined {
  const categoryIds = money.categories.map((c) => c.id);
  if (rule.name === 'fixed-winners-per-category') {
    if (categoryIds.length === 0) return { code: 'rule-needs-categories', message: 'fixed-winners-per-category needs a budget split into categories.' };
    const unknown = Object.keys(rule.categories).find((c) => !categoryIds.includes(c));
    if (unknown) return { code: 'rule-unknown-category', message: `The winner rule names the category "${unknown}", which the budget does not have.` };
    const missing = categoryIds.find((c) => !Object.hasOwn(rule.categories, c));
    if (missing) return { code: 'rule-category-missing', message: `The winner rule gives no winners and minimum for category "${missing}".` };
  }
  if (rule.name === 'equal-shares' && !['approval', 'knapsack', 'choose-1'].includes(ballotRules.type)) {
    return { code: 'rule-needs-approval-ballots', message: `The Method of Equal Shares counts approval-type ballots, not ${ballotRules.type} ballots.` };
  }
  // Last, the tally domain's own consistency checks, on an empty count.
  try {
    tally({ ballotRules, projects: [], ballots: [], budget: budgetLimitOf(money), rule });
  } catch (error) {
    if (error instanceof TallyInputError) return { code: 'rule-inconsistent', message: `The winner rule does not fit the budget: ${error.message}.` };
    throw error;
  }
  return undefined;
}

/** A budget process the council creates, or the first rule its definition breaks. */
export function newBudgetProcess(input: NewBudgetInput, now: Date): Decision<BudgetProcess> {
  const defaults = budgetRulesOf(input.community);
  if (input.kind === 'school' && !input.schoolId) return refuse('invalid', 'school-id-required', 'A school budget names its school (schoolId).');
  if (input.kind === 'public' && input.schoolId) return refuse('invalid', 'school-id-not-expected', 'Only a school budget names a school.');

  const categories = input.money.categories ?? [];
  const ids = categories.map((c) => c.id);
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated) return refuse('invalid', 'duplicate-category', `The category "${repeated}" is listed twice.`);
  const sum = categories.reduce((s, c) => s + c.amount, 0);
  if (categories.length > 0 && sum !== input.money.total) {
    return refuse('invalid', 'categories-do-not-add-up', `The categories add up to ${sum}, not the total ${input.money.total}.`);
  }
  const money: Money = { currency: input.money.currency ?? 'UAH', total: input.money.total, categories: categories.map((c) => ({ ...c })) };

  const schedule: Schedule = {
    submission: toUtc(input.schedule.submission),
    preSupport: input.schedule.preSupport ? toUtc(input.schedule.preSupport) : null,
    review: toUtc(input.schedule.review),
    voting: toUtc(input.schedule.voting),
    results: toUtc(input.schedule.results),
    implementation: toUtc(input.schedule.implementation),
    paperCountEnds: input.schedule.paperCountEnds ? toUtc(input.schedule.paperCountEnds) : null,
  };
  const brokenSchedule = checkSchedule(schedule);
  if (brokenSchedule) return refuse('invalid', brokenSchedule.code, brokenSchedule.message);
  if (Date.parse(schedule.results) <= now.getTime()) return refuse('invalid', 'voting-closed-already', 'Voting must close in the future.');

  let eligibility: VoterEligibility;
  let required: number;
  if (input.kind === 'school') {
    if (input.eligibility?.minAge !== undefined) {
      return refuse('invalid', 'school-age-not-expected', 'School budgets are voted with codes handed out by the school (its own grade rules); they take no minimum age.');
    }
    if (input.students === undefined) return refuse('invalid', 'students-required', 'A school budget states its registered number of students (students): no more codes than that can be issued.');
    if (schedule.paperCountEnds !== null) return refuse('invalid', 'school-without-paper', 'School budgets are voted with codes only; they have no paper-count window.');
    if ((input.preSupport?.required ?? 0) > 0 || schedule.preSupport !== null) {
      return refuse('invalid', 'school-without-pre-support', 'School budgets have no online pre-support: students have no accounts.');
    }
    eligibility = { method: 'school-code' };
    required = 0;
  } else {
    if (input.students !== undefined) return refuse('invalid', 'students-not-expected', 'Only a school budget states a number of students.');
    const minAge = input.eligibility?.minAge ?? defaults.minVoterAge;
    if (minAge < defaults.minVoterAge) {
      return refuse('invalid', 'min-age-below-legal', `The minimum age cannot be below the community's legal minimum of ${defaults.minVoterAge}.`);
    }
    eligibility = { method: 'account', minAge };
    required = input.preSupport?.required ?? defaults.preSupporters;
  }
  if (schedule.preSupport !== null && required === 0) {
    return refuse('invalid', 'pre-support-phase-without-threshold', 'A pre-support phase needs a number of supporters (preSupport.required).');
  }

  const brokenBallot = checkBallotRules(input.ballotRules, money);
  if (brokenBallot) return refuse('invalid', brokenBallot.code, brokenBallot.message);
  const brokenRule = checkWinnerRule(input.rule, input.ballotRules, money);
  if (brokenRule) return refuse('invalid', brokenRule.code, brokenRule.message);

  return {
    ok: true,
    value: {
      id: input.id,
      community: input.community.id,
      kind: input.kind,
      schoolId: input.kind === 'school' ? input.schoolId! : null,
      title: input.title,
      description: input.description ?? null,
      money,
      schedule,
      eligibility,
      preSupport: { required },
      ballotRules: input.ballotRules,
      rule: resolveWinnerRule(input.rule),
      createdAt: now.toISOString(),
      createdBy: input.createdBy,
      origin: null,
      countingStartedAt: null,
      resultsPublishedAt: null,
      projectCount: 0,
      markerKeyId: input.markerKeyId,
      students: input.kind === 'school' ? input.students! : null,
      codesIssued: 0,
    },
  };
}

/** The public view: never who created it. */
export function budgetView(p: BudgetProcess, now: Date) {
  const phase = phaseOf(p, now);
  return {
    id: p.id,
    community: p.community,
    kind: p.kind,
    schoolId: p.schoolId,
    title: p.title,
    description: p.description,
    phase,
    phaseEndsAt: phaseEnds(p, phase),
    money: p.money,
    schedule: p.schedule,
    eligibility: p.eligibility,
    preSupport: p.preSupport,
    ballotRules: p.ballotRules,
    rule: p.rule,
    createdAt: p.createdAt,
    imported: p.origin ? { format: p.origin.format, fileSha256: p.origin.fileSha256, importedAt: p.origin.importedAt } : null,
    resultsPublishedAt: p.resultsPublishedAt,
    projectCount: p.projectCount,
    students: p.students,
  };
}

export function budgetSummaryView(p: BudgetProcess, now: Date) {
  const phase = phaseOf(p, now);
  return {
    id: p.id,
    community: p.community,
    kind: p.kind,
    schoolId: p.schoolId,
    title: p.title,
    phase,
    phaseEndsAt: phaseEnds(p, phase),
    total: p.money.total,
    currency: p.money.currency,
    votingOpensAt: p.schedule.voting,
    votingClosesAt: p.schedule.results,
    imported: p.origin !== null,
    resultsPublishedAt: p.resultsPublishedAt,
  };
}
