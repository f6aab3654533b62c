import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The application's secret keys: what keys the hashes that must not be reversible by whoever holds
 * a copy of the table (voter markers, person keys) and what signs the values the API hands out and
 * later trusts (pagination cursors, unsubscribe links).
 *
 * One secret holds a key ring, as JSON: `{"current": "<id>", "<id>": "<secret>", ...}`. New values are
 * made with the current key; every key of the ring is still accepted, so a rotation (add a key, make
 * it current, remove the old one once nothing made with it is still in use) breaks nothing in
 * flight. In AWS the ring is a Secrets Manager secret (`SECRETS_ARN`); locally the runtime generates
 * one (`HROMADA_SECRETS`, kept in the data folder unless in memory).
 */
export interface KeyRing {
  readonly currentId: string;
  readonly keys: ReadonlyMap<string, Buffer>;
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const MIN_SECRET_LENGTH = 32;

export class KeyRingError extends Error {
  override readonly name = 'KeyRingError';
}

/** Parses and checks a key ring; throws a KeyRingError naming what is wrong (never the secret). */
export function parseKeyRing(json: string): KeyRing {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new KeyRingError('The key ring is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new KeyRingError('The key ring is not a JSON object');
  const { current, ...rest } = value as Record<string, unknown>;
  if (typeof current !== 'string' || !KEY_ID.test(current)) throw new KeyRingError('The key ring has no valid "current" key id');
  const keys = new Map<string, Buffer>();
  for (const [id, secret] of Object.entries(rest)) {
    if (!KEY_ID.test(id)) throw new KeyRingError(`Key id "${id.slice(0, 40)}" is not valid`);
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
      throw new KeyRingError(`Key "${id}" must be a string of at least ${MIN_SECRET_LENGTH} characters`);
    }
    keys.set(id, Buffer.from(secret, 'utf8'));
  }
  if (!keys.has(current)) throw new KeyRingError(`The current key "${current}" is not in the key ring`);
  return { currentId: current, keys };
}

/** A new key ring with one random key, as JSON (what the local runtime and tests use). */
export function generateKeyRingJson(id = 'k1'): string {
  return JSON.stringify({ current: id, [id]: randomBytes(48).toString('base64url') });
}

function keyOf(ring: KeyRing, keyId: string): Buffer {
  const key = ring.keys.get(keyId);
  if (!key) throw new KeyRingError(`Key "${keyId}" is not in the key ring`);
  return key;
}

/**
 * HMAC-SHA256 of `text` under one key of the ring, separated by `purpose` so the same input never
 * gives the same value for two uses. base64url.
 */
export function keyedHash(ring: KeyRing, purpose: string, text: string, keyId: string = ring.currentId): string {
  return createHmac('sha256', keyOf(ring, keyId)).update(`hromada:${purpose}\u0000${text}`, 'utf8').digest('base64url');
}

/** `<keyId>.<mac>`: a tag over `text` that names the key it was made with, so it verifies after a rotation. */
export function sign(ring: KeyRing, purpose: string, text: string): string {
  return `${ring.currentId}.${keyedHash(ring, purpose, text)}`;
}

/** Whether `tag` is a valid `sign` tag over `text` under any key of the ring (constant-time compare). */
export function verify(ring: KeyRing, purpose: string, text: string, tag: string): boolean {
  const dot = tag.indexOf('.');
  if (dot <= 0) return false;
  const keyId = tag.slice(0, dot);
  if (!ring.keys.has(keyId)) return false;
  const expected = Buffer.from(keyedHash(ring, purpose, text, keyId));
  const given = Buffer.from(tag.slice(dot + 1));
  return given.length === expected.length && timingSafeEqual(given, expected);
}
