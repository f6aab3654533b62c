/**
 * The table's stream consumers, defined once. In AWS each entry is a Lambda function with an
 * event source mapping on the table's stream (filter criteria, batch size, bounded retries,
 * bisect on error, partial batch responses, an SQS dead-letter queue). Locally the stream poller
 * feeds the same handlers from DynamoDB Local's stream. Neither side reads these definitions
 * directly: both take their settings from `eventSourceSettings()` and `consumerFunctionSettings()`
 * in shared/streams/event-source.ts, and test/infra/parity.test.ts proves that what the template
 * deploys is what the local poller runs.
 */
import { ALERT_UNDELIVERED_EVENT, NOTIFICATION_UNDELIVERED_EVENT } from '#shared/notify/alert.ts';
import { itemSortKey, keyPrefix } from '#shared/data/key-prefixes.ts';

export interface StreamConsumerDefinition {
  /** Entry under `functions/streams/`, without extension. */
  readonly handler: string;
  readonly description: string;
  /** Lambda event filtering patterns (FilterCriteria); a record is delivered if any matches. */
  readonly filterPatterns: readonly object[];
  readonly batchSize: number;
  /** Seconds Lambda may wait to fill a batch (AWS only). */
  readonly maxBatchingWindowSeconds: number;
  readonly maximumRetryAttempts: number;
  /**
   * Records older than this (seconds, 60..604800) go to the dead-letter queue instead of being
   * retried further. Kept well under the stream's 24 h retention, so the pointer in the DLQ can
   * still be replayed for the rest of the day.
   */
  readonly maximumRecordAgeSeconds: number;
  /**
   * Set for consumers that need to know the stream shard of a batch: Lambda adds `shardId` to the
   * event only when a tumbling window is configured (the window's state itself is not used).
   */
  readonly tumblingWindowSeconds?: number;
  /** Function timeout; a batch of hundreds of records with conditional writes needs more than an API call. */
  readonly timeoutSeconds: number;
  /**
   * Reserved concurrency: concurrency that an HTTP surge cannot take away (a stream consumer runs at
   * most one invocation per shard at a time, so this is also its ceiling).
   */
  readonly reservedConcurrency: number;
  readonly table: 'read' | 'readwrite';
  /**
   * Outbound channels the function may publish to (least privilege in AWS). `mail`: e-mail through
   * SES (`ses:SendEmail` on the stage's identity and configuration set; SMTP locally).
   */
  readonly publishes: readonly ('event-bus' | 'mail')[];
  /**
   * The `event` of the log line the consumer writes for a message it could not send (no recipients,
   * no mail in the stage): a metric filter counts those lines and an alarm watches the count.
   */
  readonly undeliveredLogEvent?: string;
}

