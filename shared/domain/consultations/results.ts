import type { Answer } from './answers.ts';
import type { Consultation, QuestionType } from './consultation.ts';

/**
 * Results of a consultation, counted from the stored responses (one per person, the latest).
 * Choice questions count how many people chose each option; ranked questions are ranked by the
 * Borda count; open questions count how many people answered (the texts are read by the council,
 * not published). The tally is built one response at a time, so its memory does not grow with the
 * number of respondents.
 */
export const BORDA_DESCRIPTION =
  'Borda count: with n options, an option ranked k-th in an answer gets n−k points; options an answer leaves unranked get none. ' +
  'Options are ordered by total points; equal totals share a position. "count" is the number of answers ranking the option first.';

export interface OptionResult {
  readonly id: string;
  readonly text: string;
  /** Single and multiple choice: people who chose it; ranked: people who ranked it first. */
  readonly count: number;
}

export interface RankingEntry {
  readonly optionId: string;
  readonly points: number;
  /** 1 = best; equal points share a position (1, 2, 2, 4). */
  readonly position: number;
}

export interface QuestionResult {
  readonly id: string;
  readonly type: QuestionType;
  readonly text: string;
  /** People who answered this question (optional questions may be left out). */
  readonly answered: number;
  /** Choice questions only, in the order the council defined them. */
  readonly options?: readonly OptionResult[];
  /** Ranked questions only. */
  readonly ranking?: { readonly method: 'borda-count'; readonly description: string; readonly order: readonly RankingEntry[] };
}

export interface ConsultationResults {
  readonly consultationId: string;
  /** People with a response; each counted once, with their latest answers. */
  readonly participants: number;
  /** True once the consultation closed and no response can still arrive. */
  readonly final: boolean;
  readonly computedAt: string;
  readonly questions: readonly QuestionResult[];
}

export interface Tally {
  participants: number;
  readonly byQuestion: Map<string, { type: QuestionType; answered: number; counts: Map<string, number>; points: Map<string, number> }>;
}

export function emptyTally(c: Pick<Consultation, 'questions'>): Tally {
  return {
    participants: 0,
    byQuestion: new Map(c.questions.map((q) => [q.id, {
      type: q.type,
      answered: 0,
      counts: new Map(q.options.map((o) => [o.id, 0])),
      points: new Map(q.options.map((o) => [o.id, 0])),
    }])),
  };
}

/** Adds one person's response, as stored: validated against the consultation's questions, which never change. */
export function addResponse(tally: Tally, answers: readonly Answer[]): void {
  tally.participants += 1;
  for (const answer of answers) {
    const question = tally.byQuestion.get(answer.questionId)!;
    question.answered += 1;
    const chosen = answer.optionIds ?? [];
    if (question.type !== 'ranked') {
      for (const optionId of chosen) question.counts.set(optionId, question.counts.get(optionId)! + 1);
      continue;
    }
    const optionCount = question.points.size;
    chosen.forEach((optionId, index) => question.points.set(optionId, question.points.get(optionId)! + optionCount - 1 - index));
    if (chosen[0] !== undefined) question.counts.set(chosen[0], question.counts.get(chosen[0])! + 1);
  }
}

export function resultsOf(c: Consultation, tally: Tally, at: { computedAt: Date; final: boolean }): ConsultationResults {
  return {
    consultationId: c.id,
    participants: tally.participants,
    final: at.final,
    computedAt: at.computedAt.toISOString(),
    questions: c.questions.map((q): QuestionResult => {
      const counted = tally.byQuestion.get(q.id)!;
      const base = { id: q.id, type: q.type, text: q.text, answered: counted.answered };
      if (q.type === 'open') return base;
      const options = q.options.map((o) => ({ id: o.id, text: o.text, count: counted.counts.get(o.id)! }));
      if (q.type !== 'ranked') return { ...base, options };
      const byPoints = q.options.map((o) => ({ optionId: o.id, points: counted.points.get(o.id)! }));
      const order = [...byPoints]
        .sort((a, b) => b.points - a.points)
        .map((entry) => ({ ...entry, position: 1 + byPoints.filter((other) => other.points > entry.points).length }));
      return { ...base, options, ranking: { method: 'borda-count', description: BORDA_DESCRIPTION, order } };
    }),
  };
}

export const RESULTS_COLUMNS = [
  'consultation_id', 'participants', 'question_id', 'question_type', 'question_text', 'answered', 'option_id', 'option_text', 'count', 'borda_points', 'borda_position',
] as const;

/** Open data: one row per option of each choice question, one row per open question (the CSV writer lives in shared/http/csv.ts). */
export function resultsRows(results: ConsultationResults): (string | number | null)[][] {
  return results.questions.flatMap((q) => {
    const question = [results.consultationId, results.participants, q.id, q.type, q.text, q.answered];
    if (!q.options) return [[...question, null, null, null, null, null]];
    return q.options.map((o) => {
      const ranked = q.ranking?.order.find((entry) => entry.optionId === o.id);
      return [...question, o.id, o.text, o.count, ranked?.points ?? null, ranked?.position ?? null];
    });
  });
}
