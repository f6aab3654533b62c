import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { followersPage, getContact, notifyKeys, writeOutbox, type FanOutCursor } from '#shared/data/notifications.ts';
import { itemSortKey, keyPrefix } from '#shared/data/key-prefixes.ts';
import { keys } from '#shared/data/keys.ts';
import { tableName } from '#shared/data/table.ts';
import { audienceOf, kindFor, petitionEvents, withBudget, withWinners, type NotificationEvent } from '#shared/domain/notifications.ts';
import { personMail } from '#shared/i18n/mail.ts';
import type { Mailer } from '#shared/mail/mailer.ts';
import { sendOnce } from '#shared/mail/send-once.ts';
import { NOTIFICATION_UNDELIVERED_EVENT } from '#shared/notify/alert.ts';
import { unsubscribeLink, unsubscribeToken } from '#shared/notify/unsubscribe.ts';
import type { KeyRing } from '#shared/secrets/key-ring.ts';

/**
 * Notifications to people, in three stream consumers (shared/streams/consumers.ts), with the table
 * itself as the durable queue (an outbox read from its stream) rather than SQS: the local runtime
 * then runs exactly what deploys (the stream poller feeds every consumer), each step is a
 * conditional or idempotent write that a retried batch repeats harmlessly, and progress survives a
 * crash anywhere:
 * 1. events: a petition's change (or a new threshold alert, a budget project's review, ...) → one job item per event
 *    (NOTIFY#<key>/JOB, conditional: one per event however often the record comes);
 * 2. fan-out: a job → one outbox item per recipient (NOTIFY#<key>/TO#<sub>), a page of followers at
 *    a time; it saves its cursor on the job as it goes, and that MODIFY brings it back to go on,
 *    so an event with 100,000 followers is many short invocations, resumable after a crash;
 * 3. sender: each new outbox item → the person's contact (their language, their kinds, whether they
 *    unsubscribed: read at send time) → one e-mail, recorded by a "sent" marker per (event, person).
 * Write units per recipient: the outbox item (1) and the sent marker (1). The SES rate is held by
 * the sender's reserved concurrency and batch size.
 */

const JOB_TTL_SECONDS = 30 * 24 * 3600;
const image = (value: Record<string, AttributeValue> | undefined) =>
  value ? (unmarshall(value) as Record<string, unknown>) : undefined;

