/**
 * The close-petitions job (shared/schedules.ts; the handler is functions/schedules/close-petitions.ts):
 * records, once, each petition whose signing period ended. The record's INSERT on the table's stream
 * is what the notification consumers turn into a message to the author, the followers and the
 * signers who asked to hear (shared/domain/notifications.ts). A run that repeats (a retry, two at
 * once, the same window again after a crash) records nothing twice, so nobody hears twice.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { getClosingWatermark, petitionsClosingBetween, recordClosing, saveClosingWatermark } from '#shared/data/closings.ts';
import { communityIds } from '#shared/data/communities.ts';
import { getPetition } from '#shared/data/petitions.ts';
import { closingOf, closingWindow } from '#shared/domain/petitions/closing.ts';

export interface ClosingRun {
  readonly communities: number;
  /** Petitions whose closing this run recorded. */
  readonly recorded: string[];
  /** Closings in the window recorded before (by an earlier run). */
  readonly alreadyRecorded: number;
}

export async function recordPetitionClosings(db: DynamoDBDocumentClient, now: Date = new Date()): Promise<ClosingRun> {
  const communities = await communityIds(db);
  const recorded: string[] = [];
  let alreadyRecorded = 0;
  for (const community of communities) {
    const { from, through } = closingWindow(await getClosingWatermark(db, community), now);
    for await (const listed of petitionsClosingBetween(db, community, from, through)) {
      // The petition itself, read consistently: its final count (the index may trail it).
      const petition = await getPetition(db, listed.id, true);
      const closing = petition && closingOf(petition, through, now);
      if (!closing) continue;
      if (await recordClosing(db, closing)) recorded.push(closing.petitionId);
      else alreadyRecorded++;
    }
    // Only after every closing up to `through` is recorded: a run that fails before does it again.
    await saveClosingWatermark(db, community, through, now);
  }
  return { communities: communities.length, recorded, alreadyRecorded };
}
