import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ballotPoints,
  validateBallot,
  type Ballot,
  type BallotProject,
  type BallotRules,
} from '#shared/domain/budget/ballot.ts';

/** Ternopil-like list: two large and three small projects, one not admitted after review. */
const PROJECTS: BallotProject[] = [
  { id: 'L1', cost: 900, category: 'large' },
  { id: 'L2', cost: 700, category: 'large' },
  { id: 'S1', cost: 200, category: 'small' },
  { id: 'S2', cost: 150, category: 'small' },
  { id: 'S3', cost: 100, category: 'small', admitted: false },
];

/** Ternopil 2022/2024: exactly one large plus one small project. */
const ONE_LARGE_ONE_SMALL: BallotRules = {
  type: 'approval',
  projects: { min: 2, max: 2 },
  perCategory: { large: { min: 1, max: 1 }, small: { min: 1, max: 1 } },
};

function check(rules: BallotRules, ballot: Ballot) {
  return validateBallot(rules, PROJECTS, ballot);
}

describe('validateBallot: each rule broken is named', () => {
  const cases: [string, BallotRules, Ballot, string, RegExp][] = [
    ['unknown project', { type: 'approval' }, { projects: ['X9'] }, 'unknown-project', /"X9" is not in this budget/],
    ['project not admitted', { type: 'approval' }, { projects: ['S3'] }, 'project-not-admitted', /"S3" was not admitted/],
    ['duplicate project', { type: 'approval' }, { projects: ['S1', 'S1'] }, 'duplicate-project', /"S1" is chosen more than once/],
    ['blank approval ballot', { type: 'approval' }, { projects: [] }, 'too-few-projects', /At least 1 project must be chosen; this ballot has 0/],
    ['too many approvals', { type: 'approval', projects: { max: 2 } }, { projects: ['L1', 'S1', 'S2'] }, 'too-many-projects', /At most 2 projects can be chosen/],
    ['two large (Ternopil)', ONE_LARGE_ONE_SMALL, { projects: ['L1', 'L2'] }, 'too-many-in-category', /At most 1 project can be chosen in category "large"; this ballot has 2/],
    ['two small (Ternopil)', ONE_LARGE_ONE_SMALL, { projects: ['S1', 'S2'] }, 'too-few-in-category', /At least 1 project must be chosen in category "large"/],
    ['category maximum', { type: 'approval', perCategory: { small: { max: 1 } } }, { projects: ['S1', 'S2'] }, 'too-many-in-category', /At most 1 project can be chosen in category "small"; this ballot has 2/],
    ['knapsack over the limit', { type: 'knapsack', maxTotalCost: 1000 }, { projects: ['L1', 'S1'] }, 'over-cost-limit', /cost 1100 in total, more than the limit of 1000/],
    ['choose-1 with two', { type: 'choose-1' }, { projects: ['L1', 'S1'] }, 'too-many-projects', /At most 1 project can be chosen/],
    ['choose-1 with none', { type: 'choose-1' }, { projects: [] }, 'too-few-projects', /At least 1 project must be chosen/],
    ['ranking too short', { type: 'ordinal', minLength: 3, maxLength: 3 }, { projects: ['L1', 'S1'] }, 'too-few-projects', /At least 3 projects must be ranked; this ballot has 2/],
    ['ranking too long', { type: 'ordinal', minLength: 1, maxLength: 2 }, { projects: ['L1', 'S1', 'S2'] }, 'too-many-projects', /At most 2 projects can be ranked/],
    ['points on an approval ballot', { type: 'approval' }, { projects: ['L1'], points: [1] }, 'points-not-expected', /approval ballot does not give points/],
    ['cumulative without points', { type: 'cumulative', maxSumPoints: 10 }, { projects: ['L1'] }, 'points-missing', /must be given a number of points/],
    ['cumulative zero points', { type: 'cumulative', maxSumPoints: 10 }, { projects: ['L1'], points: [0] }, 'points-not-positive-integer', /at least 1/],
    ['cumulative over per-project maximum', { type: 'cumulative', maxSumPoints: 10, maxPointsPerProject: 5 }, { projects: ['L1', 'S1'], points: [6, 1] }, 'too-many-points-for-project', /at most 5 points/],
    ['cumulative over the total', { type: 'cumulative', maxSumPoints: 10 }, { projects: ['L1', 'S1'], points: [6, 5] }, 'too-many-points', /At most 10 points can be given in total; this ballot gives 11/],
  ];

  it.each(cases)('%s', (_, rules, ballot, rule, message) => {
    const result = check(rules, ballot);
    expect(result).toMatchObject({ ok: false, rule });
    expect(result.ok === false && result.message).toMatch(message);
  });

  it('accepts valid ballots of every type and returns them', () => {
    const valid: [BallotRules, Ballot][] = [
      [ONE_LARGE_ONE_SMALL, { projects: ['L2', 'S1'] }],
      [{ type: 'knapsack', maxTotalCost: 1000 }, { projects: ['L2', 'S2'] }],
      [{ type: 'cumulative', maxSumPoints: 10, maxPointsPerProject: 6 }, { projects: ['L1', 'S1'], points: [6, 4] }],
      [{ type: 'ordinal', minLength: 1, maxLength: 3 }, { projects: ['S2', 'L1'] }],
      [{ type: 'choose-1' }, { projects: ['S1'] }],
    ];
    for (const [rules, ballot] of valid) expect(check(rules, ballot)).toEqual({ ok: true, ballot });
  });
});

