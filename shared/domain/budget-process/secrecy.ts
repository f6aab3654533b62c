/**
 * The secret ballot. Two facts are stored about a vote, and nothing joins them:
 *
 * - that a person voted: a voter marker keyed by a one-way hash of (process, person), written
 *   with the date only (no time of day);
 * - what was chosen: the ballot, anonymous, keyed by a random ballot id the voter's device made
 *   (and by its receipt), with no person, no time and no marker key on it.
 *
 * Both are written by one transaction, so "voted" and "ballot counted" cannot disagree, and the
 * ballot id makes a retried request find its own ballot again (same receipt) without any link
 * being stored. The receipt, derived from the ballot id, lets anyone (first of all the voter) find
 * that exact ballot among the published anonymous ballots and recount.
 *
 * What still correlates, outside the stored items (see budgets.ts in shared/data for the keys):
 * - the table's stream holds both items of the transaction next to each other, with the same
 *   approximate creation time (to the second), for 24 hours; a reader of the stream during that
 *   window could pair a marker with its ballot. No stream consumer reads these items (the
 *   consumers filter on other key prefixes), and no log line carries a person with a ballot;
 * - the marker key is an HMAC, under a key of the deployment's key ring, of the process and the
 *   person's national identifier (the one the identity provider attests online, the one staff read
 *   from the ID document at the services centre): so a person has one marker whichever way they
 *   vote, and whoever holds the table and a list of identifiers, but not the key, cannot tell who
 *   voted. Whoever holds the key as well can (still not how);
 * - a receipt proves to whoever sees it how its holder voted: that is what makes the count
 *   verifiable, and it also means a voter could show it to someone buying votes;
 * - in a tiny electorate (a school class, the first minutes of voting) the day on the marker and
 *   the count of ballots say more than in a city.
 */
import { createHash } from 'node:crypto';
import { keyedHash, type KeyRing } from '#shared/secrets/key-ring.ts';
import { CROCKFORD_ALPHABET } from './crockford.ts';

/** Partitions voter markers and ballots are spread over (by a hash), so a busy vote has no hot key. */
export const BALLOT_SHARDS = 16;

/** Receipt length in base32 symbols: 80 bits, so two ballots never share one in practice. */
export const RECEIPT_LENGTH = 16;

/** Big-endian base32 of the first `symbols * 5` bits of `bytes`. */
export function base32(bytes: Uint8Array, symbols: number): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  let i = 0;
  while (out.length < symbols) {
    if (bits < 5) {
      buffer = (buffer << 8) | (bytes[i++] ?? 0);
      bits += 8;
    }
    out += CROCKFORD_ALPHABET[(buffer >> (bits - 5)) & 31];
    bits -= 5;
    buffer &= (1 << bits) - 1;
  }
  return out;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** The receipt of a ballot: 16 base32 symbols of sha256 of its ballot id (UUIDs compare case-insensitively). */
export function receiptOf(ballotId: string): string {
  return base32(sha256(`hromada:budget-ballot:${ballotId.toLowerCase()}`), RECEIPT_LENGTH);
}

/** A receipt as a person may type it: lower case, spaces or dashes, O for 0, I or L for 1. */
export function normalizeReceipt(text: string): string {
  return text.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

/**
 * A national identifier as typed or attested: upper case, without spaces, dashes or dots (the
 * РНОКПП is 10 digits; a passport number, for those who have none, letters and digits).
 */
export function normalizeNationalId(text: string): string {
  return text.normalize('NFC').toUpperCase().replace(/[\s.-]/g, '');
}

/**
 * The voter marker's key: an HMAC of (process, person's national identifier) under the ring's key
 * `keyId`, the one the process recorded at creation (so a rotation of the ring keeps its markers).
 */
export function voterKey(ring: KeyRing, keyId: string, budgetId: string, nationalId: string): string {
  return keyedHash(ring, 'budget-voter', `${budgetId}\u0000${normalizeNationalId(nationalId)}`, keyId);
}

/** The shard of a marker key or a receipt. */
export function shardOf(value: string): number {
  return sha256(value).readUInt16BE(0) % BALLOT_SHARDS;
}
