import { jwtVerify, errors, type JWTVerifyGetKey } from 'jose';
import type { Principal } from './roles.ts';
import { principalFromClaims } from './claims.ts';

export interface TokenVerifierOptions {
  issuer: string;
  audience?: string;
  keys: JWTVerifyGetKey;
}

export type TokenCheck = { ok: true; principal: Principal } | { ok: false; reason: string };

/** Verifies a bearer token (signature, issuer, audience, expiry) and reads the principal from it. */
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
      return principal ? { ok: true, principal } : { ok: false, reason: 'token lacks required claims' };
    } catch (error) {
      if (error instanceof errors.JWTExpired) return { ok: false, reason: 'token expired' };
      if (error instanceof errors.JOSEError) return { ok: false, reason: 'token invalid' };
      throw error;
    }
  };
}
