import type { Principal } from '#shared/auth/roles.ts';
import { AGE_UNKNOWN_MESSAGE, ageRefusal } from './birthdate.ts';
import { refusal, type Refusal } from './outcome.ts';

/**
 * Who may take part, the one rule petitions, consultations and budgets share: a resident of the
 * community (where the rule asks for residents), of at least the minimum age by a valid verified
 * birth date (none needed when the minimum is 0). Each caller words the refusal for its activity;
 * the codes are the same everywhere (`not-resident`, `age-unknown`, `under-age`).
 */
export interface EligibilityRule {
  readonly community: string;
  readonly residentsOnly: boolean;
  readonly minAge: number;
}

export interface EligibilityWords {
  /** The whole sentence for someone of another community. */
  readonly notResident: string;
  /** What the person wants to do, after "is needed": `to sign this petition`. */
  readonly activity: string;
  /** Who must be old enough: `Signers`, `Participants`. */
  readonly who: string;
}

/** Always `not-allowed`: the rule refuses the person, not the moment. */
export type EligibilityRefusal = Refusal<'not-resident' | 'age-unknown' | 'under-age'>;

export function eligibilityRefusal(
  person: Pick<Principal, 'community' | 'birthdate'>,
  rule: EligibilityRule,
  words: EligibilityWords,
  now: Date,
): EligibilityRefusal | undefined {
  if (rule.residentsOnly && person.community !== rule.community) return refusal('not-allowed', 'not-resident', words.notResident);
  const age = ageRefusal(person.birthdate, rule.minAge, now);
  if (age === 'age-unknown') return refusal('not-allowed', 'age-unknown', `${AGE_UNKNOWN_MESSAGE} ${words.activity}.`);
  if (age === 'under-age') return refusal('not-allowed', 'under-age', `${words.who} must be at least ${rule.minAge} years old.`);
  return undefined;
}