describe('ballotPoints', () => {
  it('scores ordinal ballots Borda-like by default (max length minus position), as Kraków does', () => {
    expect(ballotPoints({ type: 'ordinal', minLength: 1, maxLength: 3 }, { projects: ['a', 'b', 'c'] })).toEqual([3, 2, 1]);
    expect(ballotPoints({ type: 'ordinal', minLength: 1, maxLength: 3 }, { projects: ['a', 'b'] })).toEqual([3, 2]);
  });

  it('uses configured position points, one point per approval, and the given cumulative points', () => {
    expect(ballotPoints({ type: 'ordinal', minLength: 1, maxLength: 3, pointsByPosition: [5, 3, 1] }, { projects: ['a', 'b'] })).toEqual([5, 3]);
    expect(ballotPoints({ type: 'approval' }, { projects: ['a', 'b'] })).toEqual([1, 1]);
    expect(ballotPoints({ type: 'cumulative', maxSumPoints: 9 }, { projects: ['a', 'b'], points: [7, 2] })).toEqual([7, 2]);
  });
});

describe('validateBallot accepts exactly the ballots that satisfy the rules (property)', () => {
  const limits = fc.record({ min: fc.option(fc.nat({ max: 3 }), { nil: undefined }), max: fc.option(fc.nat({ max: 4 }), { nil: undefined }) });
  const rulesArbitrary: fc.Arbitrary<BallotRules> = fc.oneof(
    fc.record({
      type: fc.constant('approval' as const),
      projects: limits,
      perCategory: fc.option(fc.record({ large: limits, small: limits }), { nil: undefined }),
    }),
    fc.record({ type: fc.constant('knapsack' as const), maxTotalCost: fc.nat({ max: 2000 }), projects: limits }),
    fc.record({
      type: fc.constant('cumulative' as const),
      maxSumPoints: fc.nat({ max: 12 }),
      maxPointsPerProject: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
      projects: limits,
    }),
    fc
      .tuple(fc.nat({ max: 3 }), fc.nat({ max: 3 }))
      .map(([a, b]) => ({ type: 'ordinal' as const, minLength: Math.min(a, b), maxLength: Math.max(a, b) })),
    fc.constant({ type: 'choose-1' as const }),
  );
  const anyBallot: fc.Arbitrary<Ballot> = fc
    .record({
      projects: fc.array(fc.constantFrom('L1', 'L2', 'S1', 'S2', 'S3', 'X9'), { maxLength: 5 }),
      points: fc.option(fc.array(fc.integer({ min: -1, max: 7 }), { maxLength: 5 }), { nil: undefined }),
    })
    .map(({ projects, points }) => (points === undefined ? { projects } : { projects, points }));
  // Distinct admitted projects, with points for cumulative rules: valid often enough to matter.
  const plausibleBallot = (rules: BallotRules): fc.Arbitrary<Ballot> =>
    fc.uniqueArray(fc.constantFrom('L1', 'L2', 'S1', 'S2'), { maxLength: 4 }).chain((projects) =>
      rules.type === 'cumulative'
        ? fc.array(fc.integer({ min: 1, max: 6 }), { minLength: projects.length, maxLength: projects.length }).map((points) => ({ projects, points }))
        : fc.constant({ projects }),
    );
  const caseArbitrary = rulesArbitrary.chain((rules) =>
    fc.tuple(fc.constant(rules), fc.oneof({ weight: 1, arbitrary: anyBallot }, { weight: 3, arbitrary: plausibleBallot(rules) })),
  );

  /** The rules, read as a checklist; independent of validateBallot's order and messages. */
  function satisfies(rules: BallotRules, ballot: Ballot): boolean {
    const chosen = ballot.projects.map((id) => PROJECTS.find((p) => p.id === id));
    const within = (n: number, l: { min?: number; max?: number } | undefined, defaultMin: number) =>
      n >= (l?.min ?? defaultMin) && n <= (l?.max ?? Infinity);
    const countOk =
      rules.type === 'choose-1'
        ? chosen.length === 1
        : rules.type === 'ordinal'
          ? chosen.length >= rules.minLength && chosen.length <= rules.maxLength
          : within(chosen.length, rules.projects, 1);
    const points = ballot.points;
    const pointsOk =
      rules.type === 'cumulative'
        ? points !== undefined &&
          points.length === chosen.length &&
          points.every((p) => p >= 1 && p <= (rules.maxPointsPerProject ?? Infinity)) &&
          points.reduce((a, b) => a + b, 0) <= rules.maxSumPoints
        : points === undefined;
    const categoriesOk =
      rules.type !== 'approval' ||
      Object.entries(rules.perCategory ?? {}).every(([category, l]) =>
        within(chosen.filter((p) => p?.category === category).length, l, 0),
      );
    const costOk = rules.type !== 'knapsack' || chosen.reduce((sum, p) => sum + (p?.cost ?? 0), 0) <= rules.maxTotalCost;
    return (
      chosen.every((p) => p !== undefined && p.admitted !== false) &&
      new Set(ballot.projects).size === ballot.projects.length &&
      countOk &&
      pointsOk &&
      categoriesOk &&
      costOk
    );
  }

  it('for random rules and ballots', () => {
    fc.assert(
      fc.property(caseArbitrary, ([rules, ballot]) => {
        expect(check(rules, ballot).ok).toBe(satisfies(rules, ballot));
      }),
      { numRuns: 2000 },
    );
  });
});
