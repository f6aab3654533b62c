/**
 * Key design. Every write a signature makes lands on a key of its own, so one viral petition is
 * not a hot partition:
 * - the signature itself: pk PERSON#<sub>, sk SIG#<petitionId> (one item per person and petition:
 *   the key *is* the uniqueness rule, and a person's signing history is one Query);
 * - its index entry for the public signer list: gsi1pk PETITION#<id>#SIGS#<shard>, where shard is a
 *   hash of the signer into SIGNATURE_SHARDS buckets (each takes 1/16 of the petition's writes);
 * - the count: not incremented per signature but per stream batch by the signature counter, on a
 *   small item of its own (sk PETITION#COUNT) that also holds the "most signed" ranking entry (gsi3): a count
 *   write rewrites under 1 KB and one index, whatever the petition's size.
 */
import { createHash } from 'node:crypto';
import { itemSortKey, keyPrefix } from './key-prefixes.ts';

export const SIGNATURE_SHARDS = 16;

export const keys = {
  petition: (id: string) => ({ pk: `${keyPrefix.petition}${id}`, sk: itemSortKey.petition }),
  /** The count item: the signature counter writes it, every reader of a petition merges it (shared/data/petitions.ts). */
  petitionCount: (id: string) => ({ pk: `${keyPrefix.petition}${id}`, sk: itemSortKey.petitionCount }),
  /** `open` holds every published petition (open and closed: closing follows the clock), `answered` its entries. */
  petitionListing: (community: string, listing: 'open' | 'moderation' | 'rejected' | 'answered') => `C#${community}#PETITIONS#${listing}`,
  /** Entry of an answered petition in the public "answered" listing. */
  answered: (petitionId: string) => ({ pk: `${keyPrefix.petition}${petitionId}`, sk: 'ANSWERED' }),
  /** Everything of one person that a data export must find: signatures, authored petitions. */
  person: (sub: string) => `PERSON#${sub}`,
  signature: (signerSub: string, petitionId: string) => ({ pk: `PERSON#${signerSub}`, sk: `${keyPrefix.signature}${petitionId}` }),
  authored: (authorSub: string, petitionId: string) => ({ pk: `PERSON#${authorSub}`, sk: `AUTHORED#${petitionId}` }),
  signerShard: (petitionId: string, shard: number) => `${keyPrefix.petition}${petitionId}#SIGS#${String(shard).padStart(2, '0')}`,
  /** Per stream shard: the last stream sequence number already counted for this petition. */
  countCheckpoint: (petitionId: string, streamShardId: string) => ({ pk: `${keyPrefix.petition}${petitionId}`, sk: `COUNTED#${streamShardId}` }),
  /** Hourly signature count, for the open-data time series. */
  countHistory: (petitionId: string, hour: string) => ({ pk: `${keyPrefix.petition}${petitionId}`, sk: `${keyPrefix.countHistory}${hour}` }),
  /** A petition's closing (its signing period ended), recorded once: the notification of the closing comes from its INSERT. */
  petitionClosed: (petitionId: string) => ({ pk: `${keyPrefix.petition}${petitionId}`, sk: itemSortKey.petitionClosed }),
  /** Per community: the deadlines up to which the close-petitions schedule has recorded every closing. */
  closingWatermark: (community: string) => ({ pk: `C#${community}#CLOSINGS`, sk: 'THROUGH' }),
  alert: (petitionId: string, threshold: number) => ({ pk: `${keyPrefix.petition}${petitionId}`, sk: `${keyPrefix.alert}${String(threshold).padStart(10, '0')}` }),
  alertListing: (community: string) => `C#${community}#ALERTS`,
  awaiting: (petitionId: string) => ({ pk: `${keyPrefix.petition}${petitionId}`, sk: 'AWAITING' }),
  awaitingListing: (community: string) => `C#${community}#AWAITING`,
  /** A budget process's item (read by the notification events consumer without the budgets module). */
  budget: (budgetId: string) => ({ pk: `${keyPrefix.budget}${budgetId}`, sk: itemSortKey.budget }),
  /** A budget's published results (in the budget's partition). */
  budgetResults: (budgetId: string) => ({ pk: `${keyPrefix.budget}${budgetId}`, sk: itemSortKey.results }),
  community: (id: string) => ({ pk: `${keyPrefix.community}${id}`, sk: itemSortKey.communityConfig }),
  rateLimit: (sub: string, action: string, day: string) => ({ pk: `LIMIT#${sub}`, sk: `${action}#${day}` }),
};

export function signerShardOf(signerSub: string): number {
  return createHash('sha256').update(signerSub).digest().readUInt16BE(0) % SIGNATURE_SHARDS;
}

export const padCount = (n: number) => String(n).padStart(12, '0');
