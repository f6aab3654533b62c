import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { BALLOT_SHARDS, normalizeReceipt, receiptOf, RECEIPT_LENGTH, shardOf, voterKey } from '#shared/domain/budget-process/secrecy.ts';
import { generateKeyRingJson, parseKeyRing } from '#shared/secrets/key-ring.ts';

const ring = parseKeyRing(generateKeyRingJson('k1'));

describe('ballot secrecy keys', () => {
  it('a receipt is a short base32 hash of the ballot id: the same for a retry, different for another ballot', () => {
    const ballotId = randomUUID();
    const receipt = receiptOf(ballotId);
    expect(receipt).toMatch(new RegExp(`^[0-9A-HJKMNP-TV-Z]{${RECEIPT_LENGTH}}$`));
    expect(receiptOf(ballotId.toUpperCase())).toBe(receipt);
    expect(receiptOf(randomUUID())).not.toBe(receipt);
    expect(normalizeReceipt(`${receipt.slice(0, 8).toLowerCase()}-${receipt.slice(8)}`)).toBe(receipt);
  });

  it('the voter marker key is a keyed hash of (budget, national identifier): it holds neither, and differs per budget', () => {
    const key = voterKey(ring, 'k1', 'budget-a', '3012345678');
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(key).not.toContain('3012345678');
    expect(voterKey(ring, 'k1', 'budget-a', '3012345678')).toBe(key);
    expect(voterKey(ring, 'k1', 'budget-b', '3012345678')).not.toBe(key);
    // As typed at the centre: spaces, dashes and case do not matter.
    expect(voterKey(ring, 'k1', 'budget-a', '30 1234-5678')).toBe(key);
    expect(voterKey(ring, 'k1', 'budget-a', 'кк123456')).toBe(voterKey(ring, 'k1', 'budget-a', 'КК 123456'));
  });

  it('the marker is keyed: another ring gives another marker, and without the key it cannot be recomputed from the identifier', () => {
    const other = parseKeyRing(generateKeyRingJson('k1'));
    const key = voterKey(ring, 'k1', 'budget-a', '3012345678');
    expect(voterKey(other, 'k1', 'budget-a', '3012345678')).not.toBe(key);
    const unkeyed = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64url');
    for (const guess of ['budget-a\u00003012345678', 'hromada:budget-voter:budget-a\u00003012345678', 'hromada:budget-voter\u0000budget-a\u00003012345678']) {
      expect(unkeyed(guess)).not.toBe(key);
    }
  });

  it('a rotated ring keeps a process on the key it recorded: the same marker as before the rotation', () => {
    const before = parseKeyRing(JSON.stringify({ current: 'k1', k1: 'a'.repeat(40) }));
    const after = parseKeyRing(JSON.stringify({ current: 'k2', k1: 'a'.repeat(40), k2: 'b'.repeat(40) }));
    expect(voterKey(after, 'k1', 'budget-a', '3012345678')).toBe(voterKey(before, 'k1', 'budget-a', '3012345678'));
    expect(voterKey(after, 'k2', 'budget-a', '3012345678')).not.toBe(voterKey(before, 'k1', 'budget-a', '3012345678'));
  });

  it('markers and ballots spread over all shards', () => {
    const shards = new Set(Array.from({ length: 500 }, () => shardOf(receiptOf(randomUUID()))));
    expect([...shards].every((s) => s >= 0 && s < BALLOT_SHARDS)).toBe(true);
    expect(shards.size).toBe(BALLOT_SHARDS);
  });
});
