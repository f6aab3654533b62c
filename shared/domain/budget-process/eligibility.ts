/**
 * Who may do what, and when, in a budget process. Eligibility comes only from the verified
 * principal (community, birth date, roles), never from a request body. A refusal says whether it
 * is the moment or the budget (`wrong-state`: the wrong phase, an imported budget) or the person
 * (`not-allowed`: not eligible).
 */
import type { Principal } from '#shared/auth/roles.ts';
import { eligibilityRefusal } from '#shared/domain/eligibility.ts';
import { refusal, type Refusal } from '#shared/domain/outcome.ts';
import { paperEntryEnds, phaseOf, type BudgetProcess, type Phase } from './process.ts';

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
  return refusal('wrong-state', 'wrong-phase', `${what} is not possible now: the budget is ${phaseNames[phase]} (phase "${phase}").`);
}

/**
 * School staff act only on their own school's budgets: the school in their token (set when the
 * account is provisioned) must be the budget's school.
 */
export function checkOwnSchool(process: BudgetProcess, person: Principal): Refusal | undefined {
  if (process.schoolId === null || person.school !== process.schoolId) {
    return refusal('not-allowed', 'not-your-school', "School staff act only on their own school's budget.");
  }
  return undefined;
}

/**
 * Who may see a school budget's code counts (its turnout while voting lasts): the council of the
 * community, and the school's own administrator.
 */
export function checkCanSeeCodeCounts(process: BudgetProcess, person: Principal): Refusal | undefined {
  if (person.roles.includes('council') && person.community === process.community) return undefined;
  return checkOwnSchool(process, person);
}

/** A resident of the process's community, old enough by the process's rule. */
export function checkResident(process: BudgetProcess, person: Principal, now: Date): Refusal | undefined {
  const minAge = process.eligibility.method === 'account' ? process.eligibility.minAge : 0;
  return eligibilityRefusal(person, { community: process.community, residentsOnly: true, minAge }, {
    notResident: 'Only residents of the community take part in its budget.', activity: 'to take part in this budget', who: 'Participants',
  }, now);
}

/**
 * Submitting a project: during submission; on a public budget any eligible resident (citizen), on
 * a school budget the school's administrator, who enters the students' projects.
 */
export function checkCanSubmit(process: BudgetProcess, person: Principal, now: Date): Refusal | undefined {
  if (process.origin) return refusal('wrong-state', 'imported', 'An imported budget takes no new projects.');
  const timing = wrongPhase(process, now, 'Submitting a project', ['submission']);
  if (timing) return timing;
  if (process.kind === 'school') {
    if (!person.roles.includes('school-admin') || person.community !== process.community) {
      return refusal('not-allowed', 'school-admin-only', "Projects of a school budget are entered by the school's administrator.");
    }
    return checkOwnSchool(process, person);
  }
  if (!person.roles.includes('citizen')) return refusal('not-allowed', 'citizens-only', 'Projects are submitted by citizens.');
  return checkResident(process, person, now);
}

/** Pre-supporting someone else's project: while submission or pre-support lasts, by an eligible resident. */
export function checkCanSupport(process: BudgetProcess, authorSub: string | null, person: Principal, now: Date): Refusal | undefined {
  if (process.preSupport.required === 0) return refusal('wrong-state', 'no-pre-support', 'This budget has no pre-support.');
  const timing = wrongPhase(process, now, 'Pre-supporting a project', ['submission', 'pre-support']);
  if (timing) return timing;
  const resident = checkResident(process, person, now);
  if (resident) return resident;
  if (authorSub === person.sub) return refusal('not-allowed', 'own-project', 'Authors cannot pre-support their own project.');
  return undefined;
}

/** Voting online with an account: only on a public budget, while voting lasts, by an eligible resident. */
export function checkCanVote(process: BudgetProcess, person: Principal, now: Date): Refusal | undefined {
  if (process.origin) return refusal('wrong-state', 'imported', 'An imported budget takes no ballots.');
  const timing = wrongPhase(process, now, 'Voting', ['voting']);
  if (timing) return timing;
  if (process.eligibility.method !== 'account') {
    return refusal('not-allowed', 'school-codes-only', "This school budget is voted with the one-time codes handed out at the school.");
  }
  const resident = checkResident(process, person, now);
  if (resident) return resident;
  if (!person.nationalId) {
    return refusal('not-allowed', 'national-id-required', 'Voting needs an identity with your national identifier (sign in with BankID or Diia), so that no one votes both online and on paper.');
  }
  return undefined;
}

/** Voting with a one-time code: only on a school budget, while voting lasts. The code itself is checked by the store. */
export function checkCanVoteWithCode(process: BudgetProcess, now: Date): Refusal | undefined {
  if (process.eligibility.method !== 'school-code') {
    return refusal('not-allowed', 'no-codes', 'This budget is not voted with codes; sign in to vote.');
  }
  return wrongPhase(process, now, 'Voting', ['voting']);
}

/**
 * Issuing codes: the school's own administrator, for its school budget, before voting closes. (How
 * many: at most the registered number of students, which the store enforces.)
 */
export function checkCanIssueCodes(process: BudgetProcess, person: Principal, now: Date): Refusal | undefined {
  if (process.eligibility.method !== 'school-code') return refusal('wrong-state', 'no-codes', 'Codes are issued for school budgets only.');
  if (person.community !== process.community) return refusal('not-allowed', 'not-your-community', 'Codes are issued by administrators of the budget’s community.');
  const school = checkOwnSchool(process, person);
  if (school) return school;
  return wrongPhase(process, now, 'Issuing codes', ['upcoming', 'submission', 'pre-support', 'review', 'voting']);
}

/**
 * Recording a person identified at the services centre, who then receives a paper ballot (staff):
 * on a public budget, while voting lasts (the person must be eligible as online: the centre checks
 * residence and age on the documents).
 */
export function checkCanRecordPaperVoter(process: BudgetProcess, now: Date): Refusal | undefined {
  if (process.origin) return refusal('wrong-state', 'imported', 'An imported budget takes no ballots.');
  if (process.eligibility.method !== 'account') {
    return refusal('wrong-state', 'school-codes-only', 'A school budget is voted with its one-time codes; it takes no paper ballots.');
  }
  return wrongPhase(process, now, 'Handing out a paper ballot', ['voting']);
}

/**
 * Entering a paper ballot (staff): from the opening of voting until voting closes or, when the
 * process states a paper-count window, until that window ends (always before the results are
 * published); never once the council has started publishing. Only on a public budget (a school
 * budget is voted with codes).
 */
export function checkCanEnterPaperBallot(process: BudgetProcess, now: Date): Refusal | undefined {
  if (process.origin) return refusal('wrong-state', 'imported', 'An imported budget takes no ballots.');
  if (process.eligibility.method !== 'account') {
    return refusal('wrong-state', 'school-codes-only', 'A school budget is voted with its one-time codes; it takes no paper ballots.');
  }
  if (process.countingStartedAt || process.resultsPublishedAt) {
    return refusal('wrong-state', 'counting-started', 'The results are being published; no more paper ballots are accepted.');
  }
  const ends = paperEntryEnds(process);
  if (now.getTime() >= Date.parse(ends)) {
    return refusal('wrong-state', 'paper-window-closed', `Paper ballots are entered until ${ends} (${process.schedule.paperCountEnds ? 'the end of the paper-count window' : 'the close of voting'}).`);
  }
  return wrongPhase(process, now, 'Entering a paper ballot', ['voting', 'results']);
}
