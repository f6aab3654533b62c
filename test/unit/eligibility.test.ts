import { describe, expect, it } from 'vitest';
import { eligibilityRefusal } from '#shared/domain/eligibility.ts';

const words = { notResident: 'Only residents.', activity: 'to sign this petition', who: 'Signers' };
const on = new Date('2026-11-30T12:00:00Z');
const rule = { community: 'ternopil', residentsOnly: true, minAge: 16 };

describe('the one eligibility rule (petitions, consultations, budgets)', () => {
  it('refuses another community only where residents are asked for', () => {
    expect(eligibilityRefusal({ community: 'lviv', birthdate: '1990-01-01' }, rule, words, on)).toEqual({ kind: 'not-allowed', code: 'not-resident', message: 'Only residents.' });
    expect(eligibilityRefusal({ community: 'lviv', birthdate: '1990-01-01' }, { ...rule, residentsOnly: false }, words, on)).toBeUndefined();
  });

  it('counts age in whole years on the day, and needs a valid birth date only when there is a minimum', () => {
    expect(eligibilityRefusal({ community: 'ternopil', birthdate: '2010-11-30' }, rule, words, on)).toBeUndefined();
    expect(eligibilityRefusal({ community: 'ternopil', birthdate: '2010-12-01' }, rule, words, on))
      .toEqual({ kind: 'not-allowed', code: 'under-age', message: 'Signers must be at least 16 years old.' });
    expect(eligibilityRefusal({ community: 'ternopil', birthdate: '0000-01-01' }, rule, words, on)).toMatchObject({ code: 'age-unknown', message: expect.stringMatching(/to sign this petition\.$/) });
    expect(eligibilityRefusal({ community: 'ternopil' }, { ...rule, minAge: 0 }, words, on)).toBeUndefined();
  });
});
