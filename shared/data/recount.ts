/**
 * Recount: sets a petition's signature count and threshold stamps from what is stored (its
 * signature items and its alert items), for when the counter's work was lost (a dead-letter window
 * missed, an item deleted or corrupted by hand).
 *
 * ## Why a recount cannot just write "count = number of signature items"
 * The signature counter (shared/streams/signature-counter.ts) adds, per (petition, stream shard),
 * the records after its checkpoint `COUNTED#<shard>.lastSequenceNumber`. A signature written just
 * before the recount is already among the items the recount counts, while its stream record may
 * still be on its way to the counter, which would then add it a second time.
 *
 * ## Design: the recount moves the counter's checkpoints to a watermark
 * The recount reads the stream itself, and writes, with the count, for every shard, a checkpoint
 * at the last signature record of the petition that its count already includes. The counter
 * already skips records at or before its checkpoint, so it adds exactly the records after the
 * watermark, which are exactly those the count does not include. No change to the counter:
 * 1. read the petition, its checkpoints and its alert items (consistent reads);
 * 2. read every shard of the stream to its end: the last signature record of the petition per shard;
 * 3. count the signature items (the sharded signer index, 16 queries);
 * 4. read the stream again from where 2 stopped. A new signature record of the petition means a
 *    signature was written while counting: count again (bounded rounds; "busy" after them). None
 *    means the count holds every record up to the watermark and none after it;
 * 5. one transaction, guarded like the counter's own: `signatureCount` still what step 1 read and
 *    every checkpoint moved still what step 1 read. Whatever the counter applied in between makes
 *    it fail, and the recount starts again from step 1;
 * 6. thresholds: planRecount (shared/domain/petitions/recount.ts): stamps restored from alert
 *    items, new crossings stamped with their alert items written `attribute_not_exists` (the
 *    notifier then sends each once), never a second alert for a threshold.
 * Settle pauses before step 3 and before step 4 give the index and the stream time to show the
 * writes already acknowledged (both are asynchronous in AWS, usually well under a second).
 *
 * A side effect that is wanted: records a consumer gave up on (dead-lettered) are at or before the
 * watermark once a recount has run, so a later replay of them cannot count them again.
 *
 * Known limit: the counter's own guard is the count (and its shard's checkpoint), not the
 * thresholds. When a recount changes only the stamps (the count was right) while a counter batch
 * of the same petition, read before the recount, commits after it, that batch writes back the
 * stamps it read. Running the recount again repairs it; guarding the counter's update on
 * `thresholds` too would close it.
 */
import type { Shard } from '@aws-sdk/client-dynamodb-streams';
import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type ThresholdState } from '#shared/domain/petitions/petition.ts';
import { planRecount, type RecordedAlert } from '#shared/domain/petitions/recount.ts';
import { keys, SIGNATURE_SHARDS } from './keys.ts';
import { petitionFromItem, petitionItems } from './petitions.ts';
import { countTransactionItems, isCountConflict, storedCount } from './petition-count.ts';
import { countPartition, queryAll } from './query.ts';
import type { StreamReader } from './stream-reader.ts';
import { pause } from '#shared/retry.ts';
import { keyPrefix } from './key-prefixes.ts';


export interface RecountOptions {
  /** Pause before counting and before re-reading the stream (default 1000 ms). */
  settleMs?: number;
  /** Counting rounds while signatures keep arriving (default 5). */
  maxRounds?: number;
  /** Whole attempts when the counter writes in between (default 5). */
  maxAttempts?: number;
  now?: () => Date;
}

export interface CountState {
  signatureCount: unknown;
  reached: number[];
}

export interface RecountResult {
  petitionId: string;
  outcome: 'recounted' | 'unchanged' | 'not-found' | 'busy';
  before?: CountState;
  after?: CountState;
  /** Alert items written by this recount (thresholds nobody had recorded). */
  newAlerts: number[];
  /** Threshold stamps rebuilt from their alert items. */
  restored: number[];
  /** Thresholds stamped without an alert item (left alone; look at them). */
  stampedWithoutAlert: number[];
  /** Checkpoints moved to the watermark (or repaired). */
  checkpointsMoved: number;
  /** Of those, checkpoints that named no record of their shard (corrupted). */
  checkpointsRepaired: number;
}

interface Snapshot {
  id: string;
  item: Record<string, unknown>;
  /** The petition's count item; undefined before its first count (or for a petition never published). */
  countItem: Record<string, unknown> | undefined;
  checkpoints: Map<string, string>;
  alerts: RecordedAlert[];
}

