import { validBirthdate } from '../domain/birthdate.ts';
import { roles, type Principal, type Role } from './roles.ts';

/**
 * Claim names, as in a Cognito ID token. A city that federates its national identity provider
 * maps the provider's attributes onto these in the user pool, so the API reads one shape.
 */
export const claimNames = {
  roles: 'cognito:groups',
  community: 'custom:community',
  birthdate: 'birthdate',
  name: 'name',
} as const;

const isRole = (value: unknown): value is Role => typeof value === 'string' && (roles as readonly string[]).includes(value);

/** Verified JWT payload -> principal; undefined when a required claim is missing. */
export function principalFromClaims(claims: Record<string, unknown>): Principal | undefined {
  const sub = claims.sub;
  const community = claims[claimNames.community];
  if (typeof sub !== 'string' || sub === '' || typeof community !== 'string' || community === '') return undefined;
  const rawRoles = claims[claimNames.roles];
  const list = Array.isArray(rawRoles) ? rawRoles : typeof rawRoles === 'string' ? rawRoles.split(',') : [];
  // Only a real calendar date between 1900-01-01 and today; anything else is an unknown age.
  const birthdate = validBirthdate(claims[claimNames.birthdate], new Date());
  const name = claims[claimNames.name];
  return {
    sub,
    community,
    roles: list.filter(isRole),
    ...(birthdate !== undefined ? { birthdate } : {}),
    ...(typeof name === 'string' && name !== '' ? { name } : {}),
  };
}

/**
 * API Gateway (REST) passes a Lambda authorizer's context to the handler as flat strings in
 * `requestContext.authorizer`. These two functions are the two sides of that hand-over.
 */
export function toAuthorizerContext(principal: Principal): Record<string, string> {
  return {
    sub: principal.sub,
    roles: principal.roles.join(','),
    community: principal.community,
    birthdate: principal.birthdate ?? '',
    name: principal.name ?? '',
  };
}

export function principalFromAuthorizerContext(context: Record<string, unknown> | null | undefined): Principal | undefined {
  if (!context) return undefined;
  return principalFromClaims({
    sub: context.sub,
    [claimNames.community]: context.community,
    [claimNames.roles]: context.roles,
    [claimNames.birthdate]: context.birthdate,
    [claimNames.name]: context.name,
  });
}
