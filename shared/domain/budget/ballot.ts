/**
 * Ballot types of participatory budgets and the rules a valid ballot must follow.
 *
 * A ballot is one shape for every type, the same as a Pabulib VOTES row: the chosen project ids,
 * most preferred first where order matters (ordinal), and points per project for cumulative
 * ballots. What the list means, and which limits apply, is given by the BallotRules.
 */

export interface Ballot {
  readonly projects: readonly string[];
  /** Cumulative ballots only: points given to projects[i]. */
  readonly points?: readonly number[];
}

/** Minimum and maximum number of chosen projects; omitted bounds do not apply. */
export interface CountLimits {
  readonly min?: number;
  readonly max?: number;
}

export type BallotRules =
  | ApprovalRules
  | KnapsackRules
  | CumulativeRules
  | OrdinalRules
  | ChooseOneRules;

/** Approve projects. Ternopil 2024: perCategory { large: {min:1,max:1}, small: {min:1,max:1} }. */
export interface ApprovalRules {
  readonly type: 'approval';
  /** Number of approved projects; min defaults to 1 (a blank ballot is not a vote). */
  readonly projects?: CountLimits;
  /** Number of approved projects within each budget category named here. */
  readonly perCategory?: Readonly<Record<string, CountLimits>>;
}

/** Approve projects whose total cost stays within a limit (usually the budget). */
export interface KnapsackRules {
  readonly type: 'knapsack';
  readonly maxTotalCost: number;
  readonly projects?: CountLimits;
}

/** Spread points over projects. */
export interface CumulativeRules {
  readonly type: 'cumulative';
  readonly maxSumPoints: number;
  readonly maxPointsPerProject?: number;
  readonly projects?: CountLimits;
}

/** Rank projects, most preferred first. */
export interface OrdinalRules {
  readonly type: 'ordinal';
  readonly minLength: number;
  readonly maxLength: number;
  /**
   * Points for the 1st, 2nd, ... ranked project, e.g. [3, 2, 1]. Default: Pabulib's Borda-like
   * scoring, maxLength - position (0-based), which is what Kraków's `score` column holds.
   */
  readonly pointsByPosition?: readonly number[];
}

/** Choose exactly one project. */
export interface ChooseOneRules {
  readonly type: 'choose-1';
}

export type BallotType = BallotRules['type'];

/** A project as the ballot rules see it. Only admitted projects may be voted for. */
export interface BallotProject {
  readonly id: string;
  readonly cost: number;
  /** Budget category (Ternopil: 'large' / 'small'); at most one per project. */
  readonly category?: string;
  /** False for a project that did not pass review and is not on the ballot. Default true. */
  readonly admitted?: boolean;
}

/** Machine codes of the rules a ballot can break. */
export type BallotViolation =
  | 'unknown-project'
  | 'project-not-admitted'
  | 'duplicate-project'
  | 'too-few-projects'
  | 'too-many-projects'
  | 'too-few-in-category'
  | 'too-many-in-category'
  | 'over-cost-limit'
  | 'points-not-expected'
  | 'points-missing'
  | 'points-not-positive-integer'
  | 'too-many-points-for-project'
  | 'too-many-points';

export type BallotValidation =
  | { readonly ok: true; readonly ballot: Ballot }
  | { readonly ok: false; readonly rule: BallotViolation; readonly message: string };

/** The limits on the number of chosen projects, with defaults filled in. */
export function projectCountLimits(rules: BallotRules): { min: number; max: number } {
  switch (rules.type) {
    case 'choose-1':
      return { min: 1, max: 1 };
    case 'ordinal':
      return { min: rules.minLength, max: rules.maxLength };
    default:
      return { min: rules.projects?.min ?? 1, max: rules.projects?.max ?? Number.POSITIVE_INFINITY };
  }
}

/**
 * Points each chosen project gets from a ballot: 1 per project for approval-type ballots, the
 * position points for ordinal ballots, the given points for cumulative ballots.
 */