/** Recounts the given petitions (see the design above). Results in the order of `ids`. */
export async function recountPetitions(
  db: DynamoDBDocumentClient,
  reader: StreamReader,
  ids: readonly string[],
  options: RecountOptions = {},
): Promise<RecountResult[]> {
  const settleMs = options.settleMs ?? 1000;
  const maxRounds = options.maxRounds ?? 5;
  const maxAttempts = options.maxAttempts ?? 5;
  const now = options.now ?? (() => new Date());
  const results = new Map<string, RecountResult>();
  let todo = [...new Set(ids)];

  for (let attempt = 1; todo.length > 0 && attempt <= maxAttempts; attempt++) {
    // 1. What the counter has recorded.
    const snapshots: Snapshot[] = [];
    for (const id of todo) {
      const snapshot = await readSnapshot(db, id);
      if (snapshot) snapshots.push(snapshot);
      else results.set(id, empty(id, 'not-found'));
    }
    // 2. What the stream holds.
    const watch = new StreamWatch(reader, new Set(snapshots.map((s) => s.id)));
    await watch.advance();
    // 3-4. Count until no signature arrived while counting.
    const counts = new Map<string, number>();
    let unsettled = snapshots.map((s) => s.id);
    for (let round = 0; unsettled.length > 0 && round < maxRounds; round++) {
      await pause(settleMs);
      for (const id of unsettled) counts.set(id, await countSignatureItems(db, id));
      await pause(settleMs);
      const touched = await watch.advance();
      unsettled = unsettled.filter((id) => touched.has(id));
    }
    const retry: string[] = [];
    for (const snapshot of snapshots) {
      if (unsettled.includes(snapshot.id)) {
        retry.push(snapshot.id);
        results.set(snapshot.id, empty(snapshot.id, 'busy'));
        continue;
      }
      // 5-6. Write, guarded.
      const checkpoints = await checkpointTargets(snapshot, watch, reader);
      const result = await writeRecount(db, snapshot, counts.get(snapshot.id)!, checkpoints, now());
      if (result) results.set(snapshot.id, result);
      else retry.push(snapshot.id);
    }
    todo = retry;
  }
  for (const id of todo) if (!results.has(id)) results.set(id, empty(id, 'busy'));
  return [...new Set(ids)].map((id) => results.get(id)!);
}

/** Ids of the petitions stored as open in the given communities. */
export async function openPetitionIds(db: DynamoDBDocumentClient, communities: readonly string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const c of communities) {
    const items = await queryAll(db, { index: 'gsi1', partition: keys.petitionListing(c, 'open'), attributes: ['id'] });
    ids.push(...items.map((item) => String(item.id)));
  }
  return ids;
}

/** The number of signature items of a petition: its entries in the sharded signer index. */
export async function countSignatureItems(db: DynamoDBDocumentClient, petitionId: string): Promise<number> {
  const perShard = await Promise.all(Array.from({ length: SIGNATURE_SHARDS }, (_, shard) =>
    countPartition(db, { index: 'gsi1', partition: keys.signerShard(petitionId, shard) })));
  return perShard.reduce((a, b) => a + b, 0);
}

// ---------------------------------------------------------------------------------------------

/** Per shard, the last signature record of each watched petition, read incrementally. */
class StreamWatch {
  private readonly positions = new Map<string, string | undefined>();
  private readonly finished = new Set<string>();
  private readonly latest = new Map<string, Map<string, string>>();

  constructor(private readonly reader: StreamReader, private readonly petitions: ReadonlySet<string>) {}

  /** Reads every shard to its end; returns the petitions that got records in this pass. */
  async advance(): Promise<Set<string>> {
    const touched = new Set<string>();
    const shards: Shard[] = await this.reader.shards();
    for (const shard of shards) {
      const shardId = shard.ShardId!;
      if (this.finished.has(shardId)) continue;
      const last = await this.reader.readToTip(shardId, this.positions.get(shardId), (record) => {
        const sk = record.dynamodb?.Keys?.sk?.S;
        const id = sk?.startsWith(keyPrefix.signature) ? sk.slice(keyPrefix.signature.length) : undefined;
        if (!id || !this.petitions.has(id) || (record.eventName !== 'INSERT' && record.eventName !== 'REMOVE')) return;
        const perShard = this.latest.get(id) ?? new Map<string, string>();
        perShard.set(shardId, record.dynamodb!.SequenceNumber!);
        this.latest.set(id, perShard);
        touched.add(id);
      });
      this.positions.set(shardId, last);
      if (shard.SequenceNumberRange?.EndingSequenceNumber !== undefined) this.finished.add(shardId);
    }
    return touched;
  }

  watermarks(petitionId: string): ReadonlyMap<string, string> {
    return this.latest.get(petitionId) ?? new Map();
  }

  /** Whether the shard was in the stream at the last pass. */
  listed(shardId: string): boolean {
    return this.positions.has(shardId);
  }

  /** The last record read in the shard (of any item), if any. */
  tip(shardId: string): string | undefined {
    return this.positions.get(shardId);
  }
}

/**
 * The checkpoints to write: per shard, the watermark when it is past the counter's checkpoint; and
 * a checkpoint past the end of its shard that names no record of it (corrupted: the counter would
 * skip every new signature of that shard) comes back to the last record read there. Every record
 * of the petition up to that point is in the count (the snapshot is clean), none after it.
 */
