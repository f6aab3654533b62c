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
}
