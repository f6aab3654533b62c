/**
 * Small hand-made elections for the rules and ballot types the real files do not cover. Every
 * expected outcome was worked out by hand; the working is in the comments.
 */
import { describe, expect, it } from 'vitest';
import { validateBallot, type Ballot, type BallotRules } from '#shared/domain/budget/ballot.ts';
import {
  tally,
  TallyInputError,
  type EqualSharesRule,
  type TallyInput,
  type TallyProject,
  type WinnerRule,
} from '#shared/domain/budget/tally.ts';
import { ballots } from './support/elections.ts';

const APPROVAL: BallotRules = { type: 'approval' };

function mes(completion: EqualSharesRule['completion'], extra: Partial<EqualSharesRule> = {}): EqualSharesRule {
  return { name: 'equal-shares', utility: 'cost', completion, comparison: 'none', ...extra };
}

function run(projects: TallyProject[], cast: Ballot[], budget: number, rule: WinnerRule, ballotRules = APPROVAL) {
  return tally({ ballotRules, projects, ballots: cast, budget: { total: budget }, rule });
}

describe('greedy family', () => {
  // A costs 60 (10 votes), B 50 (8 votes), C 30 (5 votes); budget 100.
  const projects = [
    { id: 'A', cost: 60 },
    { id: 'B', cost: 50 },
    { id: 'C', cost: 30 },
  ];
  const cast = ballots([
    [10, ['A']],
    [8, ['B']],
    [5, ['C']],
  ]);

  it('greedy funds no project nobody voted for, even with money left (any greedy rule, even a threshold of 0)', () => {
    // A 60 (10 votes), D 20 (no votes); budget 100: A, and D stays unfunded with 40 left.
    const withUnvoted = [...projects, { id: 'D', cost: 20 }];
    for (const rule of [
      { name: 'greedy', rankBy: 'votes' },
      { name: 'greedy', rankBy: 'score' },
      { name: 'greedy-no-skip', rankBy: 'votes' },
      { name: 'greedy-threshold', rankBy: 'votes', minimum: 0 },
    ] as const satisfies readonly WinnerRule[]) {
      const result = run(withUnvoted, ballots([[10, ['A']]]), 100, rule);
      expect(result.winners, rule.name).toEqual(['A']);
      const explanation = result.categories[0]!.explanation;
      expect(explanation.kind === 'greedy' && explanation.decisions.find((d) => d.projectId === 'D')?.decision).toBe('no-votes');
    }
  });

  it('greedy skips what does not fit: A (40 left), B does not fit, C fits', () => {
    const result = run(projects, cast, 100, { name: 'greedy', rankBy: 'votes' });
    expect(result.winners).toEqual(['A', 'C']);
    expect(result.totalCost).toBe(90);
    expect(result.categories[0]!.explanation).toEqual({
      kind: 'greedy',
      decisions: [
        { projectId: 'A', decision: 'selected' },
        { projectId: 'B', decision: 'does-not-fit' },
        { projectId: 'C', decision: 'selected' },
      ],
    });
  });

  it('greedy-no-skip stops at B, the first project that does not fit, so C is not funded', () => {
    const result = run(projects, cast, 100, { name: 'greedy-no-skip', rankBy: 'votes' });
    expect(result.winners).toEqual(['A']);
    expect(result.categories[0]!.explanation).toMatchObject({
      decisions: [{ decision: 'selected' }, { decision: 'does-not-fit' }, { projectId: 'C', decision: 'after-stop' }],
    });
  });

  it('greedy-threshold with minimum 6: C (5 votes) is not eligible although it fits', () => {
    const result = run(projects, cast, 100, { name: 'greedy-threshold', rankBy: 'votes', minimum: 6 });
    expect(result.winners).toEqual(['A']);
    expect(result.categories[0]!.explanation).toMatchObject({ decisions: [{}, {}, { projectId: 'C', decision: 'below-minimum' }] });
  });
});

