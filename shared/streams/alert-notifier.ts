import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent, DynamoDBBatchResponse, Context } from 'aws-lambda';
import { getCommunity } from '#shared/data/communities.ts';
import { tableName } from '#shared/data/table.ts';
import { councilAlertMail, mailLanguage } from '#shared/i18n/mail.ts';
import type { Mailer } from '#shared/mail/mailer.ts';
import { sendOnce } from '#shared/mail/send-once.ts';
import { ALERT_UNDELIVERED_EVENT, alertFromItem, type AlertPublisher, type CouncilAlert } from '#shared/notify/alert.ts';
import { keyPrefix } from '#shared/data/key-prefixes.ts';

export { ALERT_UNDELIVERED_EVENT };

export type UndeliveredReason = 'no-recipients' | 'no-mail';

export interface AlertNotifierDeps {
  readonly db: DynamoDBDocumentClient;
  /** The EventBridge event for integrations (a document management system can subscribe). */
  readonly publisher: AlertPublisher;
  /** E-mail to the community's council; undefined when the deployment sends no mail (a function: read per batch). */
  readonly mailer: Mailer | undefined | (() => Mailer | undefined);
  /** The web app's origin, for the link to the console; read per alert (the local gateway sets it late). */
  readonly webOrigin?: () => string | undefined;
  /** Where the undelivered line goes (default: console.warn as one JSON line). */
  readonly warn?: (line: string) => void;
}

/**
 * Delivers each threshold alert to the council of its community, by e-mail in the community's
 * language, and publishes its event for integrations:
 * 1. skip an alert already marked delivered (a redelivered stream record);
 * 2. publish the EventBridge event (once: marked `eventPublishedAt`; a crash before the mark
 *    publishes again with the same idempotency key, which receivers drop);
 * 3. e-mail each of the community's `council.alertRecipients` once (a "sent" marker per
 *    (alert, recipient), shared/mail/send-once.ts);
 * 4. mark it delivered.
 * No recipients (or no mail in the deployment): the alert is NOT marked delivered, it stays listed
 * for the council's console, its `undelivered` says why, and a warning line feeds the alarm.
 * A failure fails only that record; Lambda retries it (bounded) and then sends it to the
 * dead-letter queue, from which it can be replayed.
 */
export function createAlertNotifier(deps: AlertNotifierDeps) {
  const processor = new BatchProcessor(EventType.DynamoDBStreams);
  const warn = deps.warn ?? ((line: string) => console.warn(line));

  async function markUndelivered(pk: string, sk: string, alert: CouncilAlert, reason: UndeliveredReason): Promise<void> {
    // Ids and numbers only: never an address, never a name.
    warn(JSON.stringify({ level: 'WARN', event: ALERT_UNDELIVERED_EVENT, reason, community: alert.community, petitionId: alert.petitionId, threshold: alert.threshold }));
    await deps.db.send(new UpdateCommand({
      TableName: tableName(),
      Key: { pk, sk },
      UpdateExpression: 'SET undelivered = :reason, lastAttemptAt = :now',
      ConditionExpression: 'attribute_not_exists(deliveredAt)',
      ExpressionAttributeValues: { ':reason': reason, ':now': new Date().toISOString() },
    }));
  }

  async function deliver(record: DynamoDBRecord): Promise<void> {
    const pk = record.dynamodb?.Keys?.pk?.S;
    const sk = record.dynamodb?.Keys?.sk?.S;
    if (!pk || !sk?.startsWith(keyPrefix.alert)) return;
    const { Item } = await deps.db.send(new GetCommand({ TableName: tableName(), Key: { pk, sk }, ConsistentRead: true }));
    if (!Item || Item.deliveredAt) return;
    const alert = alertFromItem(Item);

    if (!Item.eventPublishedAt) {
      await deps.publisher.publish(alert);
      await deps.db.send(new UpdateCommand({
        TableName: tableName(),
        Key: { pk, sk },
        UpdateExpression: 'SET eventPublishedAt = if_not_exists(eventPublishedAt, :now)',
        ExpressionAttributeValues: { ':now': new Date().toISOString() },
      }));
    }

    const community = await getCommunity(deps.db, alert.community, { includeInactive: true });
    const recipients = community.council?.alertRecipients ?? [];
    if (recipients.length === 0) return markUndelivered(pk, sk, alert, 'no-recipients');
    const mailer = typeof deps.mailer === 'function' ? deps.mailer() : deps.mailer;
    if (!mailer) return markUndelivered(pk, sk, alert, 'no-mail');

    const lang = mailLanguage(community.languages);
    const origin = (deps.webOrigin?.() ?? '').replace(/\/+$/, '');
    const mail = councilAlertMail(lang, { ...alert, timeZone: community.timeZone, consoleUrl: `${origin}/council` });
    for (const to of recipients) {
      await sendOnce(deps.db, mailer, `ALERT#${alert.idempotencyKey}`, { to, ...mail, headers: { 'X-Hromada-Alert': alert.idempotencyKey } });
    }
    await deps.db.send(new UpdateCommand({
      TableName: tableName(),
      Key: { pk, sk },
      UpdateExpression: 'SET deliveredAt = if_not_exists(deliveredAt, :now), recipientCount = :n REMOVE undelivered ADD deliveryCount :one',
      ExpressionAttributeValues: { ':now': new Date().toISOString(), ':one': 1, ':n': recipients.length },
    }));
  }

  return async (event: DynamoDBStreamEvent, context?: Context): Promise<DynamoDBBatchResponse> =>
    processPartialResponse(event, deliver, processor, context ? { context } : undefined);
}
