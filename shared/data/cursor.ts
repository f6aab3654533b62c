import { sign, verify } from '#shared/secrets/key-ring.ts';
import { loadKeyRing } from '#shared/secrets/load-key-ring.ts';
import { StoreError } from './store-error.ts';

type Key = Record<string, string>;

const PURPOSE = 'cursor';
const sep = '\u0000';

/**
 * Opaque pagination cursor, authenticated: `<base64url JSON>.<keyId>.<mac>`, the MAC (HMAC-SHA256
 * under the deployment's key ring) covering the value AND the listing it was issued for (`scope`:
 * which index and partition, or which petition's signers...). A cursor the API did not issue for
 * this very listing, forged, tampered with or replayed on another listing, is a 400, never a query.
 * A rotation keeps cursors made with the previous key valid while that key stays in the ring.
 */
export async function encodeCursor(scope: string, value: unknown): Promise<string | null> {
  if (value === undefined || value === null) return null;
  const payload = Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
  return `${payload}.${sign(await loadKeyRing(), PURPOSE, `${scope}${sep}${payload}`)}`;
}

/** The value of a cursor this listing issued; a 400 problem for anything else. */
export async function decodeCursor(scope: string, cursor: string): Promise<unknown> {
  const parts = cursor.split('.');
  if (parts.length !== 3) throw invalidCursor();
  const [payload, keyId, mac] = parts as [string, string, string];
  if (!/^[A-Za-z0-9_-]+$/.test(payload) || !verify(await loadKeyRing(), PURPOSE, `${scope}${sep}${payload}`, `${keyId}.${mac}`)) throw invalidCursor();
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
}

export const isKey = (value: unknown): value is Key =>
  typeof value === 'object' && value !== null && !Array.isArray(value) &&
  Object.keys(value).length <= 6 && Object.values(value).every((v) => typeof v === 'string' && v.length <= 1024);

export const invalidCursor = () => new StoreError('invalid-request', 'invalid-cursor', 'The cursor is not one this listing issued.');
