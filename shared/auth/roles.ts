export const roles = ['citizen', 'moderator', 'council', 'school-admin'] as const;
export type Role = (typeof roles)[number];

/** Who made a request, as the authorizer verified it. Eligibility comes from here, never from a body. */
export interface Principal {
  readonly sub: string;
  readonly roles: readonly Role[];
  readonly community: string;
  /** YYYY-MM-DD, from a verified identity (BankID in Ukraine); absent when the provider has none. */
  readonly birthdate?: string;
  /** Display name, published on petitions where the law requires it. */
  readonly name?: string;
  /**
   * The e-mail address the identity provider holds (the ID token's `email` claim). Stored only when
   * the person asks to hear back (notification preferences); never logged.
   */
  readonly email?: string;
  /**
   * School staff: the school they work at (set when the account is provisioned). A school-admin
   * acts only on budgets of this school; without it, on none.
   */
  readonly school?: string;
  /**
   * The person's national identifier (РНОКПП, or a passport number for those who have none), as
   * the identity provider attests it (BankID, Diia). It keys the voter marker, so that a person
   * identified at the services centre by the same identifier has the same marker. Never stored
   * or logged as such.
   */
  readonly nationalId?: string;
}
