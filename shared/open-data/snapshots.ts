import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { openDataLocation } from '#shared/config.ts';
import { consultationFromItem } from '#shared/data/consultations.ts';
import { keys } from '#shared/data/keys.ts';
import { allConsultations, hourlyCounts, publicPetitions } from '#shared/data/open-data.ts';
import { petitionFromItem } from '#shared/data/petitions.ts';
import { tableName } from '#shared/data/table.ts';
import { applyChanges, emptySnapshot, type OpenDataSnapshot, type PetitionCount, type SnapshotChange } from '#shared/domain/open-data/snapshot.ts';
import { logger } from '#shared/observability.ts';
import { retryOnConflict } from '#shared/retry.ts';
import { versionedJsonStore, type VersionedJsonStore } from '#shared/storage/versioned-json.ts';
import { itemSortKey, keyPrefix } from '#shared/data/key-prefixes.ts';

/**
 * Each community's open-data snapshot (see shared/domain/open-data/snapshot.ts): one gzipped JSON
 * object, `open-data/<community>.json.gz` in the stage's derived-data bucket (`OPEN_DATA_BUCKET`),
 * a folder locally (`OPEN_DATA_DIR`), else memory. The `openDataPublisher` stream consumer keeps
 * it current; a dataset request reads it.
 */
export function openDataStore(): VersionedJsonStore<OpenDataSnapshot> {
  return versionedJsonStore<OpenDataSnapshot>({ prefix: 'open-data/', ...openDataLocation() }, emptySnapshot);
}

/** A community's snapshot read whole from the table: the first time one is asked for, or a repair. */
export async function snapshotFromTable(db: DynamoDBDocumentClient, community: string): Promise<OpenDataSnapshot> {
  const petitions = await publicPetitions(db, community);
  const hourly: Record<string, Record<string, number>> = {};
  await Promise.all(petitions.map(async (p) => {
    hourly[p.id] = Object.fromEntries((await hourlyCounts(db, p.id)).map((h) => [h.hour, h.signatureCount]));
  }));
  const consultations = await allConsultations(db, community);
  return {
    ...emptySnapshot(community),
    petitions: Object.fromEntries(petitions.map((p) => [p.id, p])),
    hourly,
    consultations: Object.fromEntries(consultations.map((c) => [c.id, c])),
  };
}

/**
 * The snapshot a dataset request renders. Never written yet (a new deployment, a community that
 * just started): read from the table once and stored, conditional on nobody having stored one
 * meanwhile (the publisher's then wins, being at least as new).
 */
export async function currentSnapshot(db: DynamoDBDocumentClient, community: string): Promise<OpenDataSnapshot> {
  const store = openDataStore();
  const read = (await store.read(community))!;
  if (read.version !== null) return read.value;
  const built = await snapshotFromTable(db, community);
  await store.write(community, built, null);
  return built;
}

const imageOf = (image: unknown) => (image ? unmarshall(image as Record<string, AttributeValue>) : undefined);

export interface PublishOutcome {
  /** Sequence numbers of the first record of each community that could not be applied. */
  failedSequenceNumbers: string[];
  /** Communities whose snapshot was written. */
  written: string[];
}

/**
 * Applies stream records to the communities' snapshots: petitions and consultations from their
 * new images (or their removal), petitions' counts from their count items, hourly counts from the counter's `COUNT#<hour>` items (their
 * community read from the petition, once per petition and batch). Each community's snapshot is
 * read, changed and written conditionally, again on a conflict. A snapshot never written yet is
 * read whole from the table instead, so a change never lands on an empty one. Replaying records is
 * harmless: the same upsert twice is the same, and an hour's count never goes down.
 */
export async function applyToSnapshots(db: DynamoDBDocumentClient, records: readonly DynamoDBRecord[]): Promise<PublishOutcome> {
  const store = openDataStore();
  const changes = new Map<string, { first: string; list: SnapshotChange[] }>();
  const communityOfPetition = new Map<string, string | undefined>();
  const add = (community: string, record: DynamoDBRecord, change: SnapshotChange) => {
    const entry = changes.get(community) ?? { first: record.dynamodb?.SequenceNumber ?? '0', list: [] };
    entry.list.push(change);
    changes.set(community, entry);
  };
  for (const record of records) {
    const sk = record.dynamodb?.Keys?.sk?.S ?? '';
    const pk = record.dynamodb?.Keys?.pk?.S ?? '';
    const item = imageOf(record.dynamodb?.NewImage);
    const old = imageOf(record.dynamodb?.OldImage);
    const community = String((item ?? old)?.community ?? '');
    if (sk === 'PETITION') {
      const id = pk.slice(keyPrefix.petition.length);
      if (community) communityOfPetition.set(id, community);
      if (community) add(community, record, { kind: 'petition', id, petition: item && record.eventName !== 'REMOVE' ? petitionFromItem(item) : undefined });
    } else if (sk === 'CONSULTATION') {
      const id = pk.slice('CONSULTATION#'.length);
      if (community) add(community, record, { kind: 'consultation', id, consultation: item && record.eventName !== 'REMOVE' ? consultationFromItem(item) : undefined });
    } else if (sk === itemSortKey.petitionCount && item && community) {
      add(community, record, {
        kind: 'count',
        petitionId: pk.slice(keyPrefix.petition.length),
        count: { signatureCount: Number(item.signatureCount ?? 0), thresholds: (item.thresholds ?? []) as PetitionCount['thresholds'], countedAt: String(item.countedAt ?? '') },
      });
    } else if (sk.startsWith(keyPrefix.countHistory) && item) {
      const petitionId = pk.slice(keyPrefix.petition.length);
      if (!communityOfPetition.has(petitionId)) {
        const { Item } = await db.send(new GetCommand({ TableName: tableName(), Key: keys.petition(petitionId), ProjectionExpression: 'community' }));
        communityOfPetition.set(petitionId, typeof Item?.community === 'string' ? Item.community : undefined);
      }
      const of = communityOfPetition.get(petitionId);
      if (of) add(of, record, { kind: 'hour', petitionId, hour: String(item.hour), count: Number(item.signatureCount) });
    }
  }
  const outcome: PublishOutcome = { failedSequenceNumbers: [], written: [] };
  await Promise.all([...changes].map(async ([community, { first, list }]) => {
    try {
      await retryOnConflict('open-data snapshot', async () => {
        const read = (await store.read(community))!;
        // Read whole from the table after these writes, it already holds them (or newer): nothing to apply.
        const next = read.version === null ? await snapshotFromTable(db, community) : applyChanges(read.value, list);
        return (await store.write(community, next, read.version)) !== null;
      });
      outcome.written.push(community);
    } catch (error) {
      logger.warn('open-data snapshot update failed; batch will be retried', { community, error: (error as Error).message });
      outcome.failedSequenceNumbers.push(first);
    }
  }));
  return outcome;
}
