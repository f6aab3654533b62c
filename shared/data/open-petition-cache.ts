import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Petition } from '#shared/domain/petitions/petition.ts';
import { getPetition } from './petitions.ts';

/**
 * Signing reads the petition before writing the signature; under a burst on one petition that
 * read is half the work. An open petition's signing rules cannot change (open is terminal in
 * storage: "closed" is derived from the immutable `closesAt`), so each Lambda container keeps
 * open petitions for a few seconds. Only the count shown in the sign response can be that much
 * older, and it already trails the stream by a few seconds. Petitions in any other state are
 * never cached: they may open at any moment.
 */
const TTL_MS = 5_000;
const MAX_ENTRIES = 1_000;
const cache = new Map<string, { petition: Petition; until: number }>();

export async function getPetitionForSigning(db: DynamoDBDocumentClient, id: string, now = Date.now()): Promise<Petition | undefined> {
  const hit = cache.get(id);
  if (hit && hit.until > now) return hit.petition;
  const petition = await getPetition(db, id);
  if (petition?.status === 'open') {
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!); // oldest first (Map keeps insertion order)
    cache.delete(id);
    cache.set(id, { petition, until: now + TTL_MS });
  }
  return petition;
}