describe('fixed number of winners per category (Ternopil 2026: one project per ballot)', () => {
  // Small category: 200 of money, at most 2 winners, at least 300 votes.
  // Large category: 1000 of money, at most 1 winner, at least 500 votes.
  const projects: TallyProject[] = [
    { id: 'S1', cost: 100, category: 'small' },
    { id: 'S2', cost: 150, category: 'small' },
    { id: 'S3', cost: 100, category: 'small' },
    { id: 'S4', cost: 50, category: 'small' },
    { id: 'L1', cost: 800, category: 'large' },
    { id: 'L2', cost: 600, category: 'large' },
    { id: 'L3', cost: 100, category: 'large' },
  ];
  const votes: [string, number][] = [['S1', 450], ['S2', 320], ['S3', 310], ['S4', 200], ['L1', 700], ['L2', 650], ['L3', 400]];
  const input: TallyInput = {
    ballotRules: { type: 'choose-1' },
    projects,
    ballots: ballots(votes.map(([id, n]) => [n, [id]] as const)),
    budget: { perCategory: [{ category: 'small', amount: 200 }, { category: 'large', amount: 1000 }] },
    rule: {
      name: 'fixed-winners-per-category',
      rankBy: 'votes',
      categories: { small: { winners: 2, minimum: 300 }, large: { winners: 1, minimum: 500 } },
    },
  };

  it('every ballot chooses exactly one project', () => {
    expect(input.ballots.every((b) => validateBallot(input.ballotRules, projects, b).ok)).toBe(true);
  });

  it('small: S1 (100 left), S2 does not fit, S3 fits and fills the 2 places, S4 below 300; large: L1, then the limit', () => {
    const result = tally(input);
    expect(result.winners).toEqual(['S1', 'S3', 'L1']);
    expect(result.categories.map((c) => [c.category, c.budget, c.spent])).toEqual([
      ['small', 200, 200],
      ['large', 1000, 800],
    ]);
    expect(result.categories[0]!.winners).toEqual([
      { projectId: 'S1', cost: 100, votes: 450, score: 450 },
      { projectId: 'S3', cost: 100, votes: 310, score: 310 },
    ]);
    expect(result.categories[1]!.explanation).toEqual({
      kind: 'greedy',
      decisions: [
        { projectId: 'L1', decision: 'selected' },
        { projectId: 'L2', decision: 'winners-limit-reached' },
        { projectId: 'L3', decision: 'below-minimum' },
      ],
    });
  });

  it('plain greedy on the same category budgets would also fund L3 (fits the 200 left in large)', () => {
    const result = tally({ ...input, rule: { name: 'greedy', rankBy: 'votes' } });
    expect(result.winners).toEqual(['S1', 'S3', 'L1', 'L3']);
  });
});

