import { describe, expect, it } from 'vitest';
import { decideBallot } from '#shared/domain/budget-process/ballot.ts';
import { receiptOf } from '#shared/domain/budget-process/secrecy.ts';
import { at, project, ternopilBudget } from './fixtures.ts';

const budget = { ...ternopilBudget(), ballotRules: { type: 'approval' as const } };
const review = (feasible: boolean) => ({ feasible, reason: 'ok', finalCost: feasible ? 450_000 : null, reviewedAt: at(15).toISOString() });
const projects = [project(budget, { review: review(true) }), project(budget, { id: '2', ord: 2, review: review(false) })];
const ballotId = '0b9c3f2e-4d7a-4c1b-9e8f-1a2b3c4d5e6f';

describe('decideBallot: a ballot cast to a process (no status numbers: the HTTP layer maps a refusal)', () => {
  it('stores a valid ballot as choices, the receipt of its ballot id and the method only', () => {
    expect(decideBallot(budget, projects, { ballotId, ballot: { projects: ['1'] } }, 'code')).toEqual({
      ok: true,
      ballot: { receipt: receiptOf(ballotId), projects: ['1'], method: 'code' },
    });
  });

  it('refuses a ballot naming the first rule it breaks, against the projects on the ballot', () => {
    expect(decideBallot(budget, projects, { ballotId, ballot: { projects: ['2'] } }, 'internet')).toEqual({
      ok: false, rule: 'project-not-admitted', message: 'Project "2" was not admitted to the vote.',
    });
    expect(decideBallot(budget, projects, { ballotId, ballot: { projects: ['9'] } }, 'paper')).toMatchObject({ ok: false, rule: 'unknown-project' });
    expect(decideBallot(budget, projects, { ballotId, ballot: { projects: ['1'], points: [1] } }, 'paper')).toMatchObject({ ok: false, rule: 'points-not-expected' });
  });
});
