import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BallotProject, BallotRules } from '#shared/domain/budget/ballot.ts';
import { readPaperBallot } from '../../../web/src/console/budgets/paper-entry.ts';

/** What staff type from a paper ballot in the console, read as the ballot the API is sent. */
const projects: BallotProject[] = [
  { id: '1', cost: 600_000, category: 'large' },
  { id: '2', cost: 500_000, category: 'large' },
  { id: '3', cost: 100_000, category: 'small' },
  { id: '12', cost: 50_000, category: 'small' },
];
const approval: BallotRules = { type: 'approval', projects: { min: 1, max: 2 } };

describe('readPaperBallot', () => {
  it('reads numbers separated by spaces, commas or semicolons, with or without №, in the order typed', () => {
    expect(readPaperBallot('3 1', approval, projects)).toEqual({ ok: true, ballot: { projects: ['3', '1'] } });
    expect(readPaperBallot(' №12,  #3; ', approval, projects)).toEqual({ ok: true, ballot: { projects: ['12', '3'] } });
    const ordinal: BallotRules = { type: 'ordinal', minLength: 1, maxLength: 4 };
    expect(readPaperBallot('12 3 1 2', ordinal, projects)).toEqual({ ok: true, ballot: { projects: ['12', '3', '1', '2'] } });
  });

  it('names what is wrong with the typing: empty, not a number, a number not on the ballot, a number twice', () => {
    expect(readPaperBallot('  ', approval, projects)).toEqual({ ok: false, problem: { code: 'empty' } });
    expect(readPaperBallot('1 два', approval, projects)).toEqual({ ok: false, problem: { code: 'unreadable', token: 'два' } });
    expect(readPaperBallot('1 9', approval, projects)).toEqual({ ok: false, problem: { code: 'unknown', id: '9' } });
    expect(readPaperBallot('3 3', approval, projects)).toEqual({ ok: false, problem: { code: 'duplicate', id: '3' } });
    expect(readPaperBallot('1:2', approval, projects)).toEqual({ ok: false, problem: { code: 'points-not-expected' } });
  });

  it('refuses what the budget’s rules refuse, by the same check the API runs', () => {
    expect(readPaperBallot('1 2 3', approval, projects)).toEqual({ ok: false, problem: { code: 'rule', rule: 'too-many-projects' } });
    const ternopil: BallotRules = { type: 'approval', perCategory: { large: { min: 1, max: 1 }, small: { min: 1, max: 1 } } };
    expect(readPaperBallot('1 3', ternopil, projects).ok).toBe(true);
    expect(readPaperBallot('1 2', ternopil, projects)).toEqual({ ok: false, problem: { code: 'rule', rule: 'too-many-in-category' } });
    const knapsack: BallotRules = { type: 'knapsack', maxTotalCost: 1_000_000 };
    expect(readPaperBallot('1 2', knapsack, projects)).toEqual({ ok: false, problem: { code: 'rule', rule: 'over-cost-limit' } });
  });

  it('reads points as number:points on a points ballot', () => {
    const cumulative: BallotRules = { type: 'cumulative', maxSumPoints: 5 };
    expect(readPaperBallot('1:3 12=2', cumulative, projects)).toEqual({ ok: true, ballot: { projects: ['1', '12'], points: [3, 2] } });
    expect(readPaperBallot('1:3 2', cumulative, projects)).toEqual({ ok: false, problem: { code: 'points-missing' } });
    expect(readPaperBallot('1:4 2:2', cumulative, projects)).toEqual({ ok: false, problem: { code: 'rule', rule: 'too-many-points' } });
  });

  it('any choice of distinct projects, typed with any separators, reads back as exactly that choice', () => {
    const open: BallotRules = { type: 'ordinal', minLength: 1, maxLength: 4 };
    fc.assert(
      fc.property(
        fc.shuffledSubarray(projects.map((p) => p.id), { minLength: 1 }),
        fc.array(fc.constantFrom(' ', ', ', ';', '  ', '\t'), { minLength: 4, maxLength: 4 }),
        fc.boolean(),
        (ids, separators, numberSign) => {
          const text = ids.map((id, i) => `${numberSign ? '№' : ''}${id}${separators[i]}`).join('');
          expect(readPaperBallot(text, open, projects)).toEqual({ ok: true, ballot: { projects: ids } });
        },
      ),
    );
  });
});
