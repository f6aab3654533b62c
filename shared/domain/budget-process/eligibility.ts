/**
 * Who may do what, and when, in a budget process. Eligibility comes only from the verified
 * principal (community, birth date, roles), never from a request body. A refusal says whether it
 * is the moment (409: wrong phase) or the person (403: not eligible).
 */
import type { Principal } from '../../auth/roles.ts';
import { AGE_UNKNOWN_MESSAGE, ageRefusal } from '../birthdate.ts';
import { phaseOf, type BudgetProcess, type Phase } from './process.ts';

export interface Refusal {
  readonly status: 403 | 409;
  readonly code: string;
  readonly message: string;
}

const phaseNames: Record<Phase, string> = {
  upcoming: 'not started yet',
  submission: 'in project submission',
  'pre-support': 'collecting pre-support',
  review: 'in review',
  voting: 'in voting',
  results: 'past voting',
  implementation: 'in implementation',
};

function wrongPhase(process: BudgetProcess, now: Date, what: string, allowed: readonly Phase[]): Refusal | undefined {
  const phase = phaseOf(process, now);
  if (allowed.includes(phase)) return undefined;
  return { status: 409, code: 'wrong-phase', message: `${what} is not possible now: the budget is ${phaseNames[phase]} (phase "${phase}").` };
}

/** A resident of the process's community, old enough by the process's rule. */
export function checkResident(process: BudgetProcess, person: Principal, now: Date): Refusal | undefined {
  if (person.community !== process.community) {
    return { status: 403, code: 'not-resident', message: 'Only residents of the community take part in its budget.' };
  }
  if (process.eligibility.method === 'account') {
    const age = ageRefusal(person.birthdate, process.eligibility.minAge, now);
    if (age === 'age-unknown') return { status: 403, code: 'age-unknown', message: `${AGE_UNKNOWN_MESSAGE} to take part in this budget.` };
    if (age === 'under-age') return { status: 403, code: 'under-age', message: `Participants must be at least ${process.eligibility.minAge} years old.` };
  }
  return undefined;
}

/**
 * Submitting a project: during submission; on a public budget any eligible resident (citizen), on
 * a school budget the school's administrator, who enters the students' projects.
 */
export function checkCanSubmit(process: BudgetProcess, person: Principal, now: Date): Refusal | undefined {
  if (process.origin) return { status: 409, code: 'imported', message: 'An imported budget takes no new projects.' };
  const timing = wrongPhase(process, now, 'Submitting a project', ['submission']);
  if (timing) return timing;
  if (process.kind === 'school') {
    if (!person.roles.includes('school-admin') || person.community !== process.community) {
      return { status: 403, code: 'school-admin-only', message: "Projects of a school budget are entered by the school's administrator." };
    }
    return undefined;
  }
  if (!person.roles.includes('citizen')) return { status: 403, code: 'citizens-only', message: 'Projects are submitted by citizens.' };
  return checkResident(process, person, now);
}

/** Pre-supporting someone else's project: while submission or pre-support lasts, by an eligible resident. */
export function checkCanSupport(process: BudgetProcess, authorSub: string | null, person: Principal, now: Date): Refusal | undefined {
  if (process.preSupport.required === 0) return { status: 409, code: 'no-pre-support', message: 'This budget has no pre-support.' };
  const timing = wrongPhase(process, now, 'Pre-supporting a project', ['submission', 'pre-support']);
  if (timing) return timing;
  const resident = checkResident(process, person, now);
  if (resident) return resident;
  if (authorSub === person.sub) return { status: 403, code: 'own-project', message: 'Authors cannot pre-support their own project.' };
  return undefined;
}

/** Voting online with an account: only on a public budget, while voting lasts, by an eligible resident. */
export function checkCanVote(process: BudgetProcess, person: Principal, now: Date): Refusal | undefined {
  if (process.origin) return { status: 409, code: 'imported', message: 'An imported budget takes no ballots.' };
  const timing = wrongPhase(process, now, 'Voting', ['voting']);
  if (timing) return timing;
  if (process.eligibility.method !== 'account') {
    return { status: 403, code: 'school-codes-only', message: "This school budget is voted with the one-time codes handed out at the school." };
  }
  return checkResident(process, person, now);
}

/** Voting with a one-time code: only on a school budget, while voting lasts. The code itself is checked by the store. */
export function checkCanVoteWithCode(process: BudgetProcess, now: Date): Refusal | undefined {
  if (process.eligibility.method !== 'school-code') {
    return { status: 403, code: 'no-codes', message: 'This budget is not voted with codes; sign in to vote.' };
  }
  return wrongPhase(process, now, 'Voting', ['voting']);
}

/** Issuing codes: a school administrator of the community, for a school budget, before voting closes. */
export function checkCanIssueCodes(process: BudgetProcess, person: Principal, now: Date): Refusal | undefined {
  if (process.eligibility.method !== 'school-code') return { status: 409, code: 'no-codes', message: 'Codes are issued for school budgets only.' };
  if (person.community !== process.community) return { status: 403, code: 'not-your-community', message: 'Codes are issued by administrators of the budget’s community.' };
  return wrongPhase(process, now, 'Issuing codes', ['upcoming', 'submission', 'pre-support', 'review', 'voting']);
}

/**
 * Entering a paper ballot (staff): while voting lasts and after it closes, until the council
 * starts publishing the results (paper ballots are often entered after the polls close).
 */
export function checkCanEnterPaperBallot(process: BudgetProcess, now: Date): Refusal | undefined {
  if (process.origin) return { status: 409, code: 'imported', message: 'An imported budget takes no ballots.' };
  if (process.countingStartedAt || process.resultsPublishedAt) {
    return { status: 409, code: 'counting-started', message: 'The results are being published; no more paper ballots are accepted.' };
  }
  return wrongPhase(process, now, 'Entering a paper ballot', ['voting', 'results', 'implementation']);
}
