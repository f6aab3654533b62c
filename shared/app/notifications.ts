/**
 * Asking to hear what happens next (issue 13), shared by the follow routes and by `notify` on
 * answering a consultation and on a budget ballot. Handlers import this; no handler imports another.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Principal } from '#shared/auth/roles.ts';
import { follow, getContact } from '#shared/data/notifications.ts';
import { contactForFollowing, languageFromHeader, noEmailDetail, type FollowableType } from '#shared/domain/notifications.ts';
import { problems } from '#shared/http/problem.ts';

/** 422 before anything is written when there is no address to write to. */
export function requireEmail(principal: Principal): string {
  if (!principal.email) throw problems.unprocessable('email-required', noEmailDetail);
  return principal.email;
}

/**
 * Follows `type`/`id` for the person (idempotent), saving their contact (address from the token,
 * language kept or from Accept-Language, `followed` added) in the same transaction when it changed.
 * `contactTime` is what the contact's `updatedAt` records (see `wishToHearBallotResults`).
 */
export async function followFor(
  db: DynamoDBDocumentClient,
  subject: { type: FollowableType; id: string },
  principal: Principal,
  acceptLanguage: string | undefined,
  contactTime: Date,
): Promise<void> {
  const email = requireEmail(principal);
  const contact = contactForFollowing(await getContact(db, principal.sub), email, languageFromHeader(acceptLanguage), contactTime);
  await follow(db, subject.type, subject.id, principal.sub, contact ? { sub: principal.sub, contact } : undefined);
}

/**
 * A voter's wish to hear a budget's results (`{"notify": true}` on the ballot), stored so that it
 * can never be linked to the ballot (issue 13). What could link them, and why nothing does:
 *
 * - **The same write.** The ballot and the voter marker are one transaction; the wish is NOT in it.
 *   It is written by its own request to the table, only after the ballot transaction has succeeded
 *   (so a refused ballot stores no wish, and a retry of a counted ballot that lost its wish on the
 *   way writes it then).
 * - **A shared id.** The wish is the person's ordinary follow of the budget: pk
 *   WATCH#budget#<budget>#<shard of the person's sub>, sk <sub>, `type` only (and its mirror in the
 *   person's partition). No ballot id, no receipt, no voter-marker key: none of them is an input of
 *   any of its keys or attributes, and the ballot's keys (the receipt's hash shard, BALLOT#<receipt>)
 *   come from the ballot id alone, which the wish never sees.
 * - **A time.** The wish and the ballot carry no time at all; the voter marker carries the day. The
 *   contact (written with the wish only when it changed) records the day too, never the ms, so no
 *   stored time of the person's items orders them against the day's ballots.
 * - **Sort order.** Wishes sort by sub, ballots by receipt (a hash of a random id): reading both
 *   partitions side by side pairs nothing.
 * - **Telling a voter's wish from a follow.** It is byte for byte the item the follow button writes,
 *   so the table cannot even say that the person voted (the voter marker already says that, keyed
 *   under the key ring, and says nothing of the ballot).
 *
 * What remains: the table's stream (kept 24 hours, read only by the stream consumers) shows the
 * ballot transaction's records and, a few ms later, the wish's; whoever can read the raw stream
 * during that day could pair them by arrival order, as they could already pair the marker with the
 * ballot. That is an operator's access to the live system, not data the service keeps.
 * A person who already follows the budget with the same contact causes no stream record at all
 * (DynamoDB writes none for a put that changes nothing).
 */
export async function wishToHearBallotResults(
  db: DynamoDBDocumentClient,
  budgetId: string,
  principal: Principal,
  acceptLanguage: string | undefined,
  today: string,
): Promise<void> {
  await followFor(db, { type: 'budget', id: budgetId }, principal, acceptLanguage, new Date(`${today}T00:00:00.000Z`));
}
