import { sign, verify, type KeyRing } from '#shared/secrets/key-ring.ts';

const PURPOSE = 'unsubscribe';

/**
 * The token of a one-click unsubscribe link: the person's sub and a MAC under the key ring, so the
 * link needs no sign-in and cannot be made for anyone else. It names no e-mail address.
 * `<base64url sub>.<keyId>.<mac>`.
 */
export function unsubscribeToken(ring: KeyRing, sub: string): string {
  return `${Buffer.from(sub, 'utf8').toString('base64url')}.${sign(ring, PURPOSE, sub)}`;
}

/** The sub a token was made for, or undefined when it is not a valid token of this deployment. */
export function subFromUnsubscribeToken(ring: KeyRing, token: string): string | undefined {
  const [encoded, keyId, mac, ...rest] = token.split('.');
  if (!encoded || !keyId || !mac || rest.length > 0) return undefined;
  const sub = Buffer.from(encoded, 'base64url').toString('utf8');
  if (sub === '' || Buffer.from(sub, 'utf8').toString('base64url') !== encoded) return undefined;
  return verify(ring, PURPOSE, sub, `${keyId}.${mac}`) ? sub : undefined;
}

/** The link (RFC 8058: https in AWS) and the headers that make it one-click. */
export function unsubscribeLink(origin: string, token: string): { url: string; headers: Record<string, string> } {
  const url = `${origin}/v1/notifications/unsubscribe?token=${encodeURIComponent(token)}`;
  return { url, headers: { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } };
}
