import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tally, type TallyInput, type WinnerRule } from '#shared/domain/budget/tally.ts';
import { referenceAdd1, referenceEqualShares } from './support/reference-mes.ts';

interface SmallElection {
  costs: number[];
  approvals: number[][];
  categories: ('a' | 'b')[];
  budgets: { a: number; b: number };
}

function smallElection(maxCost: number, maxVoters: number, maxBudget: number): fc.Arbitrary<SmallElection> {
  return fc
    .record({
      costs: fc.array(fc.integer({ min: 1, max: maxCost }), { minLength: 1, maxLength: 6 }),
      approvals: fc.array(fc.uniqueArray(fc.nat({ max: 5 }), { maxLength: 4 }), { maxLength: maxVoters }),
      categories: fc.array(fc.constantFrom('a' as const, 'b' as const), { minLength: 6, maxLength: 6 }),
      budgets: fc.record({ a: fc.nat({ max: maxBudget }), b: fc.nat({ max: maxBudget }) }),
    })
    .map(({ costs, approvals, categories, budgets }) => ({
      costs,
      approvals: approvals.map((a) => a.filter((j) => j < costs.length)),
      categories: categories.slice(0, costs.length),
      budgets,
    }));
}

const ruleArbitrary: fc.Arbitrary<WinnerRule> = fc.oneof(
  fc.record({ name: fc.constant('greedy' as const), rankBy: fc.constant('votes' as const) }),
  fc.record({ name: fc.constant('greedy-no-skip' as const), rankBy: fc.constant('votes' as const) }),
  fc.record({ name: fc.constant('greedy-threshold' as const), rankBy: fc.constant('votes' as const), minimum: fc.nat({ max: 3 }) }),
  fc.record({
    name: fc.constant('equal-shares' as const),
    utility: fc.constantFrom('cost' as const, 'approval' as const),
    completion: fc.constantFrom('none' as const, 'add1' as const, 'add1-exhaustive' as const),
    comparison: fc.constantFrom('none' as const, 'greedy' as const),
  }),
);

/** Any rule; with a budget per category also a fixed number of winners per category. */
function ruleFor(split: boolean): fc.Arbitrary<WinnerRule> {
  if (!split) return ruleArbitrary;
  const settings = fc.record({ winners: fc.nat({ max: 3 }), minimum: fc.nat({ max: 3 }) });
  const fixedWinners = fc.record({
    name: fc.constant('fixed-winners-per-category' as const),
    rankBy: fc.constant('votes' as const),
    categories: fc.record({ a: settings, b: settings }),
  });
  return fc.oneof(ruleArbitrary, fixedWinners);
}

const ruleAndSplit = fc.boolean().chain((split) => fc.tuple(ruleFor(split), fc.constant(split)));

function input(election: SmallElection, rule: WinnerRule, split: boolean): TallyInput {
  return {
    ballotRules: { type: 'approval', projects: { min: 0 } },
    projects: election.costs.map((cost, j) => ({ id: `p${j}`, cost, category: election.categories[j]! })),
    ballots: election.approvals.map((a) => ({ projects: a.map((j) => `p${j}`) })),
    budget: split
      ? { perCategory: [{ category: 'a', amount: election.budgets.a }, { category: 'b', amount: election.budgets.b }] }
      : { total: election.budgets.a },
    rule,
  };
}