describe('Method of Equal Shares', () => {
  // Budget 30, 3 voters: v1 and v2 approve X and Y, v3 approves X and Z. X 12, Y 15, Z 9.
  const projects = [
    { id: 'X', cost: 12 },
    { id: 'Y', cost: 15 },
    { id: 'Z', cost: 9 },
  ];
  const cast = ballots([
    [2, ['X', 'Y']],
    [1, ['X', 'Z']],
  ]);

  it('without completion: 10 each; X costs 4 each (price 4/12); then Y has 12 < 15 behind it and Z 6 < 9', () => {
    const result = run(projects, cast, 30, mes('none'));
    expect(result.winners).toEqual(['X']);
    expect(result.categories[0]!.explanation).toMatchObject({ voters: 3, perVoterBudget: { numerator: 10, denominator: 1 }, add1Steps: 0 });
  });

  it('keeps the exact per-voter share when the budget does not divide: 31 / 3', () => {
    const result = run(projects, cast, 31, mes('none'));
    expect(result.winners).toEqual(['X']); // 19/3 left each: Y has 38/3 < 15, Z 19/3 < 9
    expect(result.categories[0]!.explanation).toMatchObject({ perVoterBudget: { numerator: 31, denominator: 3 } });
  });

  it('Add1: 11 each still buys only X; 12 each leaves 8, 8, 8 and Y (16 >= 15) is bought; 13 would also buy Z (36 > 30)', () => {
    const result = run(projects, cast, 30, mes('add1'));
    expect(result.winners).toEqual(['X', 'Y']);
    expect(result.totalCost).toBe(27);
    expect(result.categories[0]!.explanation).toMatchObject({ perVoterBudget: { numerator: 12, denominator: 1 }, add1Steps: 2 });
  });

  it('approval utility differs from cost utility', () => {
    // Budget 100, 50 each: v1 approves P (60) and Q (25), v2 approves P.
    // Approval utility, price = rho: Q (25) before P (30); v1 then has 25 < 30 and pays 25, v2 pays 35.
    // Cost utility, price = rho / cost: P (30/60) before Q (25/25); v1 is left with 20 < 25 for Q.
    const pq = [
      { id: 'P', cost: 60 },
      { id: 'Q', cost: 25 },
    ];
    const cast2 = ballots([
      [1, ['P', 'Q']],
      [1, ['P']],
    ]);
    expect(run(pq, cast2, 100, mes('none', { utility: 'approval' })).winners).toEqual(['Q', 'P']);
    expect(run(pq, cast2, 100, mes('none', { utility: 'cost' })).winners).toEqual(['P']);
  });

  describe('add1 and add1-exhaustive differ', () => {
    // Budget 40, 4 voters: a approves X; s approves X and Y; t1, t2 approve Y. X costs 20, Y 33.
    // 10 each: X (2 supporters, 20) is affordable, Y (3 supporters, 30 < 33) is not. Outcome {X},
    //   20 left < 33: exhaustive, so add1-exhaustive stops here.
    // 11 each: Y (33 with 3 supporters, price 1/3) now beats X (price 1/2); it empties s, t1, t2,
    //   and X has only a's 11 behind it. Outcome {Y}, 33 <= 40: add1 keeps it, and so on up to
    //   15 each (X has 15 + 4 = 19 < 20). At 16 each X is bought too: 53 > 40, so add1 stops at 15.
    const projects2 = [
      { id: 'X', cost: 20 },
      { id: 'Y', cost: 33 },
    ];
    const cast2 = ballots([
      [1, ['X']],
      [1, ['X', 'Y']],
      [2, ['Y']],
    ]);

    it('add1 goes past the exhaustive outcome and keeps the last that fits: {Y} at 15 per voter', () => {
      const result = run(projects2, cast2, 40, mes('add1'));
      expect(result.winners).toEqual(['Y']);
      expect(result.categories[0]!.explanation).toMatchObject({ perVoterBudget: { numerator: 15, denominator: 1 }, add1Steps: 5 });
    });

    it('add1-exhaustive stops at the first exhaustive outcome: {X} at 10 per voter', () => {
      const result = run(projects2, cast2, 40, mes('add1-exhaustive'));
      expect(result.winners).toEqual(['X']);
      expect(result.categories[0]!.explanation).toMatchObject({ perVoterBudget: { numerator: 10, denominator: 1 }, add1Steps: 0 });
    });
  });

  describe('add1 with the comparison step', () => {
    const abc = [
      { id: 'A', cost: 50 },
      { id: 'B', cost: 50 },
      { id: 'C', cost: 50 },
    ];

    it('takes greedy when strictly more voters fund more of their projects under it (6 against 4)', () => {
      // 6 voters approve A and B, 4 approve C; budget 100.
      // MES + Add1: A first (6 supporters; B ties and loses on list order); C becomes affordable
      //   at 13 each (52 >= 50); at 17 each B is bought too (150 > 100), so {A, C} at 16 each.
      // Greedy by votes: A (6), B (6): {A, B}.
      // The 6 fund 2 projects under greedy, 1 under MES; the 4 fund 0 under greedy, 1 under MES.
      const result = run(abc, ballots([[6, ['A', 'B']], [4, ['C']]]), 100, mes('add1', { comparison: 'greedy' }));
      expect(result.winners).toEqual(['A', 'B']);
      expect(result.categories[0]!.explanation).toMatchObject({
        equalSharesWinners: ['A', 'C'],
        perVoterBudget: { numerator: 16, denominator: 1 },
        comparison: { greedyWinners: ['A', 'B'], prefersEqualShares: 4, prefersGreedy: 6, chosen: 'greedy' },
      });
    });

    it('keeps MES when greedy is not strictly preferred (5 against 5)', () => {
      // 5 approve A and B, 5 approve C. All three tie at price 1/5; list order picks A, then C.
      const result = run(abc, ballots([[5, ['A', 'B']], [5, ['C']]]), 100, mes('add1', { comparison: 'greedy' }));
      expect(result.winners).toEqual(['A', 'C']);
      expect(result.categories[0]!.explanation).toMatchObject({
        comparison: { greedyWinners: ['A', 'B'], prefersEqualShares: 5, prefersGreedy: 5, chosen: 'equal-shares' },
      });
    });
  });

  it('counts each category with its own money (5 each could buy B with the other category’s money, but not its own)', () => {
    // 2 voters approve A (category a, budget 10) and B (category b, budget 5; B costs 6).
    // Category b: 2 each buys nothing; 3 each buys B for 6 > 5, so Add1 keeps nothing.
    const result = tally({
      ballotRules: APPROVAL,
      projects: [
        { id: 'A', cost: 10, category: 'a' },
        { id: 'B', cost: 6, category: 'b' },
      ],
      ballots: ballots([[2, ['A', 'B']]]),
      budget: { perCategory: [{ category: 'a', amount: 10 }, { category: 'b', amount: 5 }] },
      rule: mes('add1'),
    });
    expect(result.winners).toEqual(['A']);
    expect(result.categories.map((c) => c.spent)).toEqual([10, 0]);
  });
});

