import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import * as z from 'zod';
import { communityId } from '#shared/schemas/common.ts';
import { claimNames } from './claims.ts';

/**
 * Who is a resident, for people who sign in through the national identity provider. The stage
 * configuration (infra/stages/<stage>.json, `residency`) names the provider's claim that says where
 * a person is registered (e.g. the KATOTTG code of their territorial community); Cognito maps it
 * onto the pool attribute `custom:residence` at every federated sign-in; the pre-token-generation
 * trigger turns it into `custom:community` and the `citizen` group with this table.
 */
export const residencySchema = z.strictObject({
  /** Claim of the identity provider's userinfo / ID token, e.g. "katottg" or "address_code". */
  providerClaim: z.string().regex(/^[\w:.-]{1,64}$/),
  /** Value of that claim -> community id. Values are compared trimmed and case-insensitively. */
  communities: z.record(z.string().min(1).max(256), communityId).refine((map) => Object.keys(map).length > 0, 'name at least one value'),
  /**
   * `exact` (default): the whole value must be a key. `prefix`: the longest key the value starts
   * with (the codes of a community's villages start with the community's code).
   */
  match: z.enum(['exact', 'prefix']).default('exact'),
});
export type Residency = z.output<typeof residencySchema>;

/** The pool attribute the provider's residency claim is mapped onto. */
export const residenceAttribute = 'residence';
/** Set (to `not-resident`) in the tokens of a federated person no configured community claims. */
export const residencyClaim = 'hromada:residency';

/** The community a residence value belongs to, or undefined. */
export function communityOfResidence(value: string | undefined, residency: Residency): string | undefined {
  const wanted = value?.trim().toUpperCase();
  if (!wanted) return undefined;
  let best: { key: string; community: string } | undefined;
  for (const [key, community] of Object.entries(residency.communities)) {
    const candidate = key.trim().toUpperCase();
    const hit = residency.match === 'prefix' ? wanted.startsWith(candidate) : wanted === candidate;
    if (hit && (!best || candidate.length > best.key.length)) best = { key: candidate, community };
  }
  return best?.community;
}

/** Cognito marks users that came from an identity provider so (and gives them `identities`). */
export function isFederated(userAttributes: Readonly<Record<string, string>>): boolean {
  return userAttributes['cognito:user_status'] === 'EXTERNAL_PROVIDER' || (userAttributes.identities ?? '').includes('providerName');
}

/**
 * The claims a V2 pre-token-generation event should answer with. Staff (native users, created by
 * `npm run ops -- add-staff`) keep their groups and `custom:community` as an administrator set
 * them. A federated person gets exactly the `citizen` group and the community of their residence;
 * someone no configured community claims gets no group, no community and `hromada:residency:
 * not-resident`, which the authorizer refuses with a clear 403 problem (never staff rights: groups
 * of federated users are always overridden).
 */
export function tokenOverrides(event: PreTokenGenerationV2TriggerEvent, residency: Residency | undefined): PreTokenGenerationV2TriggerEvent['response'] {
  const attributes = event.request.userAttributes;
  if (!isFederated(attributes)) return { claimsAndScopeOverrideDetails: {} };
  const community = residency ? communityOfResidence(attributes[`custom:${residenceAttribute}`], residency) : undefined;
  if (community) {
    const claims = { [claimNames.community]: community };
    return {
      claimsAndScopeOverrideDetails: {
        idTokenGeneration: { claimsToAddOrOverride: claims, claimsToSuppress: [`custom:${residenceAttribute}`] },
        accessTokenGeneration: { claimsToAddOrOverride: claims },
        groupOverrideDetails: { groupsToOverride: ['citizen'] },
      },
    };
  }
  const refusal = { [residencyClaim]: 'not-resident' };
  return {
    claimsAndScopeOverrideDetails: {
      idTokenGeneration: { claimsToAddOrOverride: refusal, claimsToSuppress: [claimNames.community, `custom:${residenceAttribute}`] },
      accessTokenGeneration: { claimsToAddOrOverride: refusal, claimsToSuppress: [claimNames.community] },
      groupOverrideDetails: { groupsToOverride: [] },
    },
  };
}
