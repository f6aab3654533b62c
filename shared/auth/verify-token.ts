import { jwtVerify, errors, type JWTVerifyGetKey } from 'jose';
import type { Principal } from './roles.ts';
import { principalFromClaims } from './claims.ts';
import { residencyClaim } from './residency.ts';

/** The reason for a valid token of someone who is not a resident of any community served here. */
export const notResident = 'not-resident';

/** The problem the API answers for it (403: signed in, but not entitled). */
export const notResidentDetail =
  'You signed in, but the identity provider does not register you in a community this service serves. Residents only: if this is wrong, ask your community to check the address the provider holds.';

/**
 * The `event` of the authorizer's log line for a real failure (the JWKS unreachable, a bug): a
 * metric filter on the authorizer's log group counts these, and that count is what the authorizer
 * alarm watches. Lambda's Errors metric cannot be used: every expired or invalid token is a thrown
 * "Unauthorized" (API Gateway's way to answer 401), which Lambda counts as an error.
 */
export const AUTHORIZER_FAILURE_EVENT = 'authorizer-failure';

export interface TokenVerifierOptions {
  issuer: string;
  audience?: string;
  keys: JWTVerifyGetKey;
}

export type TokenCheck = { ok: true; principal: Principal } | { ok: false; reason: string };

/**
 * Verifies a bearer token (signature, issuer, audience, expiry) and reads the principal from it.
 * A bad token is an answer (`ok: false`); a failure to verify at all (the JWKS unreachable, timing
 * out or malformed) throws, so it is never mistaken for a citizen's expired token.
 */
export function createTokenVerifier(options: TokenVerifierOptions) {
  return async function verify(authorizationHeader: string | undefined): Promise<TokenCheck> {
    const match = /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(authorizationHeader?.trim() ?? '');
    if (!match?.[1]) return { ok: false, reason: 'missing bearer token' };
    try {
      const { payload } = await jwtVerify(match[1], options.keys, {
        issuer: options.issuer,
        ...(options.audience ? { audience: options.audience } : {}),
        algorithms: ['RS256', 'ES256'],
      });
      const principal = principalFromClaims(payload);
      if (principal) return { ok: true, principal };
      // A federated person whom no configured community claims (shared/auth/residency.ts).
      if (payload[residencyClaim] === 'not-resident') return { ok: false, reason: notResident };
      return { ok: false, reason: 'token lacks required claims' };
    } catch (error) {
      if (error instanceof errors.JWTExpired) return { ok: false, reason: 'token expired' };
      // The key set could not be fetched or read: not the token's fault, a failure of ours.
      if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) throw error;
      if (error instanceof errors.JOSEError) return { ok: false, reason: 'token invalid' };
      throw error;
    }
  };
}
