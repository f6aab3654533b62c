import type { Refusal } from '#shared/domain/outcome.ts';
import type { Question } from './consultation.ts';

/** An answer to one question: chosen (or, for ranked questions, ordered) option ids, or a text for an open question. */
export interface Answer {
  readonly questionId: string;
  readonly optionIds?: readonly string[] | undefined;
  readonly text?: string | undefined;
}

/**
 * The rule an answer breaks, named so that the client can tell the person what to fix: a refusal
 * of kind `invalid`, with the question it is about.
 */
export interface AnswerRuleBroken extends Refusal<

    | 'unknown-question'
    | 'duplicate-answer'
    | 'answer-required'
    | 'options-expected'
    | 'text-expected'
    | 'unknown-option'
    | 'duplicate-option'
    | 'no-choice'
    | 'single-choice'
    | 'too-many-choices'
> {
  readonly kind: 'invalid';
  readonly questionId: string;
}

function checkChoice(q: Question, optionIds: readonly string[]): AnswerRuleBroken | undefined {
  const broken = (code: AnswerRuleBroken['code'], message: string): AnswerRuleBroken => ({ kind: 'invalid', code, questionId: q.id, message });
  const known = new Set(q.options.map((o) => o.id));
  const unknown = optionIds.find((id) => !known.has(id));
  if (unknown !== undefined) return broken('unknown-option', `Question "${q.id}" has no option "${unknown}".`);
  if (new Set(optionIds).size !== optionIds.length) return broken('duplicate-option', `Question "${q.id}": each option may be chosen once.`);
  if (optionIds.length === 0) return broken('no-choice', `Question "${q.id}": choose at least one option, or leave an optional question out.`);
  if (q.type === 'single' && optionIds.length > 1) return broken('single-choice', `Question "${q.id}" takes exactly one option.`);
  const max = q.maxChoices ?? q.options.length;
  if (optionIds.length > max) {
    const verb = q.type === 'ranked' ? 'ranked' : 'chosen';
    return broken('too-many-choices', `Question "${q.id}": at most ${max} options may be ${verb}; ${optionIds.length} were.`);
  }
  return undefined;
}

/**
 * Checks a whole response against the questions' rules and returns the first rule it breaks.
 * A ranked answer lists options best first; it may rank some of them (up to maxChoices) and the
 * rest count as unranked. Questions are required unless marked optional.
 */
export function checkAnswers(questions: readonly Question[], answers: readonly Answer[]): AnswerRuleBroken | undefined {
  const byId = new Map(questions.map((q) => [q.id, q]));
  const seen = new Set<string>();
  for (const answer of answers) {
    const q = byId.get(answer.questionId);
    if (!q) return { kind: 'invalid', code: 'unknown-question', questionId: answer.questionId, message: `There is no question "${answer.questionId}".` };
    if (seen.has(q.id)) return { kind: 'invalid', code: 'duplicate-answer', questionId: q.id, message: `Question "${q.id}" is answered twice.` };
    seen.add(q.id);
    if (q.type === 'open') {
      if (answer.text === undefined || answer.optionIds !== undefined) {
        return { kind: 'invalid', code: 'text-expected', questionId: q.id, message: `Question "${q.id}" is open: answer it with "text".` };
      }
      continue;
    }
    if (answer.optionIds === undefined || answer.text !== undefined) {
      return { kind: 'invalid', code: 'options-expected', questionId: q.id, message: `Question "${q.id}" is answered with "optionIds".` };
    }
    const broken = checkChoice(q, answer.optionIds);
    if (broken) return broken;
  }
  const missing = questions.find((q) => q.required && !seen.has(q.id));
  if (missing) return { kind: 'invalid', code: 'answer-required', questionId: missing.id, message: `Question "${missing.id}" must be answered.` };
  return undefined;
}
