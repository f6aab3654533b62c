import { exportJWK, generateKeyPair, SignJWT, createLocalJWKSet, type CryptoKey } from 'jose';
import * as z from 'zod';
import { claimNames } from '#shared/auth/claims.ts';
import { roles } from '#shared/auth/roles.ts';
import { communityId, isoDate } from '#shared/schemas/common.ts';
import { createTokenVerifier } from '#shared/auth/verify-token.ts';

/**
 * Local sign-in: a key pair made at start-up signs tokens with the same claims a Cognito ID token
 * carries; the local gateway's authorizer trusts only this key. Exists only in the local runtime.
 */
export const devTokenRequest = z.strictObject({
  sub: z.string().min(1).max(128),
  roles: z.array(z.enum(roles)).min(1).max(4),
  community: communityId,
  birthdate: isoDate.optional(),
  name: z.string().min(1).max(200).optional(),
  /** The e-mail address the identity provider holds (`email`): where notifications go. */
  email: z.email().max(254).optional(),
  /** School staff: the school they work at (`custom:school`). */
  school: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be a school id').optional(),
  /** The national identifier the identity provider attests (`custom:national_id`), e.g. a 10-digit РНОКПП. */
  nationalId: z.string().regex(/^[\p{L}\p{N}][\p{L}\p{N} .-]{3,38}[\p{L}\p{N}]$/u, 'must be a national identifier (5-40 letters and digits)').optional(),
  /** Seconds; default 12 hours. Negative values mint an already expired token, for tests. */
  expiresIn: z.number().int().min(-86_400).max(7 * 86_400).optional(),
});

export type DevTokenRequest = z.infer<typeof devTokenRequest>;

export const LOCAL_AUDIENCE = 'hromada-local';
export const LOCAL_ISSUER = 'urn:hromada:local-dev';

export async function createDevAuth(issuer: string) {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = await exportJWK(publicKey);
  const keys = createLocalJWKSet({ keys: [{ ...jwk, kid: 'local', alg: 'ES256', use: 'sig' }] });
  const verify = createTokenVerifier({ issuer, audience: LOCAL_AUDIENCE, keys });

  async function mint(request: DevTokenRequest, key: CryptoKey = privateKey): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      [claimNames.roles]: request.roles,
      [claimNames.community]: request.community,
      ...(request.birthdate ? { [claimNames.birthdate]: request.birthdate } : {}),
      ...(request.name ? { [claimNames.name]: request.name } : {}),
      ...(request.email ? { [claimNames.email]: request.email, email_verified: true } : {}),
      ...(request.school ? { [claimNames.school]: request.school } : {}),
      ...(request.nationalId ? { [claimNames.nationalId]: request.nationalId } : {}),
      token_use: 'id',
    })
      .setProtectedHeader({ alg: 'ES256', kid: 'local' })
      .setSubject(request.sub)
      .setIssuer(issuer)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + (request.expiresIn ?? 12 * 3600))
      .sign(key);
  }

  return { mint, verify, issuer };
}

export type DevAuth = Awaited<ReturnType<typeof createDevAuth>>;
