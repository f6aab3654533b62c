import * as z from 'zod';
import type { BallotRules } from '#shared/domain/budget/ballot.ts';
import type { WinnerRule } from '#shared/domain/budget/tally.ts';
import { budgetKinds, phases } from '#shared/domain/budget-process/process.ts';
import { implementationStatuses, projectStatuses } from '#shared/domain/budget-process/project.ts';
import { votingMethods } from '#shared/domain/budget-process/results.ts';
import { communityId, humanText, isoDateTime, pageQuery, titleText, uuid } from './common.ts';

/**
 * Shapes only. A well-formed request that breaks a rule of the domain (categories that do not add
 * up, a ballot over its limits, a project in the wrong category) is refused with 422 naming the rule.
 */
const amount = z.int().min(0).max(Number.MAX_SAFE_INTEGER);
const positiveAmount = z.int().min(1).max(Number.MAX_SAFE_INTEGER);
const categoryId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/, 'must be 1-40 letters, digits, "-" or "_"');
/** `1`, `2`, ... for projects submitted here; a Pabulib file's own ids (`c12`, `1639`) for imported ones. */
export const projectId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be a project id (1-64 letters, digits, ".", "-" or "_")');
const schoolId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be a school id (1-64 letters, digits, ".", "-" or "_")');

const countLimits = z.strictObject({ min: z.int().min(0).max(1000).optional(), max: z.int().min(1).max(1000).optional() });

export const ballotRulesSchema = z
  .discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('approval'),
      projects: countLimits.optional(),
      /** Ternopil 2024: { large: { min: 1, max: 1 }, small: { min: 1, max: 1 } }. */
      perCategory: z.record(categoryId, countLimits).optional(),
    }),
    z.strictObject({ type: z.literal('knapsack'), maxTotalCost: positiveAmount, projects: countLimits.optional() }),
    z.strictObject({
      type: z.literal('cumulative'),
      maxSumPoints: z.int().min(1).max(1000),
      maxPointsPerProject: z.int().min(1).max(1000).optional(),
      projects: countLimits.optional(),
    }),
    z.strictObject({
      type: z.literal('ordinal'),
      minLength: z.int().min(1).max(100),
      maxLength: z.int().min(1).max(100),
      /** Points for the 1st, 2nd, ... ranked project, e.g. [3, 2, 1]. Default: maxLength - position. */
      pointsByPosition: z.array(z.int().min(0).max(1000)).max(100).optional(),
    }),
    z.strictObject({ type: z.literal('choose-1') }),
  ])
  .meta({ id: 'BudgetBallotRules' });

const tieBreaker = z.union([
  z.enum(['lower-cost', 'higher-cost', 'more-votes', 'higher-score', 'list-order']),
  /** Project ids in the order of a lot drawn before counting. */
  z.strictObject({ lot: z.array(projectId).max(1000) }),
]);
const tieBreaking = z.array(tieBreaker).min(1).max(10).optional();
const rankBy = z.enum(['votes', 'score']);

export const winnerRuleSchema = z
  .discriminatedUnion('name', [
    z.strictObject({ name: z.literal('greedy'), rankBy, tieBreaking }),
    z.strictObject({ name: z.literal('greedy-no-skip'), rankBy, tieBreaking }),
    z.strictObject({ name: z.literal('greedy-threshold'), rankBy, minimum: amount, tieBreaking }),
    z.strictObject({
      name: z.literal('fixed-winners-per-category'),
      rankBy,
      /** Ternopil: { large: { winners: 1, minimum: 500 }, small: { winners: 3, minimum: 300 } }. */
      categories: z.record(categoryId, z.strictObject({ winners: z.int().min(0).max(1000), minimum: amount })),
      tieBreaking,
    }),
    z.strictObject({
      name: z.literal('equal-shares'),
      utility: z.enum(['cost', 'approval']),
      completion: z.enum(['none', 'add1', 'add1-exhaustive']),
      comparison: z.enum(['none', 'greedy']),
      tieBreaking,
    }),
  ])
  .meta({ id: 'BudgetWinnerRule' });

// The schemas must produce exactly the tally domain's types (a compile error here means they drifted).
const _ballotRulesFit = (value: z.output<typeof ballotRulesSchema>): BallotRules => value;
const _winnerRuleFits = (value: z.output<typeof winnerRuleSchema>): WinnerRule => value;

export const budgetParams = z.strictObject({ id: uuid });
export const projectParams = z.strictObject({ id: uuid, projectId });

export const listBudgetsQuery = z.strictObject({
  community: communityId.optional(),
  /** Only budgets in this phase now (a community has a few budgets a year: read whole, one page). */
  phase: z.enum(phases).optional(),
  ...pageQuery,
}).refine((query) => query.phase === undefined || query.cursor === undefined, {
  // A phase listing is one page: a cursor there was never issued, so it is refused, not ignored.
  message: 'a listing by phase is one page and takes no cursor',
  path: ['cursor'],
});

