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

export interface CommunityConfig {
  readonly id: string;
  readonly name: string;
  readonly timeZone: string;
  readonly languages: readonly string[];
  readonly petitions: PetitionRules;
  /** Absent: the defaults of domain/consultations. */
  readonly consultations?: ConsultationRules;
  /** Absent: the defaults of domain/budget-process. */
  readonly budget?: BudgetRules;
}

/** Ternopil's rules from its e-petition regulation: 300 signatures in at most 30 days, residents only. */
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
  },
  // Ternopil's public budget regulation: voters 16+, 15 supporters before review (2026).
  budget: { minVoterAge: 16, preSupporters: 15, country: 'Ukraine' },
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