export function ballotPoints(rules: BallotRules, ballot: Ballot): number[] {
  switch (rules.type) {
    case 'cumulative':
      return [...(ballot.points ?? [])];
    case 'ordinal':
      return ballot.projects.map((_, position) =>
        rules.pointsByPosition ? (rules.pointsByPosition[position] ?? 0) : rules.maxLength - position,
      );
    default:
      return ballot.projects.map(() => 1);
  }
}

function fail(rule: BallotViolation, message: string): BallotValidation {
  return { ok: false, rule, message };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Checks a ballot against the rules and the list of projects. Returns the first rule broken, in
 * this order: project identity (unknown, not admitted, duplicate), points, counts, cost limit.
 */
export function validateBallot(
  rules: BallotRules,
  projects: readonly BallotProject[],
  ballot: Ballot,
): BallotValidation {
  const byId = new Map(projects.map((p) => [p.id, p]));
  const chosen: BallotProject[] = [];
  const seen = new Set<string>();
  for (const id of ballot.projects) {
    const project = byId.get(id);
    if (!project) return fail('unknown-project', `Project "${id}" is not in this budget.`);
    if (project.admitted === false) {
      return fail('project-not-admitted', `Project "${id}" was not admitted to the vote.`);
    }
    if (seen.has(id)) return fail('duplicate-project', `Project "${id}" is chosen more than once.`);
    seen.add(id);
    chosen.push(project);
  }

  if (rules.type === 'cumulative') {
    const points = ballot.points;
    if (!points || points.length !== ballot.projects.length) {
      return fail('points-missing', 'Each chosen project must be given a number of points.');
    }
    if (!points.every((p) => Number.isSafeInteger(p) && p >= 1)) {
      return fail('points-not-positive-integer', 'Points must be whole numbers of at least 1.');
    }
    const perProject = rules.maxPointsPerProject;
    if (perProject !== undefined && points.some((p) => p > perProject)) {
      return fail('too-many-points-for-project', `A project can be given at most ${plural(perProject, 'point')}.`);
    }
    const total = points.reduce((a, b) => a + b, 0);
    if (total > rules.maxSumPoints) {
      return fail('too-many-points', `At most ${plural(rules.maxSumPoints, 'point')} can be given in total; this ballot gives ${total}.`);
    }
  } else if (ballot.points !== undefined) {
    return fail('points-not-expected', `A ${rules.type} ballot does not give points.`);
  }

  const limits = projectCountLimits(rules);
  const verb = rules.type === 'ordinal' ? 'ranked' : 'chosen';
  if (chosen.length < limits.min) {
    return fail('too-few-projects', `At least ${plural(limits.min, 'project')} must be ${verb}; this ballot has ${chosen.length}.`);
  }
  if (chosen.length > limits.max) {
    return fail('too-many-projects', `At most ${plural(limits.max, 'project')} can be ${verb}; this ballot has ${chosen.length}.`);
  }

  if (rules.type === 'approval' && rules.perCategory) {
    for (const [category, { min, max }] of Object.entries(rules.perCategory)) {
      const count = chosen.filter((p) => p.category === category).length;
      if (min !== undefined && count < min) {
        return fail('too-few-in-category', `At least ${plural(min, 'project')} must be chosen in category "${category}"; this ballot has ${count}.`);
      }
      if (max !== undefined && count > max) {
        return fail('too-many-in-category', `At most ${plural(max, 'project')} can be chosen in category "${category}"; this ballot has ${count}.`);
      }
    }
  }

  if (rules.type === 'knapsack') {
    const total = chosen.reduce((sum, p) => sum + p.cost, 0);
    if (total > rules.maxTotalCost) {
      return fail('over-cost-limit', `The chosen projects cost ${total} in total, more than the limit of ${rules.maxTotalCost}.`);
    }
  }
  return { ok: true, ballot };
}
