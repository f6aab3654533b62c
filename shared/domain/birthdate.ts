/**
 * The birth-date rule, pure and in one place. A birth date counts only when it is a real calendar
 * date (`YYYY-MM-DD`, the day existing in that month and year) between 1900-01-01 and `today`.
 * Anything else (`0000-01-01`, which OpenID Connect uses for "year not given"; `2010-13-45`; a date
 * in the future) is no birth date: the person is of unknown age, refused wherever an age rule applies.
 */
export const EARLIEST_BIRTHDATE = '1900-01-01';

export function validBirthdate(value: unknown, today: Date): string | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  // Date.UTC rolls over (month 13, day 45, 29 February of a common year): the round trip catches it.
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  if (value < EARLIEST_BIRTHDATE || value > today.toISOString().slice(0, 10)) return undefined;
  return value;
}

/** Age in whole years on `on`; undefined when the birth date is not valid by the rule above. */
export function ageOn(birthdate: string | undefined, on: Date): number | undefined {
  const valid = validBirthdate(birthdate, on);
  if (valid === undefined) return undefined;
  const [y, m, d] = valid.split('-').map(Number) as [number, number, number];
  let age = on.getUTCFullYear() - y;
  const monthDay = (on.getUTCMonth() + 1) * 100 + on.getUTCDate();
  if (monthDay < m * 100 + d) age -= 1;
  return age;
}

/**
 * Whether a person meets a minimum age on `on`: undefined when they do (or there is no rule),
 * 'age-unknown' when no valid birth date is known, 'under-age' when they are younger.
 */
export function ageRefusal(birthdate: string | undefined, minAge: number, on: Date): 'age-unknown' | 'under-age' | undefined {
  if (minAge <= 0) return undefined;
  const age = ageOn(birthdate, on);
  if (age === undefined) return 'age-unknown';
  return age < minAge ? 'under-age' : undefined;
}

export const AGE_UNKNOWN_MESSAGE = 'A valid verified birth date (a real date between 1900-01-01 and today) is needed';
