import { describe, expect, it } from 'vitest';
import { validateBallot } from '#shared/domain/budget/ballot.ts';
import {
  ballotProjects, checkProjectInput, projectStatus, projectView, reviewProject, updateImplementation,
} from '#shared/domain/budget-process/project.ts';
import { at, project, schoolBudget, ternopilBudget } from './fixtures.ts';

const budget = ternopilBudget();
const supported = project(budget, { supportCount: 15 });

describe('project lifecycle', () => {
  it('collects support, then awaits review, or runs out of support', () => {
    expect(projectStatus(budget, project(budget), at(1), null)).toBe('collecting-support');
    expect(projectStatus(budget, project(budget, { supportCount: 14 }), at(8), null)).toBe('collecting-support');
    expect(projectStatus(budget, supported, at(8), null)).toBe('awaiting-review');
    expect(projectStatus(budget, project(budget, { supportCount: 14 }), at(15), null)).toBe('insufficient-support');
    expect(projectStatus(budget, supported, at(15), null)).toBe('awaiting-review');
    expect(projectStatus(budget, supported, at(22), null)).toBe('not-reviewed');
    // Without required pre-support, a project awaits review straight away.
    expect(projectStatus(schoolBudget(), project(schoolBudget()), at(1), null)).toBe('awaiting-review');
  });

  it('review: in the review phase, with enough support; feasible needs a final cost within the category’s money', () => {
    expect(reviewProject(budget, supported, { feasible: true, reason: 'Feasible.', finalCost: 450_000 }, at(8))).toMatchObject({ ok: false, code: 'wrong-phase' });
    expect(reviewProject(budget, project(budget, { supportCount: 3 }), { feasible: true, reason: 'Feasible.', finalCost: 1 }, at(15))).toMatchObject({ ok: false, code: 'insufficient-support' });
    expect(reviewProject(budget, supported, { feasible: true, reason: 'Feasible.' }, at(15))).toMatchObject({ ok: false, code: 'final-cost-required' });
    expect(reviewProject(budget, supported, { feasible: true, reason: 'Feasible.', finalCost: 10_000_001 }, at(15))).toMatchObject({ ok: false, code: 'over-budget' });
    expect(reviewProject(budget, supported, { feasible: false, reason: 'Not city land.', finalCost: 5 }, at(15))).toMatchObject({ ok: false, code: 'final-cost-not-expected' });

    const admitted = reviewProject(budget, supported, { feasible: true, reason: 'Feasible.', finalCost: 450_000 }, at(15));
    expect(admitted.ok && admitted.value.review).toEqual({ feasible: true, reason: 'Feasible.', finalCost: 450_000, reviewedAt: at(15).toISOString() });
    const rejected = reviewProject(budget, supported, { feasible: false, reason: 'Not city land.' }, at(15));
    if (!admitted.ok || !rejected.ok) throw new Error('unreachable');
    expect(projectStatus(budget, rejected.value, at(22), null)).toBe('rejected');
    expect(projectStatus(budget, admitted.value, at(22), null)).toBe('admitted');
    expect(projectStatus(budget, admitted.value, at(40), new Set(['1']))).toBe('selected');
    expect(projectStatus(budget, admitted.value, at(40), new Set(['2']))).toBe('not-selected');
  });

  it('only admitted projects are on the ballot, at their final cost', () => {
    const admitted = { ...supported, review: { feasible: true, reason: 'ok', finalCost: 450_000, reviewedAt: at(15).toISOString() } };
    const rejected = { ...supported, id: '2', ord: 2, review: { feasible: false, reason: 'no', finalCost: null, reviewedAt: at(15).toISOString() } };
    const unreviewed = { ...supported, id: '3', ord: 3 };
    const onBallot = ballotProjects([admitted, rejected, unreviewed]);
    expect(onBallot).toEqual([
      { id: '1', cost: 450_000, category: 'small', admitted: true },
      { id: '2', cost: 500_000, category: 'small', admitted: false },
      { id: '3', cost: 500_000, category: 'small', admitted: false },
    ]);
    const rules = { type: 'approval' as const };
    expect(validateBallot(rules, onBallot, { projects: ['2'] })).toMatchObject({ ok: false, rule: 'project-not-admitted' });
    expect(validateBallot(rules, onBallot, { projects: ['1'] })).toMatchObject({ ok: true });
  });

  it('submission rules: a category from the budget, a cost within its money', () => {
    const input = { title: 'Лавки', description: 'Двадцять нових лавок у парку.', cost: 500_000 };
    expect(checkProjectInput(budget, input)).toMatchObject({ code: 'category-required' });
    expect(checkProjectInput(budget, { ...input, category: 'huge' })).toMatchObject({ code: 'unknown-category' });
    expect(checkProjectInput(budget, { ...input, category: 'small', cost: 10_000_001 })).toMatchObject({ code: 'over-budget' });
    expect(checkProjectInput(budget, { ...input, category: 'small' })).toBeUndefined();
    expect(checkProjectInput(schoolBudget(), { ...input, category: 'small' })).toMatchObject({ code: 'category-not-expected' });
    expect(checkProjectInput(schoolBudget(), { ...input, cost: 80_001 })).toMatchObject({ code: 'over-budget' });
  });

  it('implementation: winners only; completed is 100 % and final; cancelled needs a note', () => {
    const winner = { ...supported, review: { feasible: true, reason: 'ok', finalCost: 450_000, reviewedAt: at(15).toISOString() } };
    expect(updateImplementation(winner, false, { status: 'in-progress', progress: 10 }, at(70))).toMatchObject({ ok: false, code: 'not-a-winner' });
    expect(updateImplementation(winner, true, { status: 'completed', progress: 90 }, at(70))).toMatchObject({ ok: false, code: 'completed-below-100' });
    expect(updateImplementation(winner, true, { status: 'cancelled', progress: 0 }, at(70))).toMatchObject({ ok: false, code: 'cancelled-without-note' });
    const going = updateImplementation(winner, true, { status: 'in-progress', progress: 40, note: 'Tender won.' }, at(70));
    if (!going.ok) throw new Error(going.message);
    const done = updateImplementation(going.value, true, { status: 'completed', progress: 100 }, at(90));
    if (!done.ok) throw new Error(done.message);
    expect(updateImplementation(done.value, true, { status: 'in-progress', progress: 50 }, at(91))).toMatchObject({ ok: false, code: 'implementation-final' });
    const view = projectView(budget, done.value, at(91), new Set(['1']), { description: false });
    expect(view).toMatchObject({ status: 'selected', implementation: { status: 'completed', progress: 100 } });
    expect(view).not.toHaveProperty('description');
    expect(JSON.stringify(view)).not.toContain('author');
  });
});