describe('ballot types', () => {
  it('cumulative: greedy by score and by votes differ', () => {
    // Up to 10 points, at most 6 per project. Scores: A 6+4 = 10, B 4+5 = 9, C 5+6 = 11; 2 votes each.
    // Budget 100, A 50, B 40, C 60. By score: C (40 left), A does not fit, B fits.
    // By votes all tie at 2, so list order: A, B (10 left), C does not fit.
    const rules: BallotRules = { type: 'cumulative', maxSumPoints: 10, maxPointsPerProject: 6 };
    const projects = [
      { id: 'A', cost: 50 },
      { id: 'B', cost: 40 },
      { id: 'C', cost: 60 },
    ];
    const cast: Ballot[] = [
      { projects: ['A', 'B'], points: [6, 4] },
      { projects: ['B', 'C'], points: [5, 5] },
      { projects: ['C', 'A'], points: [6, 4] },
    ];
    expect(cast.every((b) => validateBallot(rules, projects, b).ok)).toBe(true);
    const byScore = run(projects, cast, 100, { name: 'greedy', rankBy: 'score' }, rules);
    expect(byScore.winners).toEqual(['C', 'B']);
    expect(byScore.counts.map((c) => c.score)).toEqual([10, 9, 11]);
    expect(run(projects, cast, 100, { name: 'greedy', rankBy: 'votes' }, rules).winners).toEqual(['A', 'B']);
  });

  it('knapsack: a ballot over the cost limit is rejected; the valid ones are counted as approvals', () => {
    // Limit 100; A 60, B 50, C 40. {A, B} costs 110. Valid: {A, C}, {B, C}: C 2 votes, A and B 1.
    // Greedy by votes, budget 100: C (60 left), A (tie with B, first on the list) fits, B does not.
    const rules: BallotRules = { type: 'knapsack', maxTotalCost: 100 };
    const projects = [
      { id: 'A', cost: 60 },
      { id: 'B', cost: 50 },
      { id: 'C', cost: 40 },
    ];
    const cast: Ballot[] = [{ projects: ['A', 'C'] }, { projects: ['B', 'C'] }, { projects: ['A', 'B'] }];
    const checked = cast.map((b) => validateBallot(rules, projects, b));
    expect(checked.map((c) => (c.ok ? 'ok' : c.rule))).toEqual(['ok', 'ok', 'over-cost-limit']);
    const valid = checked.flatMap((c) => (c.ok ? [c.ballot] : []));
    expect(run(projects, valid, 100, { name: 'greedy', rankBy: 'votes' }, rules).winners).toEqual(['C', 'A']);
  });

  it('ordinal: the points per position decide between A and D', () => {
    // Six voters rank B, C, A; one ranks D, B, C; one ranks B, D, C. Budget 70: B 10, C 10, A 50, D 50.
    // Default 3-2-1: A = 6 x 1 = 6, D = 3 + 2 = 5, so B, C, A.
    // 5-3-1: A = 6 x 1 = 6, D = 5 + 3 = 8, so B, C, D.
    const projects = [
      { id: 'A', cost: 50 },
      { id: 'B', cost: 10 },
      { id: 'C', cost: 10 },
      { id: 'D', cost: 50 },
    ];
    const cast = ballots([
      [6, ['B', 'C', 'A']],
      [1, ['D', 'B', 'C']],
      [1, ['B', 'D', 'C']],
    ]);
    const borda: BallotRules = { type: 'ordinal', minLength: 3, maxLength: 3 };
    const fiveThreeOne: BallotRules = { type: 'ordinal', minLength: 3, maxLength: 3, pointsByPosition: [5, 3, 1] };
    const rule: WinnerRule = { name: 'greedy', rankBy: 'score' };
    expect(run(projects, cast, 70, rule, borda).winners).toEqual(['B', 'C', 'A']);
    expect(run(projects, cast, 70, rule, fiveThreeOne).winners).toEqual(['B', 'C', 'D']);
  });
});