export const streamConsumers = {
  signatureCounter: {
    handler: 'streams/signature-counter',
    description: 'Counts signatures exactly once per stream record and records threshold crossings',
    filterPatterns: [{ dynamodb: { Keys: { sk: { S: [{ prefix: keyPrefix.signature }] } } } }],
    batchSize: 500,
    maxBatchingWindowSeconds: 1,
    maximumRetryAttempts: 20,
    maximumRecordAgeSeconds: 3600,
    // Needed for `event.shardId` (the counter checkpoints per petition and shard).
    tumblingWindowSeconds: 60,
    timeoutSeconds: 60,
    reservedConcurrency: 10,
    table: 'readwrite',
    publishes: [],
  },
  alertNotifier: {
    handler: 'streams/alert-notifier',
    description: 'E-mails threshold alerts to the council of the community and publishes them on EventBridge (stable idempotency key)',
    filterPatterns: [{ eventName: ['INSERT'], dynamodb: { Keys: { sk: { S: [{ prefix: keyPrefix.alert }] } } } }],
    batchSize: 10,
    maxBatchingWindowSeconds: 0,
    maximumRetryAttempts: 20,
    maximumRecordAgeSeconds: 3600,
    timeoutSeconds: 60,
    reservedConcurrency: 5,
    table: 'readwrite',
    publishes: ['event-bus', 'mail'],
    undeliveredLogEvent: ALERT_UNDELIVERED_EVENT,
  },
  notificationEvents: {
    handler: 'streams/notification-events',
    description: 'Turns petition changes, threshold alerts, petition closings, consultation reports, budget project reviews, budget results and implementation updates into notification events (one job per event)',
    filterPatterns: [
      { dynamodb: { Keys: { sk: { S: [itemSortKey.petition, itemSortKey.consultation] } } } },
      { eventName: ['INSERT'], dynamodb: { Keys: { sk: { S: [{ prefix: keyPrefix.alert }] } } } },
      // A petition's closing, recorded once by the close-petitions schedule (shared/schedules.ts).
      { eventName: ['INSERT'], dynamodb: { Keys: { pk: { S: [{ prefix: keyPrefix.petition }] }, sk: { S: [itemSortKey.petitionClosed] } } } },
      // A budget's results published: a change of the process's item.
      { eventName: ['MODIFY'], dynamodb: { Keys: { pk: { S: [{ prefix: keyPrefix.budget }] }, sk: { S: [itemSortKey.budget] } } } },
      // A project reviewed (or its decision changed), a winner's implementation updated: changes of a
      // project that has a review. Not the count of each pre-support (made before any review).
      {
        eventName: ['MODIFY'],
        dynamodb: {
          Keys: { pk: { S: [{ prefix: keyPrefix.budget }] }, sk: { S: [{ prefix: keyPrefix.project }] } },
          NewImage: { review: { M: { reviewedAt: { S: [{ exists: true }] } } } },
        },
      },
    ],
    batchSize: 100,
    maxBatchingWindowSeconds: 1,
    maximumRetryAttempts: 20,
    maximumRecordAgeSeconds: 3600,
    timeoutSeconds: 60,
    reservedConcurrency: 2,
    table: 'readwrite',
    publishes: [],
  },
  notificationFanOut: {
    handler: 'streams/notification-fanout',
    description: 'Fans a notification event out to its recipients (an outbox item per person), a page of followers at a time, resumable',
    filterPatterns: [{ dynamodb: { Keys: { pk: { S: [{ prefix: keyPrefix.notification }] }, sk: { S: [itemSortKey.notificationJob] } } } }],
    // One job per invocation: it runs until its time is nearly up, then saves its cursor and comes back.
    batchSize: 1,
    maxBatchingWindowSeconds: 0,
    maximumRetryAttempts: 20,
    maximumRecordAgeSeconds: 21_600,
    timeoutSeconds: 300,
    reservedConcurrency: 2,
    table: 'readwrite',
    publishes: [],
  },
  notificationSender: {
    handler: 'streams/notification-sender',
    description: 'Sends each notification e-mail once per (event, person), in the person\'s language, with one-click unsubscribe',
    filterPatterns: [{ eventName: ['INSERT'], dynamodb: { Keys: { pk: { S: [{ prefix: keyPrefix.notification }] }, sk: { S: [{ prefix: keyPrefix.outbox }] } } } }],
    batchSize: 50,
    maxBatchingWindowSeconds: 1,
    maximumRetryAttempts: 50,
    // SES throttling can hold a burst back for hours; the DLQ keeps the rest replayable.
    maximumRecordAgeSeconds: 21_600,
    timeoutSeconds: 120,
    // The SES sending rate: a few invocations of 50 messages each.
    reservedConcurrency: 3,
    table: 'readwrite',
    publishes: ['mail'],
    undeliveredLogEvent: NOTIFICATION_UNDELIVERED_EVENT,
  },
  searchIndexer: {
    handler: 'streams/search-indexer',
    description: 'Keeps each community\'s search index (petitions, consultations, budget projects) current',
    filterPatterns: [
      { dynamodb: { Keys: { sk: { S: [itemSortKey.petition, itemSortKey.consultation] } } } },
      { dynamodb: { Keys: { sk: { S: [{ prefix: keyPrefix.project }] } } } },
      // A community's configuration: its (empty) index is made, so its searches are answered.
      { dynamodb: { Keys: { pk: { S: [{ prefix: keyPrefix.community }] }, sk: { S: [itemSortKey.communityConfig] } } } },
    ],
    batchSize: 100,
    maxBatchingWindowSeconds: 1,
    maximumRetryAttempts: 20,
    maximumRecordAgeSeconds: 3600,
    // Reads, merges and conditionally rewrites a community's index object: a minute is plenty.
    timeoutSeconds: 60,
    // Index writes of one community are serialized by If-Match; more parallel batches would only retry.
    reservedConcurrency: 2,
    table: 'read',
    publishes: [],
  },
  openDataPublisher: {
    handler: 'streams/open-data-publisher',
    description: 'Keeps each community\'s open-data snapshot (public petitions, their counts, hourly signature counts, consultations) current',
    filterPatterns: [
      { dynamodb: { Keys: { sk: { S: [itemSortKey.petition, itemSortKey.petitionCount, itemSortKey.consultation] } } } },
      { dynamodb: { Keys: { sk: { S: [{ prefix: keyPrefix.countHistory }] } } } },
    ],
    batchSize: 100,
    // A dataset shows a change within seconds; the counter writes a petition's count at most once a minute per shard.
    maxBatchingWindowSeconds: 2,
    maximumRetryAttempts: 20,
    maximumRecordAgeSeconds: 3600,
    // Reads, merges and conditionally rewrites a community's snapshot (the first time, reads the community whole).
    timeoutSeconds: 60,
    // Writes of one community's snapshot are serialized by If-Match; more parallel batches would only retry.
    reservedConcurrency: 2,
    table: 'read',
    publishes: [],
  },
} as const satisfies Record<string, StreamConsumerDefinition>;

export type StreamConsumerName = keyof typeof streamConsumers;
