import * as z from 'zod';

/**
 * A community (territorial hromada) is a tenant: every record belongs to one, and each has its
 * own rules. Petition rules are copied into each petition at creation, so a later change of the
 * community's configuration is never retroactive.
 */
export interface PetitionThresholdRule {
  /** Signatures needed. */
  readonly signatures: number;
  /** What reaching it obliges: consideration by the council, a written response, a debate. */
  readonly purpose: 'council-consideration' | 'response' | 'debate';
}

export interface PetitionRules {
  readonly thresholds: readonly PetitionThresholdRule[];
  /** Days a published petition stays open for signing. */
  readonly signingDays: number;
  /** Only people registered in the community may sign. */
  readonly residentsOnly: boolean;
  /** Minimum age on the day of signing; 0 for none. */
  readonly minSignerAge: number;
  /** Whether signer names are published (Ukrainian law publishes them). */
  readonly publicSignerNames: boolean;
  /** Petitions one person may create per day (abuse limit). */
  readonly maxCreatedPerPersonPerDay: number;
  /**
   * Working days (Monday to Friday, in the community's time zone) the council has to answer once
   * the petition reached the threshold that asks for a response (Ukrainian law on citizens'
   * appeals, art. 23-1: 10 working days). Absent: no deadline is shown.
   */
  readonly responseWorkingDays?: number;
}

export interface ConsultationRules {
  /** Comments one person may post per day, across the community's consultations (abuse limit). */
  readonly maxCommentsPerPersonPerDay: number;
  /** Proposals one person may make per day, across the community's consultations (abuse limit). */
  readonly maxProposalsPerPersonPerDay: number;
}

/** Participatory budget defaults; a budget process copies them at creation (never retroactive). */
export interface BudgetRules {
  /** Minimum age on the day of voting (Ternopil: 16). Also applies to submitting and pre-supporting. */
  readonly minVoterAge: number;
  /** Supporters a project needs before review (Ternopil 2026: 15); 0 for no pre-support. */
  readonly preSupporters: number;
  /** Country name written in open data (Pabulib META `country`). */
  readonly country: string;
}

export interface CouncilContacts {
  /** Who is e-mailed when a petition of this community reaches a threshold (SNS, filtered by community). */
  readonly alertRecipients: readonly string[];
}

export interface CommunityConfig {
  readonly id: string;
  /** Display name. */
  readonly name: string;
  readonly timeZone: string;
  readonly languages: readonly string[];
  readonly petitions: PetitionRules;
  /** Absent: the defaults of domain/consultations. */
  readonly consultations?: ConsultationRules;
  /** Absent: the defaults of domain/budget-process. */
  readonly budget?: BudgetRules;
  /** Absent (or no recipients): a threshold alert stays undelivered, listed in the council console, and an alarm says so. */
  readonly council?: CouncilContacts;
}

const count = (max: number) => z.number().int().min(0).max(max);

/**
 * A community's rules as checked in (infra/communities/<id>.json) and as stored in the table. Strict:
 * a misspelt field is an error, not a silently ignored rule.
 */
export const communityConfigSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,48}$/, 'must be a community id such as "ternopil"'),
  name: z.string().trim().min(1).max(200),
  timeZone: z.string().refine((zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, 'must be an IANA time zone such as Europe/Kyiv'),
  languages: z.array(z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as "uk"')).min(1),
  petitions: z.strictObject({
    thresholds: z
      .array(z.strictObject({ signatures: count(100_000_000).min(1), purpose: z.enum(['council-consideration', 'response', 'debate']) }))
      .min(1)
      .refine((list) => list.every((rule, i) => i === 0 || rule.signatures > list[i - 1]!.signatures), 'must be in increasing order of signatures'),
    signingDays: count(3650).min(1),
    residentsOnly: z.boolean(),
    minSignerAge: count(120),
    publicSignerNames: z.boolean(),
    maxCreatedPerPersonPerDay: count(1000).min(1),
    responseWorkingDays: count(365).min(1).optional(),
  }),
  consultations: z.strictObject({ maxCommentsPerPersonPerDay: count(10_000).min(1), maxProposalsPerPersonPerDay: count(10_000).min(1) }).optional(),
  budget: z.strictObject({ minVoterAge: count(120), preSupporters: count(100_000), country: z.string().min(1).max(100) }).optional(),
  council: z.strictObject({ alertRecipients: z.array(z.email()).max(20) }).optional(),
}) satisfies z.ZodType<CommunityConfig>;

/** Ternopil's rules from its e-petition regulation (the same as infra/communities/ternopil.json, a test checks): 300 signatures in at most 30 days, residents only. */
export const ternopil: CommunityConfig = {
  id: 'ternopil',
  name: 'Тернопільська міська територіальна громада',
  timeZone: 'Europe/Kyiv',
  languages: ['uk', 'en'],
  petitions: {
    thresholds: [{ signatures: 300, purpose: 'council-consideration' }],
    signingDays: 30,
    residentsOnly: true,
    minSignerAge: 18,
    publicSignerNames: true,
    maxCreatedPerPersonPerDay: 3,
    responseWorkingDays: 10,
  },
  // Ternopil's public budget regulation: voters 16+, 15 supporters before review (2026).
  budget: { minVoterAge: 16, preSupporters: 15, country: 'Ukraine' },
  council: { alertRecipients: ['rada@ternopil.example'] },
};

/** UK Parliament style, to show that several thresholds are expressible. */
export const ukStyle: CommunityConfig = {
  id: 'uk-style-demo',
  name: 'Demo community with UK Parliament petition rules',
  timeZone: 'Europe/London',
  languages: ['en'],
  petitions: {
    thresholds: [
      { signatures: 10_000, purpose: 'response' },
      { signatures: 100_000, purpose: 'debate' },
    ],
    signingDays: 182,
    residentsOnly: false,
    minSignerAge: 0,
    publicSignerNames: false,
    maxCreatedPerPersonPerDay: 5,
  },
};