describe('tie-breaking is explicit and stored', () => {
  const tied = [
    { id: 'P1', cost: 60 },
    { id: 'P2', cost: 40 },
  ];
  const cast = ballots([[3, ['P1', 'P2']]]);

  it('greedy keeps the list order for exact ties by default', () => {
    const result = run(tied, cast, 60, { name: 'greedy', rankBy: 'votes' });
    expect(result.winners).toEqual(['P1']);
    expect(result.parameters.rule.tieBreaking).toEqual(['list-order']);
  });

  it('a lot drawn before counting, or lower cost, can be configured', () => {
    expect(run(tied, cast, 60, { name: 'greedy', rankBy: 'votes', tieBreaking: [{ lot: ['P2', 'P1'] }] }).winners).toEqual(['P2']);
    const byCost = run(tied, cast, 60, { name: 'greedy', rankBy: 'votes', tieBreaking: ['lower-cost'] });
    expect(byCost.winners).toEqual(['P2']);
    expect(byCost.parameters.rule.tieBreaking).toEqual(['lower-cost', 'list-order']);
  });

  it('MES breaks equal prices by lower cost by default', () => {
    // 2 voters, 12 each, both approve Q1 (20) and Q2 (10): prices 10/20 = 5/10, a tie.
    // Lower cost: Q2 first (7 left each, 14 < 20 for Q1). List order: Q1 first (2 left each).
    const qs = [
      { id: 'Q1', cost: 20 },
      { id: 'Q2', cost: 10 },
    ];
    const both = ballots([[2, ['Q1', 'Q2']]]);
    expect(run(qs, both, 24, mes('none')).winners).toEqual(['Q2']);
    expect(run(qs, both, 24, mes('none', { tieBreaking: ['list-order'] })).winners).toEqual(['Q1']);
  });
});

describe('results', () => {
  it('are plain data: JSON round-trips them unchanged', () => {
    const result = run(
      [
        { id: 'A', cost: 5 },
        { id: 'B', cost: 7 },
      ],
      ballots([[3, ['A']], [2, ['A', 'B']]]),
      10,
      mes('add1', { comparison: 'greedy' }),
    );
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('record the ballot rules, budget and the resolved rule', () => {
    const result = run([{ id: 'A', cost: 5 }], ballots([[1, ['A']]]), 10, mes('add1'));
    expect(result.parameters).toEqual({
      ballotRules: APPROVAL,
      budget: { total: 10 },
      rule: { ...mes('add1'), tieBreaking: ['lower-cost', 'more-votes', 'list-order'] },
    });
  });
});

describe('tally rejects inconsistent input', () => {
  const base: TallyInput = {
    ballotRules: APPROVAL,
    projects: [{ id: 'A', cost: 5 }],
    ballots: [{ projects: ['A'] }],
    budget: { total: 10 },
    rule: { name: 'greedy', rankBy: 'votes' },
  };
  const cases: [string, Partial<TallyInput>, RegExp][] = [
    ['unknown project on a ballot', { ballots: [{ projects: ['Z'] }] }, /ballot 1 names unknown project "Z"/],
    ['project twice on a ballot', { ballots: [{ projects: ['A', 'A'] }] }, /ballot 1 names project "A" twice/],
    ['zero cost', { projects: [{ id: 'A', cost: 0 }] }, /must cost a whole positive amount/],
    ['repeated project id', { projects: [{ id: 'A', cost: 5 }, { id: 'A', cost: 6 }] }, /repeated/],
    ['project outside the budget categories', { budget: { perCategory: [{ category: 'x', amount: 5 }] } }, /no budget category among x/],
    ['fixed winners without category budgets', { rule: { name: 'fixed-winners-per-category', rankBy: 'votes', categories: {} } }, /needs a budget per category/],
    ['ordinal ballot longer than the maximum', { ballotRules: { type: 'ordinal', minLength: 1, maxLength: 1 }, projects: [{ id: 'A', cost: 5 }, { id: 'B', cost: 5 }], ballots: [{ projects: ['A', 'B'] }] }, /ballot 1 ranks 2 projects, more than the maximum of 1/],
    ['MES on ordinal ballots', { ballotRules: { type: 'ordinal', minLength: 1, maxLength: 1 }, rule: mes('none') }, /approval-type ballots, not ordinal/],
    ['fractional budget', { budget: { total: 10.5 } }, /not a whole non-negative amount/],
  ];
  it.each(cases)('%s', (_, change, message) => {
    expect(() => tally({ ...base, ...change })).toThrow(TallyInputError);
    expect(() => tally({ ...base, ...change })).toThrow(message);
  });
});
