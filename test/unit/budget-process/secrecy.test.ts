import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BALLOT_SHARDS, normalizeReceipt, receiptOf, RECEIPT_LENGTH, shardOf, voterKey } from '../../../shared/domain/budget-process/secrecy.ts';

describe('ballot secrecy keys', () => {
  it('a receipt is a short base32 hash of the ballot id: the same for a retry, different for another ballot', () => {
    const ballotId = randomUUID();
    const receipt = receiptOf(ballotId);
    expect(receipt).toMatch(new RegExp(`^[0-9A-HJKMNP-TV-Z]{${RECEIPT_LENGTH}}$`));
    expect(receiptOf(ballotId.toUpperCase())).toBe(receipt);
    expect(receiptOf(randomUUID())).not.toBe(receipt);
    expect(normalizeReceipt(`${receipt.slice(0, 8).toLowerCase()}-${receipt.slice(8)}`)).toBe(receipt);
  });

  it('the voter marker key is a one-way hash of (budget, person): it holds neither, and differs per budget', () => {
    const key = voterKey('budget-a', 'olena-sub');
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(key).not.toContain('olena');
    expect(voterKey('budget-a', 'olena-sub')).toBe(key);
    expect(voterKey('budget-b', 'olena-sub')).not.toBe(key);
  });

  it('markers and ballots spread over all shards', () => {
    const shards = new Set(Array.from({ length: 500 }, () => shardOf(receiptOf(randomUUID()))));
    expect([...shards].every((s) => s >= 0 && s < BALLOT_SHARDS)).toBe(true);
    expect(shards.size).toBe(BALLOT_SHARDS);
  });
});