export const createBudgetBody = z.strictObject({
  kind: z.enum(budgetKinds),
  /** School budgets only: the school whose students vote. */
  schoolId: schoolId.optional(),
  title: titleText(5, 200),
  description: humanText(10, 20_000).optional(),
  money: z.strictObject({
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as UAH').optional(),
    total: positiveAmount,
    /** Ternopil: [{ id: 'large', ... }, { id: 'small', ... }]; they must add up to the total. */
    categories: z.array(z.strictObject({ id: categoryId, name: humanText(1, 200), amount: positiveAmount })).max(20).optional(),
  }),
  /** When each phase starts; `results` is when voting closes. */
  schedule: z.strictObject({
    submission: isoDateTime,
    preSupport: isoDateTime.nullable().optional(),
    review: isoDateTime,
    voting: isoDateTime,
    results: isoDateTime,
    implementation: isoDateTime,
    /** Public budgets: paper ballots may be entered after voting closes until this instant (before publication); default none. */
    paperCountEnds: isoDateTime.nullable().optional(),
  }),
  /** School budgets: the registered number of students, the most codes that can be issued (the council may raise it). */
  students: z.int().min(1).max(100_000).optional(),
  /** Public budgets: minimum age (default, and lowest allowed: the community's legal minimum, 16 in Ternopil). */
  eligibility: z.strictObject({ minAge: z.int().min(0).max(120).optional() }).optional(),
  /** Supporters a project needs before review (default: the community's, 15 in Ternopil). */
  preSupport: z.strictObject({ required: z.int().min(0).max(100_000) }).optional(),
  ballotRules: ballotRulesSchema,
  rule: winnerRuleSchema,
});

export const submitProjectBody = z.strictObject({
  title: titleText(5, 200),
  description: humanText(20, 10_000),
  cost: positiveAmount,
  category: categoryId.optional(),
});

export const reviewBody = z.strictObject({
  feasible: z.boolean(),
  /** Published with the decision. */
  reason: humanText(5, 5000),
  /** Feasible projects: the cost on the ballot. */
  finalCost: positiveAmount.optional(),
});

const ballot = z.strictObject({
  /** Chosen project ids; most preferred first for ordinal ballots. */
  projects: z.array(projectId).max(200),
  /** Cumulative ballots: points for each chosen project. */
  points: z.array(z.int().min(0).max(1000)).max(200).optional(),
});

/**
 * `ballotId`: a UUID the voter's device makes once per ballot; a retry sends the same one.
 * `notify`: hear by e-mail when the results are published and how the winners are built (kept apart
 * from the ballot: shared/app/notifications.ts).
 */
export const castBallotBody = z.strictObject({ ballotId: uuid, ballot, notify: z.boolean().optional() });
export const codeBallotBody = z.strictObject({ code: z.string().min(1).max(40), ballotId: uuid, ballot });
export const paperBallotBody = z.strictObject({
  ballotId: uuid,
  ballot,
  /** The number printed on the paper ballot, if any: recorded in the audit trail. */
  serial: z.string().trim().min(1).max(100).optional(),
});

/**
 * A person identified at the services centre: their national identifier as on the ID document
 * (РНОКПП, or the passport number of someone who has none); spaces and dashes are ignored.
 */
export const paperVoterBody = z.strictObject({
  nationalId: z.string().trim().regex(/^[\p{L}\p{N}][\p{L}\p{N} .-]{3,38}[\p{L}\p{N}]$/u, 'must be a national identifier (5-40 letters and digits)'),
});
export const paperVoterView = z.object({ budgetId: uuid, recorded: z.literal(true) });

export const studentsBody = z.strictObject({ students: z.int().min(1).max(100_000) });

export const issueCodesBody = z.strictObject({
  count: z.int().min(1).max(1000),
  /** The voting page the QR payload opens (default `hromada-vote:`); the budget and the code are added as parameters. */
  qrBaseUrl: z.url({ protocol: /^https$/, message: 'must be an https URL' }).max(500).optional(),
});

export const ballotsQuery = z.strictObject({ receipt: z.string().trim().min(1).max(300).optional(), ...pageQuery });

export const implementationBody = z.strictObject({
  status: z.enum(implementationStatuses),
  progress: z.int().min(0).max(100),
  note: humanText(1, 5000).optional(),
});

/** A Pabulib `.pb` file as text. */
export const importBody = z.string().min(1, 'must be a .pb file');

// ------------------------------------------------------------------------------------------------
// Views

const money = z.object({
  currency: z.string(),
  total: z.int(),
  categories: z.array(z.object({ id: z.string(), name: z.string(), amount: z.int() })),
});
const schedule = z.object({
  submission: isoDateTime, preSupport: isoDateTime.nullable(), review: isoDateTime, voting: isoDateTime, results: isoDateTime, implementation: isoDateTime,
  paperCountEnds: isoDateTime.nullable(),
});

export const budgetSummaryView = z
  .object({
    id: uuid,
    community: z.string(),
    kind: z.enum(budgetKinds),
    schoolId: z.string().nullable(),
    title: z.string(),
    phase: z.enum(phases),
    phaseEndsAt: isoDateTime.nullable(),
    total: z.int(),
    currency: z.string(),
    votingOpensAt: isoDateTime,
    votingClosesAt: isoDateTime,
    imported: z.boolean(),
    resultsPublishedAt: isoDateTime.nullable(),
  })
  .meta({ id: 'BudgetSummary' });