export function createNotificationEvents(deps: { db: DynamoDBDocumentClient }) {
  const processor = new BatchProcessor(EventType.DynamoDBStreams);
  async function record(record: DynamoDBRecord): Promise<void> {
    const events = petitionEvents(
      image(record.dynamodb?.OldImage as Record<string, AttributeValue> | undefined),
      image(record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined),
    );
    for (const found of events) {
      // A budget's results: the winners are named in the e-mail (the results item is written in the
      // same transaction as the process's publication stamp, so it is there).
      // A project's review: the budget's title and currency (one read; reviews are few).
      const event = found.type === 'budget-results'
        ? withWinners(found, (await deps.db.send(new GetCommand({ TableName: tableName(), Key: keys.budgetResults(found.budgetId), ConsistentRead: true }))).Item?.results as Record<string, unknown> | undefined)
        : found.type === 'budget-project-reviewed'
          ? withBudget(found, (await deps.db.send(new GetCommand({
              TableName: tableName(), Key: keys.budget(found.budgetId), ProjectionExpression: '#title, money', ExpressionAttributeNames: { '#title': 'title' },
            }))).Item)
          : found;
      const now = new Date();
      try {
        await deps.db.send(new PutCommand({
          TableName: tableName(),
          Item: { ...notifyKeys.job(event.key), type: 'notify-job', event, createdAt: now.toISOString(), expiresAt: Math.floor(now.getTime() / 1000) + JOB_TTL_SECONDS },
          ConditionExpression: 'attribute_not_exists(pk)',
        }));
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
  }
  return async (event: DynamoDBStreamEvent, context?: Context): Promise<DynamoDBBatchResponse> =>
    processPartialResponse(event, record, processor, context ? { context } : undefined);
}

export interface FanOutOptions {
  /** Followers read per page (one Query). */
  readonly pageSize?: number;
  /** Stop and save the cursor when less than this is left of the invocation (ms). */
  readonly reserveMs?: number;
  /** Stop and save the cursor after this many pages (bounds one invocation; tests use small values). */
  readonly maxPagesPerInvocation?: number;
}

export function createNotificationFanOut(deps: { db: DynamoDBDocumentClient } & FanOutOptions) {
  const processor = new BatchProcessor(EventType.DynamoDBStreams);
  const pageSize = deps.pageSize ?? 1000;
  const reserveMs = deps.reserveMs ?? 15_000;
  const maxPages = deps.maxPagesPerInvocation ?? 200;

  return async (streamEvent: DynamoDBStreamEvent, context?: Context): Promise<DynamoDBBatchResponse> => {
    async function record(record: DynamoDBRecord): Promise<void> {
      const pk = record.dynamodb?.Keys?.pk?.S;
      if (!pk?.startsWith(keyPrefix.notification) || record.dynamodb?.Keys?.sk?.S !== itemSortKey.notificationJob) return;
      const { Item: job } = await deps.db.send(new GetCommand({ TableName: tableName(), Key: { pk, sk: itemSortKey.notificationJob }, ConsistentRead: true }));
      if (!job || job.doneAt) return;
      const event = job.event as NotificationEvent;
      const audience = audienceOf(event);
      const expiresAt = Number(job.expiresAt);
      let cursor: FanOutCursor | undefined = audience.followers ? ((job.cursor as FanOutCursor | undefined) ?? { shard: 0 }) : undefined;
      let written = Number(job.recipientCount ?? 0);
      for (let pages = 0; cursor; pages++) {
        const timeLeft = context ? context.getRemainingTimeInMillis() : Number.POSITIVE_INFINITY;
        if (pages >= maxPages || timeLeft < reserveMs) {
          // Saved: this MODIFY of the job comes back on the stream and the fan-out goes on from here.
          await deps.db.send(new UpdateCommand({
            TableName: tableName(),
            Key: { pk, sk: itemSortKey.notificationJob },
            UpdateExpression: 'SET #cursor = :cursor, recipientCount = :n ADD slices :one',
            ExpressionAttributeNames: { '#cursor': 'cursor' },
            ExpressionAttributeValues: { ':cursor': cursor, ':n': written, ':one': 1 },
          }));
          return;
        }
        const page = await followersPage(deps.db, audience.subject, cursor, pageSize);
        await writeOutbox(deps.db, event.key, page.subs, expiresAt);
        written += page.subs.length;
        cursor = page.next;
      }
      if (audience.author) {
        await writeOutbox(deps.db, event.key, [audience.author], expiresAt);
        written += 1;
      }
      await deps.db.send(new UpdateCommand({
        TableName: tableName(),
        Key: { pk, sk: itemSortKey.notificationJob },
        UpdateExpression: 'SET doneAt = :now, recipientCount = :n REMOVE #cursor',
        ExpressionAttributeNames: { '#cursor': 'cursor' },
        ExpressionAttributeValues: { ':now': new Date().toISOString(), ':n': written },
      }));
    }
    return processPartialResponse(streamEvent, record, processor, context ? { context } : undefined);
  };
}


export interface NotificationSenderDeps {
  readonly db: DynamoDBDocumentClient;
  readonly mailer: Mailer | undefined | (() => Mailer | undefined);
  readonly keyRing: () => Promise<KeyRing>;
  readonly webOrigin?: () => string | undefined;
  readonly warn?: (line: string) => void;
}

export function createNotificationSender(deps: NotificationSenderDeps) {
  const processor = new BatchProcessor(EventType.DynamoDBStreams);
  const warn = deps.warn ?? ((line: string) => console.warn(line));

  return async (streamEvent: DynamoDBStreamEvent, context?: Context): Promise<DynamoDBBatchResponse> => {
    // The events of this batch, read once each.
    const jobs = new Map<string, Promise<NotificationEvent | undefined>>();
    const jobOf = (pk: string) => {
      let job = jobs.get(pk);
      if (!job) {
        job = deps.db.send(new GetCommand({ TableName: tableName(), Key: { pk, sk: itemSortKey.notificationJob } })).then(({ Item }) => Item?.event as NotificationEvent | undefined);
        jobs.set(pk, job);
      }
      return job;
    };
    const ring = await deps.keyRing();
    const mailer = typeof deps.mailer === 'function' ? deps.mailer() : deps.mailer;
    const origin = (deps.webOrigin?.() ?? '').replace(/\/+$/, '');

    async function record(record: DynamoDBRecord): Promise<void> {
      const pk = record.dynamodb?.Keys?.pk?.S;
      const sk = record.dynamodb?.Keys?.sk?.S;
      if (!pk?.startsWith(keyPrefix.notification) || !sk?.startsWith(keyPrefix.outbox)) return;
      const sub = sk.slice(keyPrefix.outbox.length);
      const event = await jobOf(pk);
      if (!event) return; // expired: nothing left to say
      const contact = await getContact(deps.db, sub);
      // Never asked, asked for other kinds, or unsubscribed since: nothing.
      if (!contact || !contact.kinds.includes(kindFor(event, sub))) return;
      if (!mailer) {
        warn(JSON.stringify({ level: 'WARN', event: NOTIFICATION_UNDELIVERED_EVENT, reason: 'no-mail', notification: event.type }));
        return;
      }
      const link = unsubscribeLink(origin, unsubscribeToken(ring, sub));
      const mail = personMail(contact.language, event, { origin, unsubscribeUrl: link.url });
      await sendOnce(deps.db, mailer, event.key, { to: contact.email, ...mail, headers: link.headers }, sub);
    }
    return processPartialResponse(streamEvent, record, processor, context ? { context } : undefined);
  };
}
