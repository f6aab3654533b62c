import { describe, expect, it } from 'vitest';
import { checkAnswers, type Answer } from '#shared/domain/consultations/answers.ts';
import { consultation } from './fixtures.ts';

const { questions } = consultation();
const valid: Answer[] = [
  { questionId: 'q-single', optionIds: ['yes'] },
  { questionId: 'q-multiple', optionIds: ['benches', 'trees'] },
  { questionId: 'q-ranked', optionIds: ['c', 'a', 'b'] },
  { questionId: 'q-open', text: 'More shade, please.' },
];
const replacing = (questionId: string, answer: Partial<Answer> | undefined) =>
  valid.flatMap((a) => (a.questionId !== questionId ? [a] : answer ? [{ questionId, ...answer }] : []));

describe('answers', () => {
  it('accepts answers keeping every rule, an optional question left out, and a partial ranking', () => {
    expect(checkAnswers(questions, valid)).toBeUndefined();
    expect(checkAnswers(questions, replacing('q-open', undefined))).toBeUndefined();
    expect(checkAnswers(questions, replacing('q-ranked', { optionIds: ['b'] }))).toBeUndefined();
  });

  it.each([
    ['unknown-question', [...valid, { questionId: 'q-nope', optionIds: ['yes'] }]],
    ['duplicate-answer', [...valid, { questionId: 'q-single', optionIds: ['no'] }]],
    ['answer-required', replacing('q-multiple', undefined)],
    ['options-expected', replacing('q-single', { text: 'yes' })],
    ['text-expected', replacing('q-open', { optionIds: ['yes'] })],
    ['unknown-option', replacing('q-single', { optionIds: ['maybe'] })],
    ['duplicate-option', replacing('q-ranked', { optionIds: ['a', 'a'] })],
    ['no-choice', replacing('q-multiple', { optionIds: [] })],
    ['single-choice', replacing('q-single', { optionIds: ['yes', 'no'] })],
    ['too-many-choices', replacing('q-multiple', { optionIds: ['benches', 'lights', 'trees'] })],
  ])('refuses an answer breaking a rule: %s, naming the question', (code, answers) => {
    const broken = checkAnswers(questions, answers);
    expect(broken).toMatchObject({ code });
    expect(broken!.message).toContain(broken!.questionId);
  });

  it('a ranked question takes at most maxChoices ranks when the council set one', () => {
    const { questions: topTwo } = consultation({ questions: [{ id: 'r', type: 'ranked', text: 'Top two', maxChoices: 2, options: [{ id: 'a', text: 'A' }, { id: 'b', text: 'B' }, { id: 'c', text: 'C' }] }] });
    expect(checkAnswers(topTwo, [{ questionId: 'r', optionIds: ['a', 'b'] }])).toBeUndefined();
    expect(checkAnswers(topTwo, [{ questionId: 'r', optionIds: ['a', 'b', 'c'] }])).toMatchObject({ code: 'too-many-choices' });
  });
});
