import type { Petition } from './petition.ts';
import { responseThreshold } from './petition.ts';

/** The calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;
const dateOf = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);

/** `date` plus `workingDays` days from Monday to Friday (the start day itself is not counted). */
export function addWorkingDays(date: string, workingDays: number): string {
  let day = dayNumber(date);
  let left = workingDays;
  while (left > 0) {
    day += 1;
    const weekday = new Date(day * 86_400_000).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left -= 1;
  }
  return dateOf(day);
}

export interface ResponseDue {
  /** The last day for the council's response, in the community's calendar. */
  readonly dueOn: string;
  /** Calendar days from today (in the community's time zone) to `dueOn`: 0 is today, negative is overdue. */
  readonly daysLeft: number;
}

/**
 * When the council's response to a petition is due under the rules the petition was created with:
 * `responseWorkingDays` working days after the local day on which it reached the threshold that
 * asks for a response. Undefined when the rules set no deadline or the threshold is not reached.
 * Public holidays are not known to the platform and count as working days.
 */
export function responseDue(petition: Pick<Petition, 'rules' | 'thresholds'>, timeZone: string, now: Date): ResponseDue | undefined {
  const days = petition.rules.responseWorkingDays;
  const reachedAt = responseThreshold(petition)?.reachedAt;
  if (!days || !reachedAt) return undefined;
  const dueOn = addWorkingDays(localDate(new Date(reachedAt), timeZone), days);
  return { dueOn, daysLeft: dayNumber(dueOn) - dayNumber(localDate(now, timeZone)) };
}
