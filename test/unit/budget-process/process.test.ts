import { describe, expect, it } from 'vitest';
import { ukStyle } from '#shared/domain/community.ts';
import {
  ballotsHaveSettled, BALLOTS_SETTLE_MS, budgetLimitOf, budgetView, newBudgetProcess, phaseEnds, phaseOf, votingHasClosed,
} from '#shared/domain/budget-process/process.ts';
import { at, iso, NOW, schoolBudget, ternopilBudget, ternopilInput } from './fixtures.ts';

describe('phases follow the dates', () => {
  const budget = ternopilBudget();

  it('upcoming, submission, pre-support, review, voting, results, implementation', () => {
    expect(phaseOf(budget, at(-2))).toBe('upcoming');
    expect(phaseOf(budget, at(0))).toBe('submission');
    expect(phaseOf(budget, at(7))).toBe('pre-support'); // a phase starts at its instant
    expect(phaseOf(budget, new Date(at(7).getTime() - 1))).toBe('submission');
    expect(phaseOf(budget, at(15))).toBe('review');
    expect(phaseOf(budget, at(21))).toBe('voting');
    expect(phaseOf(budget, at(35))).toBe('results'); // voting closes the instant results start
    expect(phaseOf(budget, at(400))).toBe('implementation');
  });

  it('a budget without pre-support goes from submission to review; each phase says when it ends', () => {
    const school = schoolBudget();
    expect(school.schedule.preSupport).toBeNull();
    expect(phaseOf(school, at(10))).toBe('submission');
    expect(phaseEnds(school, 'submission')).toBe(iso(14));
    expect(phaseEnds(budget, 'submission')).toBe(iso(7));
    expect(phaseEnds(budget, 'voting')).toBe(iso(35));
    expect(phaseEnds(budget, 'implementation')).toBeNull();
    expect(budgetView(budget, at(22))).toMatchObject({ phase: 'voting', phaseEndsAt: iso(35) });
  });

  it('voting closes at the results instant; ballots settle a minute later', () => {
    expect(votingHasClosed(budget, new Date(at(35).getTime() - 1))).toBe(false);
    expect(votingHasClosed(budget, at(35))).toBe(true);
    expect(ballotsHaveSettled(budget, new Date(at(35).getTime() + BALLOTS_SETTLE_MS - 1))).toBe(false);
    expect(ballotsHaveSettled(budget, new Date(at(35).getTime() + BALLOTS_SETTLE_MS))).toBe(true);
  });
});

