import type { Principal } from '#shared/auth/roles.ts';
import { newConsultation, type Consultation, type NewConsultationInput } from '#shared/domain/consultations/consultation.ts';

export const t0 = new Date('2026-03-01T10:00:00Z');
export const hour = 3_600_000;
export const day = 24 * hour;
export const at = (offsetMs: number) => new Date(t0.getTime() + offsetMs);

export const resident: Principal = { sub: 'resident-1', roles: ['citizen'], community: 'ternopil', birthdate: '1990-05-05' };

/** A park consultation with one question of each type, open from t0 for a week. */
export const parkInput: NewConsultationInput = {
  id: 'c1',
  community: 'ternopil',
  createdBy: 'council-1',
  title: 'Реконструкція парку Шевченка',
  draftText: 'Проєкт рішення про реконструкцію парку.',
  opensAt: t0.toISOString(),
  closesAt: at(7 * day).toISOString(),
  questions: [
    { id: 'q-single', type: 'single', text: 'Do you support the draft?', options: [{ id: 'yes', text: 'Yes' }, { id: 'no', text: 'No' }] },
    {
      id: 'q-multiple', type: 'multiple', text: 'What should the park have?', maxChoices: 2,
      options: [{ id: 'benches', text: 'Benches' }, { id: 'lights', text: 'Lights' }, { id: 'trees', text: 'Trees' }],
    },
    {
      id: 'q-ranked', type: 'ranked', text: 'Rank the priorities',
      options: [{ id: 'a', text: 'A' }, { id: 'b', text: 'B' }, { id: 'c', text: 'C' }],
    },
    { id: 'q-open', type: 'open', text: 'Anything else?', required: false },
  ],
  resultsVisibility: 'after-close',
};

export function consultation(overrides: Partial<NewConsultationInput> = {}, now = at(-day)): Consultation {
  const decision = newConsultation({ ...parkInput, ...overrides }, now);
  if (!decision.ok) throw new Error(decision.message);
  return decision.value;
}
