import { problems } from '../http/problem.ts';

type Key = Record<string, string>;

/** Opaque pagination cursor: the store's last evaluated key, base64url JSON. */
export function encodeCursor(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor a client sent back and checks it belongs to this listing (same partition), so
 * a forged cursor can neither fail the query nor start it in another community's data.
 */
export function decodeKeyCursor(cursor: string | undefined, partition: { attribute: string; value: string }): Key | undefined {
  if (cursor === undefined) return undefined;
  const value = decodeJson(cursor);
  if (!isKey(value) || value[partition.attribute] !== partition.value) throw invalidCursor();
  return value;
}

export function decodeJson(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
}

export const isKey = (value: unknown): value is Key =>
  typeof value === 'object' && value !== null && !Array.isArray(value) &&
  Object.keys(value).length <= 6 && Object.values(value).every((v) => typeof v === 'string' && v.length <= 1024);

export const invalidCursor = () => problems.badRequest('invalid-cursor', 'The cursor is not one this listing issued.');
