import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Answer } from '#shared/domain/consultations/answers.ts';
import { addResponse, emptyTally, RESULTS_COLUMNS, resultsOf, resultsRows } from '#shared/domain/consultations/results.ts';
import { toCsv } from '#shared/http/csv.ts';

const resultsCsv = (r: Parameters<typeof resultsRows>[0]) => toCsv(RESULTS_COLUMNS, resultsRows(r));
const RESULTS_CSV_HEADER = RESULTS_COLUMNS.join(',');
import { consultation, t0 } from './fixtures.ts';

const c = consultation();

function tallied(responses: Answer[][]) {
  const tally = emptyTally(c);
  for (const answers of responses) addResponse(tally, answers);
  return resultsOf(c, tally, { computedAt: t0, final: false });
}

const question = (results: ReturnType<typeof tallied>, id: string) => results.questions.find((q) => q.id === id)!;
const counts = (results: ReturnType<typeof tallied>, id: string) => Object.fromEntries(question(results, id).options!.map((o) => [o.id, o.count]));

describe('results', () => {
  const responses: Answer[][] = [
    [{ questionId: 'q-single', optionIds: ['yes'] }, { questionId: 'q-multiple', optionIds: ['benches', 'lights'] }, { questionId: 'q-ranked', optionIds: ['a', 'b', 'c'] }, { questionId: 'q-open', text: 'Shade' }],
    [{ questionId: 'q-single', optionIds: ['yes'] }, { questionId: 'q-multiple', optionIds: ['lights'] }, { questionId: 'q-ranked', optionIds: ['b', 'a', 'c'] }],
    [{ questionId: 'q-single', optionIds: ['no'] }, { questionId: 'q-multiple', optionIds: ['trees', 'lights'] }, { questionId: 'q-ranked', optionIds: ['c'] }],
  ];
  const results = tallied(responses);

  it('counts participants, and per question how many answered', () => {
    expect(results.participants).toBe(3);
    expect(results.questions.map((q) => [q.id, q.answered])).toEqual([['q-single', 3], ['q-multiple', 3], ['q-ranked', 3], ['q-open', 1]]);
  });

  it('counts each choice, in the order the council defined the options', () => {
    expect(counts(results, 'q-single')).toEqual({ yes: 2, no: 1 });
    expect(counts(results, 'q-multiple')).toEqual({ benches: 1, lights: 3, trees: 1 });
    expect(question(results, 'q-multiple').options!.map((o) => o.id)).toEqual(['benches', 'lights', 'trees']);
  });

  it('ranks by Borda count, says so, and counts first preferences; unranked options get no points', () => {
    const ranked = question(results, 'q-ranked');
    // a: 2+1+0 = 3, b: 1+2+0 = 3, c: 0+0+2 = 2
    expect(ranked.ranking).toMatchObject({
      method: 'borda-count',
      order: [{ optionId: 'a', points: 3, position: 1 }, { optionId: 'b', points: 3, position: 1 }, { optionId: 'c', points: 2, position: 3 }],
    });
    expect(ranked.ranking!.description).toMatch(/Borda/);
    expect(counts(results, 'q-ranked')).toEqual({ a: 1, b: 1, c: 1 });
  });

  it('publishes no text of an open question, only how many answered it', () => {
    expect(question(results, 'q-open')).toEqual({ id: 'q-open', type: 'open', text: 'Anything else?', answered: 1 });
    expect(JSON.stringify(results)).not.toContain('Shade');
  });

  it('empty: zero everywhere', () => {
    const none = tallied([]);
    expect(none.participants).toBe(0);
    expect(none.questions.every((q) => q.answered === 0 && (q.options ?? []).every((o) => o.count === 0))).toBe(true);
  });

  it('single and multiple choice counts are exactly the number of responses choosing each option', () => {
    const choiceAnswers = fc.tuple(fc.constantFrom('yes', 'no'), fc.subarray(['benches', 'lights', 'trees'], { minLength: 1, maxLength: 2 }));
    fc.assert(fc.property(fc.array(choiceAnswers, { maxLength: 60 }), (picks) => {
      const r = tallied(picks.map(([single, multiple]) => [{ questionId: 'q-single', optionIds: [single] }, { questionId: 'q-multiple', optionIds: multiple }]));
      expect(r.participants).toBe(picks.length);
      expect(counts(r, 'q-single').yes).toBe(picks.filter(([s]) => s === 'yes').length);
      for (const option of ['benches', 'lights', 'trees']) expect(counts(r, 'q-multiple')[option]).toBe(picks.filter(([, m]) => m.includes(option)).length);
    }));
  });

  it('exports one CSV row per option and per open question, safe to open in a spreadsheet', () => {
    const withFormula = consultation({ questions: [{ id: 'q', type: 'single', text: 'Pick, "one"', options: [{ id: 'x', text: '=HYPERLINK("evil")' }, { id: 'y', text: 'Y' }] }] });
    const tally = emptyTally(withFormula);
    addResponse(tally, [{ questionId: 'q', optionIds: ['x'] }]);
    const lines = resultsCsv(resultsOf(withFormula, tally, { computedAt: t0, final: true })).trimEnd().split('\n');
    expect(lines[0]).toBe(RESULTS_CSV_HEADER);
    expect(lines[1]).toBe(`c1,1,q,single,"Pick, ""one""",1,x,"'=HYPERLINK(""evil"")",1,,`);
    expect(resultsCsv(results).trimEnd().split('\n')).toHaveLength(1 + 2 + 3 + 3 + 1);
    expect(resultsCsv(results)).toContain('c1,3,q-ranked,ranked,Rank the priorities,3,c,C,1,2,3');
  });
});
