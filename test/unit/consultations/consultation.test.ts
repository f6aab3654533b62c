import { describe, expect, it } from 'vitest';
import {
  checkCanParticipate, consultationStatus, consultationView, newConsultation, publishReport, resultsAreFinal, resultsArePublic, RESULTS_SETTLE_MS,
} from '#shared/domain/consultations/consultation.ts';
import { at, consultation, day, parkInput, resident, t0 } from './fixtures.ts';

describe('publishing a consultation', () => {
  it('keeps the definition, with questions required unless marked optional, and times in UTC', () => {
    const c = consultation({ opensAt: '2026-03-01T12:00:00+02:00' });
    expect(c.opensAt).toBe('2026-03-01T10:00:00.000Z');
    expect(c.questions.map((q) => q.required)).toEqual([true, true, true, false]);
    expect(c.questions.find((q) => q.type === 'open')).toMatchObject({ options: [], maxChoices: null });
    expect(c.eligibility).toEqual({ minAge: 0 });
    expect(c.report).toBeNull();
  });

  it('a consultation without a draft text is a poll', () => {
    expect(consultationView(consultation(), t0).kind).toBe('consultation');
    expect(consultationView(consultation({ draftText: undefined }), t0)).toMatchObject({ kind: 'poll', draftText: null });
  });

  it('never shows who published it', () => {
    expect(JSON.stringify(consultationView(consultation(), t0))).not.toContain('council-1');
  });

  const question = parkInput.questions[0]!;
  it.each([
    ['closes-before-opening', { closesAt: parkInput.opensAt }],
    ['closes-in-past', { opensAt: at(-3 * day).toISOString(), closesAt: at(-2 * day).toISOString() }],
    ['duplicate-question-id', { questions: [question, question] }],
    ['too-few-options', { questions: [{ ...question, options: [{ id: 'only', text: 'Only' }] }] }],
    ['duplicate-option-id', { questions: [{ ...question, options: [{ id: 'x', text: 'X' }, { id: 'x', text: 'Y' }] }] }],
    ['single-choice-with-max', { questions: [{ ...question, maxChoices: 1 }] }],
    ['max-choices-above-options', { questions: [{ ...question, type: 'multiple' as const, maxChoices: 3 }] }],
    ['open-question-with-options', { questions: [{ ...question, type: 'open' as const }] }],
  ])('refuses a definition breaking a rule: %s', (code, overrides) => {
    expect(newConsultation({ ...parkInput, ...overrides }, at(-day))).toMatchObject({ ok: false, code });
  });
});

describe('the clock decides the status', () => {
  const c = consultation();
  it('upcoming before opening, open until closing, closed from then on', () => {
    expect(consultationStatus(c, at(-1))).toBe('upcoming');
    expect(consultationStatus(c, t0)).toBe('open');
    expect(consultationStatus(c, at(7 * day - 1))).toBe('open');
    expect(consultationStatus(c, at(7 * day))).toBe('closed');
  });

  it('results are final only once a response accepted before closing can no longer land', () => {
    expect(resultsAreFinal(c, at(7 * day))).toBe(false);
    expect(resultsAreFinal(c, at(7 * day + RESULTS_SETTLE_MS))).toBe(true);
  });

  it('results are public live, or only after closing, as the council chose', () => {
    expect(resultsArePublic(c, at(day))).toBe(false);
    expect(resultsArePublic(c, at(7 * day))).toBe(true);
    expect(resultsArePublic(consultation({ resultsVisibility: 'live' }), at(day))).toBe(true);
  });
});

describe('who may take part', () => {
  const c = consultation({ eligibility: { minAge: 16 } });
  it('a resident of the age, while open', () => {
    expect(checkCanParticipate(c, resident, at(day))).toBeUndefined();
  });
  it('not before opening nor after closing: wrong state', () => {
    expect(checkCanParticipate(c, resident, at(-1))).toMatchObject({ kind: 'wrong-state', code: 'not-open-yet' });
    expect(checkCanParticipate(c, resident, at(7 * day))).toMatchObject({ kind: 'wrong-state', code: 'closed' });
  });
  it('not someone of another community, under age, or of unknown age: not allowed', () => {
    expect(checkCanParticipate(c, { ...resident, community: 'lviv' }, at(day))).toMatchObject({ kind: 'not-allowed', code: 'not-resident' });
    expect(checkCanParticipate(c, { ...resident, birthdate: '2010-03-03' }, at(day))).toMatchObject({ kind: 'not-allowed', code: 'under-age' });
    expect(checkCanParticipate(c, { ...resident, birthdate: '2010-03-02' }, at(day))).toBeUndefined();
    const { birthdate: _ignored, ...undated } = resident;
    expect(checkCanParticipate(c, undated, at(day))).toMatchObject({ kind: 'not-allowed', code: 'age-unknown' });
    expect(checkCanParticipate(consultation(), undated, at(day))).toBeUndefined();
  });
});

describe('the report', () => {
  const c = consultation();
  const summary = { summary: 'The council adopted the draft with two proposals.' };
  it('is published once, after the results are final', () => {
    expect(publishReport(c, summary, at(day))).toMatchObject({ ok: false, code: 'not-final' });
    expect(publishReport(c, summary, at(7 * day))).toMatchObject({ ok: false, code: 'not-final' });
    const published = publishReport(c, summary, at(8 * day));
    expect(published).toMatchObject({ ok: true, value: { report: { summary: summary.summary, documents: [] } } });
    if (published.ok) expect(publishReport(published.value, summary, at(9 * day))).toMatchObject({ ok: false, code: 'already-reported' });
  });
});
