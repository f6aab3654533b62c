import { validBirthdate } from '#shared/domain/birthdate.ts';
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
  email: 'email',
  /** School staff: the school id, set at provisioning. */
  school: 'custom:school',
  /** The national identifier the identity provider attests (BankID/Diia РНОКПП), mapped in the user pool. */
  nationalId: 'custom:national_id',
} as const;

const SCHOOL_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** A plausible address (the provider verified it); anything else is treated as no address. */
const EMAIL = /^[^\s@<>()",;:]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+$/;
const NATIONAL_ID = /^[\p{L}\p{N}][\p{L}\p{N} .-]{3,38}[\p{L}\p{N}]$/u;

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
  const school = claims[claimNames.school];
  const email = claims[claimNames.email];
  const nationalId = claims[claimNames.nationalId];
  return {
    sub,
    community,
    roles: list.filter(isRole),
    ...(birthdate !== undefined ? { birthdate } : {}),
    ...(typeof name === 'string' && name !== '' ? { name } : {}),
    ...(typeof school === 'string' && SCHOOL_ID.test(school) ? { school } : {}),
    ...(typeof email === 'string' && email.length <= 254 && EMAIL.test(email) ? { email } : {}),
    ...(typeof nationalId === 'string' && NATIONAL_ID.test(nationalId) ? { nationalId } : {}),
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
    school: principal.school ?? '',
    email: principal.email ?? '',
    nationalId: principal.nationalId ?? '',
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
    [claimNames.school]: context.school,
    [claimNames.email]: context.email,
    [claimNames.nationalId]: context.nationalId,
  });
}