async function checkpointTargets(snapshot: Snapshot, watch: StreamWatch, reader: StreamReader): Promise<{ moved: [string, string][]; repaired: number }> {
  const moved: [string, string][] = [];
  let repaired = 0;
  const watermarks = watch.watermarks(snapshot.id);
  for (const shard of new Set([...watermarks.keys(), ...snapshot.checkpoints.keys()])) {
    const current = snapshot.checkpoints.get(shard);
    const seen = watermarks.get(shard);
    if (current !== undefined && watch.listed(shard)) {
      const tip = watch.tip(shard);
      if ((tip === undefined || BigInt(current) > BigInt(tip)) && !(await reader.hasRecord(shard, current))) {
        moved.push([shard, tip ?? '0']);
        repaired++;
        continue;
      }
    }
    if (seen !== undefined && (current === undefined || BigInt(seen) > BigInt(current))) moved.push([shard, seen]);
  }
  return { moved, repaired };
}

async function readSnapshot(db: DynamoDBDocumentClient, id: string): Promise<Snapshot | undefined> {
  const { item: Item, countItem } = await petitionItems(db, id, true);
  if (!Item) return undefined;
  const under = (prefix: string) => queryAll(db, { partition: keys.petition(id).pk, prefix, consistent: true });
  const checkpoints = new Map((await under('COUNTED#')).map((c) => [String(c.sk).slice('COUNTED#'.length), String(c.lastSequenceNumber)]));
  const alerts = (await under(keyPrefix.alert)).map((a) => ({
    threshold: Number(a.threshold),
    reachedAt: String(a.reachedAt),
    signatureCount: Number(a.signatureCount),
  }));
  return { id, item: Item, countItem, checkpoints, alerts };
}

/** The thresholds as stored or, when the stored list is not a valid one, afresh from the rules (stamps come back from alert items). */
function storedThresholds(item: Record<string, unknown>, stored: unknown): ThresholdState[] {
  const valid = Array.isArray(stored) && stored.every((t) =>
    t && typeof t === 'object' && typeof t.signatures === 'number' && typeof t.purpose === 'string' &&
    (t.reachedAt === null || typeof t.reachedAt === 'string'));
  if (valid) return (stored as ThresholdState[]).map((t) => ({ ...t, countAtCrossing: t.countAtCrossing ?? null }));
  const rules = (item.rules as { thresholds?: { signatures: number; purpose: string }[] } | undefined)?.thresholds ?? [];
  return [...rules].sort((a, b) => a.signatures - b.signatures)
    .map((t) => ({ signatures: t.signatures, purpose: t.purpose, reachedAt: null, countAtCrossing: null }));
}

const reachedOf = (thresholds: readonly ThresholdState[]) => thresholds.filter((t) => t.reachedAt !== null).map((t) => t.signatures);

/** One guarded transaction; undefined when the counter (or another recount) wrote in between. */
async function writeRecount(
  db: DynamoDBDocumentClient,
  snapshot: Snapshot,
  count: number,
  checkpoints: { moved: [string, string][]; repaired: number },
  at: Date,
): Promise<RecountResult | undefined> {
  const { id, item } = snapshot;
  const petition = petitionFromItem(item, snapshot.countItem);
  const stored = storedCount(item, snapshot.countItem);
  const thresholdsBefore = storedThresholds(item, stored.thresholds);
  const plan = planRecount({ thresholds: thresholdsBefore, signatureCount: stored.signatureCount }, count, snapshot.alerts, at);
  const { moved } = checkpoints;
  const thresholdsChanged = JSON.stringify(plan.thresholds) !== JSON.stringify(stored.thresholds);
  // A count still on the petition item (published before count items existed) is moved even when right.
  const countChanged = stored.expectedCount !== count;
  const base = {
    petitionId: id,
    before: { signatureCount: stored.expectedCount ?? item.signatureCount, reached: reachedOf(thresholdsBefore) },
    after: { signatureCount: count, reached: reachedOf(plan.thresholds) },
    newAlerts: plan.crossed.map((c) => c.signatures),
    restored: plan.restored,
    stampedWithoutAlert: plan.stampedWithoutAlert,
    checkpointsMoved: moved.length,
    checkpointsRepaired: checkpoints.repaired,
  };
  if (!countChanged && !thresholdsChanged && moved.length === 0) return { ...base, outcome: 'unchanged' };

  try {
    await db.send(new TransactWriteCommand({
      TransactItems: countTransactionItems({
        petition, expectedCount: stored.expectedCount, moveFromPetitionItem: stored.moveFromPetitionItem,
        newCount: count, thresholds: plan.thresholds, crossed: plan.crossed, firstCrossing: plan.firstCrossing,
        checkpoints: moved.map(([shard, sequenceNumber]) => ({ shard, sequenceNumber, seen: snapshot.checkpoints.get(shard) })),
        writeHistory: countChanged, at, recount: true,
      }),
    }));
  } catch (error) {
    if (isCountConflict(error)) return undefined;
    throw error;
  }
  return { ...base, outcome: 'recounted' };
}

function empty(petitionId: string, outcome: RecountResult['outcome']): RecountResult {
  return { petitionId, outcome, newAlerts: [], restored: [], stampedWithoutAlert: [], checkpointsMoved: 0, checkpointsRepaired: 0 };
}

