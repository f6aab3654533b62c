import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tableName } from '#shared/data/table.ts';
import type { Mailer, MailMessage } from './mailer.ts';

/** How long a "sent" marker is kept: far longer than any retry of the batch that sent it. */
const MARKER_TTL_SECONDS = 30 * 24 * 3600;

/**
 * The key of the "sent" marker of one (event, recipient): its own partition per event, the
 * recipient by a hash (the marker never holds an address, so it is no personal data to erase).
 */
export function sentMarkerKey(eventKey: string, recipient: string): { pk: string; sk: string } {
  const hash = createHash('sha256').update(recipient.includes('@') ? recipient.toLowerCase() : recipient).digest('base64url').slice(0, 22);
  return { pk: `MAIL#${eventKey}`, sk: `TO#${hash}` };
}

/**
 * Sends one message of one event to one recipient unless the marker says it went out already,
 * then records the marker (conditional put: a concurrent retry cannot record it twice). A retried
 * batch, or one retried after a crash between two recipients, skips everyone already marked.
 * The one window left — a crash after SES accepted the message and before the marker is written —
 * sends that one message again on retry: e-mail offers no exactly-once hand-over, and a second copy
 * is better than none (at-least-once, never a lost message).
 * Cost: one consistent read (½ RCU) and one write (1 WCU) per recipient.
 */
export async function sendOnce(
  db: DynamoDBDocumentClient,
  mailer: Mailer,
  eventKey: string,
  message: MailMessage,
  /** Who the message is for: the person's sub where there is one; default the address. */
  recipientKey: string = message.to,
): Promise<'sent' | 'already-sent'> {
  const key = sentMarkerKey(eventKey, recipientKey);
  const { Item } = await db.send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true, ProjectionExpression: 'pk' }));
  if (Item) return 'already-sent';
  await mailer.send(message);
  const now = new Date();
  try {
    await db.send(new PutCommand({
      TableName: tableName(),
      Item: { ...key, type: 'mail-sent', sentAt: now.toISOString(), expiresAt: Math.floor(now.getTime() / 1000) + MARKER_TTL_SECONDS },
      ConditionExpression: 'attribute_not_exists(pk)',
    }));
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  return 'sent';
}