describe('creating a budget', () => {
  it("stores Ternopil's defaults (16+, 15 supporters), the money per category and the rule with its tie-breaking spelled out", () => {
    const budget = ternopilBudget();
    expect(budget.eligibility).toEqual({ method: 'account', minAge: 16 });
    expect(budget.preSupport).toEqual({ required: 15 });
    expect(budgetLimitOf(budget.money)).toEqual({ perCategory: [{ category: 'large', amount: 20_000_000 }, { category: 'small', amount: 10_000_000 }] });
    expect(budget.rule.tieBreaking).toEqual(['list-order']);
    expect(budget).toMatchObject({ origin: null, resultsPublishedAt: null, countingStartedAt: null, projectCount: 0, createdAt: NOW.toISOString() });
    const mes = ternopilBudget({ money: { total: 1_000_000 }, ballotRules: { type: 'approval' }, rule: { name: 'equal-shares', utility: 'cost', completion: 'add1', comparison: 'none' } });
    expect(mes.rule.tieBreaking).toEqual(['lower-cost', 'more-votes', 'list-order']);
    const lot = ternopilBudget({ rule: { name: 'fixed-winners-per-category', rankBy: 'votes', categories: { large: { winners: 1, minimum: 0 }, small: { winners: 1, minimum: 0 } }, tieBreaking: [{ lot: ['3', '1'] }] } });
    expect(lot.rule.tieBreaking).toEqual([{ lot: ['3', '1'] }, 'list-order']);
  });

  it('takes explicit eligibility and pre-support over the defaults; a community without budget rules gets 16 and none', () => {
    expect(ternopilBudget({ eligibility: { minAge: 18 }, preSupport: { required: 30 } })).toMatchObject({ eligibility: { minAge: 18 }, preSupport: { required: 30 } });
    const elsewhere = newBudgetProcess(ternopilInput({ community: ukStyle, schedule: { ...ternopilInput().schedule, preSupport: null } }), NOW);
    expect(elsewhere.ok && elsewhere.value).toMatchObject({ eligibility: { minAge: 16 }, preSupport: { required: 0 } });
  });

  it('a school budget is voted with codes and has no pre-support', () => {
    expect(schoolBudget()).toMatchObject({ kind: 'school', schoolId: 'school-5', eligibility: { method: 'school-code' }, preSupport: { required: 0 } });
  });

  const refusals: [string, Parameters<typeof ternopilInput>[0], string][] = [
    ['school without its school', { kind: 'school', schedule: { ...ternopilInput().schedule, preSupport: null } }, 'school-id-required'],
    ['public with a school', { schoolId: 'x' }, 'school-id-not-expected'],
    ['school with pre-support', { kind: 'school', schoolId: 's', students: 300 }, 'school-without-pre-support'],
    ['school without its number of students', { kind: 'school', schoolId: 's', schedule: { ...ternopilInput().schedule, preSupport: null } }, 'students-required'],
    ['students on a public budget', { students: 300 }, 'students-not-expected'],
    ['a minimum age of 0, below Ternopil’s legal 16', { eligibility: { minAge: 0 } }, 'min-age-below-legal'],
    ['a minimum age of 15', { eligibility: { minAge: 15 } }, 'min-age-below-legal'],
    ['a paper-count window ending before voting closes', { schedule: { ...ternopilInput().schedule, paperCountEnds: iso(34) } }, 'paper-count-out-of-order'],
    ['a paper-count window after implementation starts', { schedule: { ...ternopilInput().schedule, paperCountEnds: iso(61) } }, 'paper-count-out-of-order'],
    ['categories not adding up', { money: { total: 1, categories: [{ id: 'a', name: 'A', amount: 2 }] } }, 'categories-do-not-add-up'],
    ['a category twice', { money: { total: 2, categories: [{ id: 'a', name: 'A', amount: 1 }, { id: 'a', name: 'B', amount: 1 }] } }, 'duplicate-category'],
    ['phases out of order', { schedule: { ...ternopilInput().schedule, review: iso(30) } }, 'schedule-out-of-order'],
    ['voting without time', { schedule: { ...ternopilInput().schedule, results: iso(21) } }, 'voting-without-time'],
    ['voting closed already', { schedule: { submission: iso(-40), preSupport: iso(-30), review: iso(-20), voting: iso(-10), results: iso(-1), implementation: iso(1) } }, 'voting-closed-already'],
    ['pre-support phase without threshold', { preSupport: { required: 0 } }, 'pre-support-phase-without-threshold'],
    ['ballot naming an unknown category', { ballotRules: { type: 'approval', perCategory: { huge: { max: 1 } } } }, 'ballot-unknown-category'],
    ['ballot min above max', { ballotRules: { type: 'approval', projects: { min: 3, max: 2 } } }, 'ballot-min-above-max'],
    ['knapsack over the budget', { ballotRules: { type: 'knapsack', maxTotalCost: 40_000_000 } }, 'ballot-cost-limit-above-budget'],
    ['ordinal points too short', { ballotRules: { type: 'ordinal', minLength: 1, maxLength: 3, pointsByPosition: [3, 2] } }, 'ballot-points-by-position-short'],
    ['per-category rule without categories', { money: { total: 5 }, ballotRules: { type: 'approval' } }, 'rule-needs-categories'],
    ['per-category rule missing a category', { rule: { name: 'fixed-winners-per-category', rankBy: 'votes', categories: { large: { winners: 1, minimum: 0 } } } }, 'rule-category-missing'],
    ['MES on ordinal ballots', { ballotRules: { type: 'ordinal', minLength: 1, maxLength: 3 }, rule: { name: 'equal-shares', utility: 'cost', completion: 'add1', comparison: 'none' } }, 'rule-needs-approval-ballots'],
  ];
  it.each(refusals)('refuses %s, naming the rule', (_, overrides, code) => {
    const decision = newBudgetProcess(ternopilInput(overrides), NOW);
    expect(decision).toMatchObject({ ok: false, code });
  });
});