describe('tally properties', () => {
  it('winners never cost more than the budget, per category, and are distinct projects of their category', () => {
    fc.assert(
      fc.property(smallElection(30, 10, 60), ruleAndSplit, (election, [rule, split]) => {
        const tallyInput = input(election, rule, split);
        const result = tally(tallyInput);
        for (const category of result.categories) {
          expect(category.spent).toBeLessThanOrEqual(category.budget);
          expect(category.spent).toBe(category.winners.reduce((sum, w) => sum + w.cost, 0));
          for (const winner of category.winners) {
            const project = tallyInput.projects.find((p) => p.id === winner.projectId)!;
            if (category.category !== null) expect(project.category).toBe(category.category);
          }
        }
        expect(new Set(result.winners).size).toBe(result.winners.length);
        expect(result.totalCost).toBeLessThanOrEqual(election.budgets.a + (split ? election.budgets.b : 0));
      }),
      { numRuns: 400 },
    );
  });

  it('greedy never leaves out a project with votes that fits in the money left, and never funds one without', () => {
    fc.assert(
      fc.property(smallElection(30, 10, 60), fc.boolean(), (election, split) => {
        const result = tally(input(election, { name: 'greedy', rankBy: 'votes' }, split));
        for (const category of result.categories) {
          const left = category.budget - category.spent;
          const winners = new Set(category.winners.map((w) => w.projectId));
          for (const [j, cost] of election.costs.entries()) {
            const inCategory = category.category === null || election.categories[j] === category.category;
            const votes = result.counts.find((p) => p.projectId === `p${j}`)?.votes ?? 0;
            if (inCategory && winners.has(`p${j}`)) expect(votes).toBeGreaterThan(0);
            if (inCategory && !winners.has(`p${j}`) && votes > 0) expect(cost).toBeGreaterThan(left);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('re-running a tally gives the same result, whatever the order of the ballots; results are plain data', () => {
    fc.assert(
      fc.property(smallElection(30, 10, 60), ruleAndSplit, fc.nat(), (election, [rule, split], seed) => {
        const tallyInput = input(election, rule, split);
        const first = tally(tallyInput);
        expect(JSON.parse(JSON.stringify(first))).toEqual(first);
        expect(tally(structuredClone(tallyInput))).toEqual(first);
        const rotated = [...tallyInput.ballots];
        rotated.push(...rotated.splice(0, seed % Math.max(rotated.length, 1)));
        expect(tally({ ...tallyInput, ballots: rotated })).toEqual(first);
      }),
      { numRuns: 300 },
    );
  });
});

describe('Method of Equal Shares is exact: the fast engine agrees with a naive rational implementation', () => {
  /** Default MES tie-breaking: lower cost, more votes, list order. */
  function tieBreakOf(election: SmallElection) {
    const votes = election.costs.map((_, j) => election.approvals.filter((a) => a.includes(j)).length);
    return (a: number, b: number) => election.costs[a]! - election.costs[b]! || votes[b]! - votes[a]! || a - b;
  }

  function engineWinners(election: SmallElection, rule: WinnerRule): number[] {
    return tally(input(election, rule, false)).winners.map((id) => Number(id.slice(1)));
  }

  it('single runs with many ties and uneven shares (small integer costs)', () => {
    fc.assert(
      fc.property(smallElection(12, 9, 60), fc.constantFrom('cost' as const, 'approval' as const), (election, utility) => {
        const voters = election.approvals.length;
        fc.pre(voters > 0);
        const expected = referenceEqualShares(
          election.costs,
          election.approvals,
          { numerator: election.budgets.a, denominator: voters },
          utility,
          tieBreakOf(election),
        );
        expect(engineWinners(election, { name: 'equal-shares', utility, completion: 'none', comparison: 'none' })).toEqual(expected);
      }),
      { numRuns: 1500 },
    );
  });

  it('single runs with large costs and budgets (money far from round numbers)', () => {
    fc.assert(
      fc.property(smallElection(1_000_000, 25, 3_000_000), fc.constantFrom('cost' as const, 'approval' as const), (election, utility) => {
        const voters = election.approvals.length;
        fc.pre(voters > 0);
        const expected = referenceEqualShares(
          election.costs,
          election.approvals,
          { numerator: election.budgets.a, denominator: voters },
          utility,
          tieBreakOf(election),
        );
        expect(engineWinners(election, { name: 'equal-shares', utility, completion: 'none', comparison: 'none' })).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('Add1 and Add1-exhaustive', () => {
    fc.assert(
      fc.property(
        smallElection(12, 8, 50),
        fc.constantFrom('cost' as const, 'approval' as const),
        fc.constantFrom('add1' as const, 'add1-exhaustive' as const),
        (election, utility, completion) => {
          const expected = referenceAdd1(
            election.costs,
            election.approvals,
            election.budgets.a,
            utility,
            completion === 'add1-exhaustive',
            tieBreakOf(election),
          );
          expect(engineWinners(election, { name: 'equal-shares', utility, completion, comparison: 'none' })).toEqual(expected);
        },
      ),
      { numRuns: 500 },
    );
  });
});
