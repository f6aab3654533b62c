import { describe, expect, it } from 'vitest';
import { addWorkingDays, localDate, responseDue } from '#shared/domain/petitions/response-due.ts';
import { ternopil } from '#shared/domain/community.ts';

const reached = (reachedAt: string | null, responseWorkingDays?: number) => ({
  rules: { ...ternopil.petitions, ...(responseWorkingDays === undefined ? { responseWorkingDays: undefined } : { responseWorkingDays }) },
  thresholds: [{ signatures: 300, purpose: 'council-consideration', reachedAt, countAtCrossing: reachedAt ? 300 : null }],
});

describe('the council’s response deadline', () => {
  it('counts Monday to Friday only, not the starting day', () => {
    expect(addWorkingDays('2026-11-30', 1)).toBe('2026-12-01'); // Monday -> Tuesday
    expect(addWorkingDays('2026-12-04', 1)).toBe('2026-12-07'); // Friday -> Monday
    expect(addWorkingDays('2026-12-05', 1)).toBe('2026-12-07'); // Saturday -> Monday
    expect(addWorkingDays('2026-11-30', 10)).toBe('2026-12-14'); // two weeks
    expect(addWorkingDays('2026-12-31', 2)).toBe('2027-01-04'); // across the year, over a weekend
  });

  it('takes the local day in the community’s time zone', () => {
    // 23:30 UTC on Sunday is already Monday in Kyiv (UTC+2 in winter).
    expect(localDate(new Date('2026-11-29T23:30:00Z'), 'Europe/Kyiv')).toBe('2026-11-30');
    expect(localDate(new Date('2026-11-29T23:30:00Z'), 'Europe/London')).toBe('2026-11-29');
  });

  it('Ternopil: 10 working days from the day the threshold was reached, with the days left from today', () => {
    const petition = reached('2026-11-30T09:00:00Z', 10);
    expect(responseDue(petition, 'Europe/Kyiv', new Date('2026-11-30T12:00:00Z'))).toEqual({ dueOn: '2026-12-14', daysLeft: 14 });
    expect(responseDue(petition, 'Europe/Kyiv', new Date('2026-12-14T21:00:00Z'))).toEqual({ dueOn: '2026-12-14', daysLeft: 0 }); // 23:00 in Kyiv: still the day
    expect(responseDue(petition, 'Europe/Kyiv', new Date('2026-12-16T08:00:00Z'))).toEqual({ dueOn: '2026-12-14', daysLeft: -2 });
  });

  it('none without a rule or before the threshold is reached', () => {
    expect(responseDue(reached('2026-11-30T09:00:00Z'), 'Europe/Kyiv', new Date())).toBeUndefined();
    expect(responseDue(reached(null, 10), 'Europe/Kyiv', new Date())).toBeUndefined();
  });
});
