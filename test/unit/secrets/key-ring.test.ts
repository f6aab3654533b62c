import { describe, expect, it } from 'vitest';
import { generateKeyRingJson, keyedHash, KeyRingError, parseKeyRing, sign, verify } from '#shared/secrets/key-ring.ts';

const secret = (c: string) => c.repeat(40);

describe('key ring', () => {
  it('parses a ring and keys hashes with its current key, separated by purpose', () => {
    const ring = parseKeyRing(JSON.stringify({ current: 'k2', k1: secret('a'), k2: secret('b') }));
    expect(ring.currentId).toBe('k2');
    const marker = keyedHash(ring, 'budget-voter', 'budget-1\u0000olena');
    expect(marker).toBe(keyedHash(ring, 'budget-voter', 'budget-1\u0000olena', 'k2'));
    expect(marker).not.toBe(keyedHash(ring, 'budget-voter', 'budget-1\u0000olena', 'k1'));
    expect(marker).not.toBe(keyedHash(ring, 'person', 'budget-1\u0000olena'));
    // Another ring (another deployment, or a thief without the secret) cannot recompute it.
    expect(marker).not.toBe(keyedHash(parseKeyRing(generateKeyRingJson('k2')), 'budget-voter', 'budget-1\u0000olena'));
  });

  it('verifies tags made with an older key after a rotation, and nothing forged', () => {
    const before = parseKeyRing(JSON.stringify({ current: 'k1', k1: secret('a') }));
    const tag = sign(before, 'cursor', 'payload');
    const after = parseKeyRing(JSON.stringify({ current: 'k2', k1: secret('a'), k2: secret('b') }));
    expect(verify(after, 'cursor', 'payload', tag)).toBe(true);
    expect(sign(after, 'cursor', 'payload').startsWith('k2.')).toBe(true);
    expect(verify(after, 'cursor', 'payload2', tag)).toBe(false);
    expect(verify(after, 'other-purpose', 'payload', tag)).toBe(false);
    expect(verify(after, 'cursor', 'payload', 'k3.' + tag.slice(3))).toBe(false);
    expect(verify(after, 'cursor', 'payload', 'garbage')).toBe(false);
    expect(verify(after, 'cursor', 'payload', tag.slice(0, -1))).toBe(false);
    // Once the old key is removed, what it signed is no longer accepted.
    expect(verify(parseKeyRing(JSON.stringify({ current: 'k2', k2: secret('b') })), 'cursor', 'payload', tag)).toBe(false);
  });

  it.each([
    ['not json', '{'],
    ['no current', JSON.stringify({ k1: secret('a') })],
    ['current missing from the ring', JSON.stringify({ current: 'k2', k1: secret('a') })],
    ['short secret', JSON.stringify({ current: 'k1', k1: 'short' })],
    ['bad key id', JSON.stringify({ current: 'k1', k1: secret('a'), 'bad id': secret('b') })],
  ])('refuses a ring with %s, without echoing the secret', (_name, json) => {
    expect(() => parseKeyRing(json)).toThrow(KeyRingError);
    try {
      parseKeyRing(json);
    } catch (error) {
      expect(String(error)).not.toContain(secret('a'));
    }
  });
});