export const budgetView = z
  .object({
    id: uuid,
    community: z.string(),
    kind: z.enum(budgetKinds),
    schoolId: z.string().nullable(),
    title: z.string(),
    description: z.string().nullable(),
    phase: z.enum(phases),
    phaseEndsAt: isoDateTime.nullable(),
    money,
    schedule,
    eligibility: z.union([z.object({ method: z.literal('account'), minAge: z.int() }), z.object({ method: z.literal('school-code') })]),
    preSupport: z.object({ required: z.int() }),
    ballotRules: ballotRulesSchema,
    rule: winnerRuleSchema,
    createdAt: isoDateTime,
    imported: z.object({ format: z.literal('pabulib'), fileSha256: z.string(), importedAt: isoDateTime }).nullable(),
    resultsPublishedAt: isoDateTime.nullable(),
    projectCount: z.int(),
    /** School budgets: the registered number of students (the most codes that can be issued). */
    students: z.int().nullable(),
  })
  .meta({ id: 'Budget' });

export const budgetPage = z.object({
  items: z.array(budgetSummaryView),
  nextCursor: z.string().nullable(),
  /** Budgets per phase now; on the first page only (null after). */
  counts: z.record(z.enum(phases), z.number().int()).nullable(),
});

export const projectView = z
  .object({
    budgetId: uuid,
    id: z.string(),
    title: z.string(),
    description: z.string().optional(),
    cost: z.int(),
    finalCost: z.int().nullable(),
    category: z.string().nullable(),
    status: z.enum(projectStatuses),
    submittedAt: isoDateTime,
    preSupport: z.object({ count: z.int(), required: z.int(), reached: z.boolean() }),
    review: z.object({ feasible: z.boolean(), reason: z.string(), finalCost: z.int().nullable(), reviewedAt: isoDateTime }).nullable(),
    implementation: z.object({ status: z.enum(implementationStatuses), progress: z.int(), note: z.string().nullable(), updatedAt: isoDateTime }).nullable(),
    pabulibColumns: z.record(z.string(), z.string()).optional(),
  })
  .meta({ id: 'BudgetProject' });

export const projectList = z.object({ items: z.array(projectView) });

export const supportView = z.object({ budgetId: uuid, projectId: z.string(), supportCount: z.int(), required: z.int(), reached: z.boolean() });

export const receiptView = z
  .object({
    budgetId: uuid,
    receipt: z.string(),
    ballot: z.object({ projects: z.array(z.string()), points: z.array(z.int()).optional() }),
    votingMethod: z.enum(votingMethods),
    /** Where anyone finds this exact ballot among the published anonymous ballots. */
    verifyAt: z.string(),
  })
  .meta({ id: 'BallotReceipt' });

export const anonymousBallot = z.object({
  receipt: z.string(),
  projects: z.array(z.string()),
  points: z.array(z.int()).optional(),
  votingMethod: z.enum(votingMethods),
});
export const ballotPage = z.object({ items: z.array(anonymousBallot), nextCursor: z.string().nullable() });

export const codeBatchView = z.object({
  budgetId: uuid,
  batchId: uuid,
  /** Shown once: only their hashes are stored. */
  codes: z.array(z.object({ code: z.string(), qr: z.string() })),
});

export const resultsView = z
  .object({
    budgetId: uuid,
    winners: z.array(z.string()),
    totalSpent: z.int(),
    currency: z.string(),
    categories: z.array(z.object({
      category: z.string().nullable(),
      budget: z.int(),
      spent: z.int(),
      winners: z.array(z.object({ projectId: z.string(), title: z.string(), cost: z.int(), votes: z.int(), score: z.int() })),
      explanation: z.record(z.string(), z.unknown()),
    })),
    projects: z.array(z.object({
      projectId: z.string(), title: z.string(), category: z.string().nullable(), cost: z.int(), votes: z.int(), score: z.int(), selected: z.boolean(),
    })),
    ballots: z.object({ total: z.int(), internet: z.int(), paper: z.int(), code: z.int() }),
    rule: winnerRuleSchema,
    ballotRules: ballotRulesSchema,
    budget: z.union([z.object({ total: z.int() }), z.object({ perCategory: z.array(z.object({ category: z.string(), amount: z.int() })) })]),
    computedAt: isoDateTime,
    published: z.boolean(),
    publishedAt: isoDateTime.nullable(),
  })
  .meta({ id: 'BudgetResults' });

export const importView = z.object({
  budget: budgetView,
  projects: z.int(),
  ballots: z.int(),
  recount: z.object({ winners: z.array(z.string()), selectedInFile: z.array(z.string()).nullable(), matchesFile: z.boolean().nullable() }),
  /** 202 only: items written so far (projects and ballots). */
  progress: z.object({ written: z.int(), total: z.int() }).optional(),
});
