import type { StreamConsumerDefinition } from './consumers.ts';

/**
 * How a stream consumer is fed: the settings of its Lambda event source mapping in AWS, and what
 * the local stream poller does. ONE function (`eventSourceSettings`) maps a consumer definition to
 * them; the CDK stack (infra/stacks/alerts-stack.ts) and the local runtime (local/runtime.ts) both
 * call it, and test/infra/parity.test.ts compares the synthesized mapping with the poller's
 * effective settings. Field names are the local poller's (`StreamConsumer` in
 * local/stream-poller.ts), so the local runtime spreads this object as it is.
 */
export interface EventSourceSettings {
  /** FilterCriteria patterns; a record is delivered if any matches. */
  readonly filterPatterns: object[];
  readonly batchSize: number;
  /** MaximumBatchingWindowInSeconds (AWS waits to fill a batch; the local poller delivers at once). */
  readonly maxBatchingWindowSeconds: number;
  /** TumblingWindowInSeconds, or undefined for none. */
  readonly tumblingWindowSeconds: number | undefined;
  /** BisectBatchOnFunctionError. */
  readonly bisectBatchOnError: boolean;
  readonly maximumRetryAttempts: number;
  readonly maximumRecordAgeSeconds: number;
  /** DestinationConfig.OnFailure: each consumer has its own SQS dead-letter queue (locally: a callback). */
  readonly onFailure: 'dead-letter-queue';
  readonly startingPosition: 'TRIM_HORIZON' | 'LATEST';
  /** FunctionResponseTypes: ReportBatchItemFailures. */
  readonly reportBatchItemFailures: boolean;
}

/** What Lambda accepts for MaximumRecordAgeInSeconds (besides -1, infinite, which we never use). */
export const RECORD_AGE_RANGE_SECONDS = { min: 60, max: 604_800 } as const;
/** DynamoDB Streams keep records for 24 hours. */
export const STREAM_RETENTION_SECONDS = 24 * 3600;

export function eventSourceSettings(definition: StreamConsumerDefinition): EventSourceSettings {
  const age = definition.maximumRecordAgeSeconds;
  if (!(age >= RECORD_AGE_RANGE_SECONDS.min && age < STREAM_RETENTION_SECONDS)) {
    throw new Error(
      `${definition.handler}: maximumRecordAgeSeconds ${age} must be at least ${RECORD_AGE_RANGE_SECONDS.min} and below the ` +
        `stream's ${STREAM_RETENTION_SECONDS} s retention (a dead-lettered record must still be replayable).`,
    );
  }
  const window = definition.tumblingWindowSeconds;
  if (window !== undefined && !(Number.isInteger(window) && window >= 1 && window <= 900)) {
    throw new Error(`${definition.handler}: tumblingWindowSeconds must be an integer from 1 to 900`);
  }
  return {
    filterPatterns: [...definition.filterPatterns],
    batchSize: definition.batchSize,
    maxBatchingWindowSeconds: definition.maxBatchingWindowSeconds,
    tumblingWindowSeconds: window,
    bisectBatchOnError: true,
    maximumRetryAttempts: definition.maximumRetryAttempts,
    maximumRecordAgeSeconds: age,
    onFailure: 'dead-letter-queue',
    startingPosition: 'TRIM_HORIZON',
    reportBatchItemFailures: true,
  };
}

/** The function side of a stream consumer: its entry, timeout and reserved concurrency. */
export interface ConsumerFunctionSettings {
  /** Entry file relative to the repository root (`functions/streams/signature-counter.ts`). */
  readonly entry: string;
  readonly timeoutSeconds: number;
  readonly reservedConcurrency: number;
}

export function consumerFunctionSettings(definition: StreamConsumerDefinition): ConsumerFunctionSettings {
  return {
    entry: `functions/${definition.handler}.ts`,
    timeoutSeconds: definition.timeoutSeconds,
    reservedConcurrency: definition.reservedConcurrency,
  };
}
