/**
 * Feeds real DynamoDB Local stream records to stream handlers with the semantics of Lambda's
 * DynamoDB event source mapping:
 * - every consumer has its own position in every shard; a shard's records arrive in order, one
 *   invocation at a time per shard and consumer; a child shard starts after its parent is done;
 * - records that no filter pattern matches are skipped (and checkpointed past), as FilterCriteria;
 * - a handler that throws fails the whole batch; one that returns `batchItemFailures` has the batch
 *   retried from the first failed record, the records before it being checkpointed
 *   (ReportBatchItemFailures); after `maximumRetryAttempts` retries the failed records go to the
 *   dead letter (the on-failure destination) and processing goes on;
 * - the checkpoint advances only past records that were delivered successfully, filtered out or
 *   dead-lettered, so every record is delivered at least once, as in AWS;
 * - with a tumbling window, events carry `window`, `state`, `shardId` and `eventSourceARN`, the
 *   state returned by one invocation is passed to the next in the same window, and the window
 *   ends with an invocation without records and `isFinalInvokeForWindow: true`.
 *
 * Records are built exactly as Lambda delivers them (attribute values in wire form, `{ S: '..' }`).
 * If DynamoDB Local goes away the poller retries with a backoff and carries on from its checkpoints.
 */
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type AttributeValue as SdkAttributeValue,
  type Shard,
  type ShardIteratorType,
  type _Record as SdkRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type {
  AttributeValue,
  Context,
  DynamoDBBatchResponse,
  DynamoDBRecord,
  DynamoDBStreamEvent,
  StreamRecord,
} from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createRecordFilter } from './filter-pattern.ts';
import { defaultFunctionLimits, lambdaContext } from './functions.ts';
import type { EventSourceSettings } from '#shared/streams/event-source.ts';

export interface StreamConsumer {
  name: string;
  /** Lambda FilterCriteria patterns; a record is delivered if any matches; [] = all. */
  filterPatterns: object[];
  /** Max records per invocation. */
  batchSize: number;
  /** Retries after the first failed attempt (-1 = retry until it succeeds, as Lambda's default). */
  maximumRetryAttempts: number;
  /**
   * Honour `batchItemFailures` in the handler's answer (FunctionResponseTypes ReportBatchItemFailures).
   * Default true. When false, as in AWS without that setting, the answer is ignored and only a
   * thrown error fails the batch.
   */
  reportBatchItemFailures?: boolean;
  /**
   * TumblingWindowInSeconds of the mapping (1-900). Windows are aligned on the records'
   * ApproximateCreationDateTime, which DynamoDB Local truncates to the minute.
   */
  tumblingWindowSeconds?: number | undefined;
  /**
   * BisectBatchOnFunctionError: when the handler throws on a batch of several records, the batch is
   * split in two and each half retried on its own (the first half first). Default false, as in AWS.
   */
  bisectBatchOnError?: boolean;
  /**
   * MaximumRecordAgeInSeconds: a record older than this (by its ApproximateCreationDateTime) is not
   * delivered (again) but goes to the dead letter. Default: no limit, as in AWS (-1).
   */
  maximumRecordAgeSeconds?: number;
  /** Where a consumer starts in shards it has no checkpoint for; default the poller's `startingPosition`. */
  startingPosition?: 'TRIM_HORIZON' | 'LATEST';
  /** MaximumBatchingWindowInSeconds. Accepted for parity; locally batches are delivered at once (latency only). */
  maxBatchingWindowSeconds?: number;
  /** The on-failure destination: locally, `onDeadLetter` of the poller. */
  onFailure?: 'dead-letter-queue';
  /** Reserved concurrency: at most this many invocations of the consumer at once, across shards. Default: no limit. */
  reservedConcurrency?: number;
  /** The Lambda entry the handler comes from (`functions/streams/x.ts`), for parity checks and messages. */
  entry?: string;
  /** The function's timeout and memory, as the handler sees them in its context (default: the HTTP defaults). */
  timeoutSeconds?: number;
  memoryMb?: number;
  handler: (event: DynamoDBStreamEvent, context?: Context) => Promise<DynamoDBBatchResponse | void>;
}

/**
 * What the poller actually does for a consumer, every default applied: the settings the parity
 * test (test/infra/parity.test.ts) compares with the event source mapping and function in the
 * synthesized template.
 */
export interface EffectiveConsumerSettings extends EventSourceSettings {
  readonly name: string;
  readonly entry: string | undefined;
  /** undefined: no limit. */
  readonly reservedConcurrency: number | undefined;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
}

/**
 * Validates consumers and applies the poller's defaults: the poller runs exactly these settings
 * (its constructor calls this), and the parity test reads them from here.
 */
export function effectiveConsumerSettings(
  consumers: readonly StreamConsumer[],
  options: Pick<StreamPollerOptions, 'startingPosition'> = {},
): EffectiveConsumerSettings[] {
  const names = new Set<string>();
  const limits = defaultFunctionLimits();
  return consumers.map((consumer) => {
    if (names.has(consumer.name)) throw new Error(`Two stream consumers are named ${consumer.name}`);
    names.add(consumer.name);
    if (!(consumer.batchSize >= 1)) throw new Error(`Consumer ${consumer.name}: batchSize must be at least 1`);
    const window = consumer.tumblingWindowSeconds;
    if (window !== undefined && !(window >= 1 && window <= 900)) {
      throw new Error(`Consumer ${consumer.name}: tumblingWindowSeconds must be between 1 and 900`);
    }
    const age = consumer.maximumRecordAgeSeconds;
    if (age !== undefined && age !== -1 && !(age >= 60 && age <= 604_800)) {
      throw new Error(`Consumer ${consumer.name}: maximumRecordAgeSeconds must be -1 or from 60 to 604800`);
    }
    const reserved = consumer.reservedConcurrency;
    if (reserved !== undefined && !(Number.isInteger(reserved) && reserved >= 1)) {
      throw new Error(`Consumer ${consumer.name}: reservedConcurrency must be a positive integer`);
    }
    return {
      name: consumer.name,
      entry: consumer.entry,
      filterPatterns: consumer.filterPatterns,
      batchSize: consumer.batchSize,
      maxBatchingWindowSeconds: consumer.maxBatchingWindowSeconds ?? 0,
      tumblingWindowSeconds: window,
      bisectBatchOnError: consumer.bisectBatchOnError ?? false,
      maximumRetryAttempts: consumer.maximumRetryAttempts,
      maximumRecordAgeSeconds: age ?? -1,
      onFailure: 'dead-letter-queue',
      startingPosition: consumer.startingPosition ?? options.startingPosition ?? 'TRIM_HORIZON',
      reportBatchItemFailures: consumer.reportBatchItemFailures ?? true,
      reservedConcurrency: reserved,
      timeoutSeconds: consumer.timeoutSeconds ?? limits.timeoutSeconds,
      memoryMb: consumer.memoryMb ?? limits.memoryMb,
    };
  });
}

/** The event a handler receives when its mapping has a tumbling window. */
export interface DynamoDBStreamTumblingWindowEvent extends DynamoDBStreamEvent {
  window: { start: string; end: string };
  state: Record<string, unknown>;
  shardId: string;
  eventSourceARN: string;
  isFinalInvokeForWindow: boolean;
  isWindowTerminatedEarly: boolean;
}

export interface StreamPollerOptions {
  endpoint: string;
  /** Region put in the records' awsRegion (default AWS_REGION, else eu-central-1). */
  region?: string;
  tableName: string;
  consumers: StreamConsumer[];
  /** Pause between empty GetRecords calls of a shard (default 100 ms). */
  pollIntervalMs?: number;
  /**
   * Persist per-consumer, per-shard checkpoints here (JSON) so a restart resumes after the last
   * acknowledged record. Without it checkpoints live in memory and a start reads from `startingPosition`.
   */
  checkpointFile?: string;
  /** Where a consumer starts in shards it has no checkpoint for (default TRIM_HORIZON). */
  startingPosition?: 'TRIM_HORIZON' | 'LATEST';
  /** Receives the records a consumer gave up on (default: logged to stderr). */
  onDeadLetter?: (consumer: string, records: DynamoDBRecord[], reason: string, shardId: string) => void | Promise<void>;
  log?: (message: string, data?: object) => void;
  /** First delay before retrying a failed batch; doubles per attempt up to 2 s (default 100 ms). */
  retryBaseDelayMs?: number;
  /** The clock record ages are measured with (ms since the epoch; default Date.now). */
  now?: () => number;
}

export interface StreamPoller {
  stop(): Promise<void>;
  /**
   * Resolves once every record that was in the stream when it was called has been delivered (or
   * filtered out, or dead-lettered) by every consumer. Rejects after `timeoutMs` (default 30 s)
   * naming the consumers and shards still behind.
   */
  waitForIdle(timeoutMs?: number): Promise<void>;
}

export function startStreamPoller(options: StreamPollerOptions): StreamPoller {
  const poller = new Poller(options);
  poller.start();
  return { stop: () => poller.stop(), waitForIdle: (timeoutMs) => poller.waitForIdle(timeoutMs) };
}

// ---------------------------------------------------------------------------------------------

const GET_RECORDS_LIMIT = 1000; // the most GetRecords returns, in AWS and in DynamoDB Local
const DISCOVERY_INTERVAL_MS = 1000;
const MAX_OUTAGE_BACKOFF_MS = 5000;
const MAX_RETRY_DELAY_MS = 2000;

interface ShardCheckpoint {
  /** Last sequence number that is done with (delivered, filtered out or dead-lettered). */
  sequenceNumber?: string;
  /** The shard is closed and fully processed. */
  finished?: boolean;
}

interface CheckpointDocument {
  version: 1;
  tableName: string;
  streamArn: string;
  consumers: Record<string, Record<string, ShardCheckpoint>>;
}

interface ConsumerRuntime {
  consumer: StreamConsumer;
  settings: EffectiveConsumerSettings;
  accepts: (record: DynamoDBRecord) => boolean;
  /** Reserved concurrency across the consumer's shard workers. */
  slots: Semaphore;
}

class Poller {
  readonly dynamodb: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
  readonly region: string;
  readonly pollIntervalMs: number;
  readonly retryBaseDelayMs: number;
  readonly consumers: ConsumerRuntime[];
  readonly log: (message: string, data?: object) => void;
  readonly abort = new AbortController();
  readonly checkpoints: CheckpointStore;
  readonly now: () => number;

  /** Bumped by every waitForIdle call; work observed as done "at epoch n" covers calls up to n. */
  epoch = 0;
  stopped = false;
  streamArn: string | undefined;
  /** Epoch at the start of the last complete discovery pass (table, stream and shard list). */
  discoveredAtEpoch = -1;
  shards: Shard[] = [];
  /** For startingPosition LATEST: the shards there were when the poller first saw the stream. */
  private shardsAtStart: Set<string> | 'not-seen-yet' | undefined;
  private workers = new Map<string, ShardWorker>();
  private discoveryLoop: Promise<void> | undefined;
  private wakeDiscovery = new Wakeup();
  private idleWaiters = new Set<{ epoch: number; resolve: () => void; reject: (error: Error) => void }>();
  private outage: string | undefined;
  private reportedTableProblem: string | undefined;

  constructor(readonly options: StreamPollerOptions) {
    const settings = effectiveConsumerSettings(options.consumers, options);
    this.consumers = options.consumers.map((consumer, index) => {
      const effective = settings[index] as EffectiveConsumerSettings;
      return { consumer, settings: effective, accepts: createRecordFilter(effective.filterPatterns), slots: new Semaphore(effective.reservedConcurrency) };
    });
    this.now = options.now ?? Date.now;
    const clientConfig = {
      endpoint: options.endpoint,
      region: options.region ?? process.env['AWS_REGION'] ?? 'eu-central-1',
      // DynamoDB Local accepts any credentials; fixed ones keep the SDK from looking for real ones.
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      // The poller retries by itself, with its own backoff, and must notice an outage quickly.
      maxAttempts: 1,
      requestHandler: { connectionTimeout: 2_000, requestTimeout: 10_000 },
    };
    this.dynamodb = new DynamoDBClient(clientConfig);
    this.streams = new DynamoDBStreamsClient(clientConfig);
    this.region = clientConfig.region;
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? 100;
    this.log = options.log ?? (() => {});
    this.checkpoints = new CheckpointStore(options.tableName, options.checkpointFile, this.log);
    if (settings.some((consumer) => consumer.startingPosition === 'LATEST')) this.shardsAtStart = 'not-seen-yet';
  }

  start(): void {
    this.discoveryLoop = this.discover();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.abort.abort();
    this.wakeDiscovery.wake();
    await this.discoveryLoop;
    await Promise.all([...this.workers.values()].map((worker) => worker.stop()));
    await this.checkpoints.flush();
    this.dynamodb.destroy();
    this.streams.destroy();
    for (const waiter of this.idleWaiters) waiter.reject(new Error('The stream poller was stopped'));
    this.idleWaiters.clear();
  }

  waitForIdle(timeoutMs = 30_000): Promise<void> {
    if (this.stopped) return Promise.reject(new Error('The stream poller is stopped'));
    const epoch = ++this.epoch;
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        epoch,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error: Error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        this.idleWaiters.delete(waiter);
        reject(new Error(`Stream poller not idle after ${timeoutMs} ms: ${this.describeBacklog(epoch)}`));
      }, timeoutMs);
      this.idleWaiters.add(waiter);
      // Look right now instead of after the current sleeps.
      this.wakeDiscovery.wake();
      for (const worker of this.workers.values()) worker.wake();
      this.checkIdle();
    });
  }

  /** Called whenever progress is made: resolves the waiters whose records are all processed. */
  checkIdle(): void {
    for (const waiter of this.idleWaiters) {
      if (this.isIdleSince(waiter.epoch)) {
        this.idleWaiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  private isIdleSince(epoch: number): boolean {
    if (this.discoveredAtEpoch < epoch) return false;
    if (this.streamArn === undefined) return true;
    return this.consumers.every(({ consumer }) =>
      this.shards.every((shard) => {
        const shardId = shard.ShardId as string;
        if (this.checkpoints.get(consumer.name, shardId).finished) return true;
        return (this.workers.get(workerKey(consumer.name, shardId))?.caughtUpAtEpoch ?? -1) >= epoch;
      }),
    );
  }

  private describeBacklog(epoch: number): string {
    if (this.discoveredAtEpoch < epoch) return `the stream of table ${this.options.tableName} could not be read (${this.outage ?? 'no answer yet'})`;
    const behind: string[] = [];
    for (const { consumer } of this.consumers) {
      for (const shard of this.shards) {
        const shardId = shard.ShardId as string;
        if (this.checkpoints.get(consumer.name, shardId).finished) continue;
        const worker = this.workers.get(workerKey(consumer.name, shardId));
        if ((worker?.caughtUpAtEpoch ?? -1) < epoch) behind.push(`${consumer.name} in ${shardId} (${worker?.describe() ?? 'waiting for its parent shard'})`);
      }
    }
    return behind.join('; ') || 'no backlog left';
  }

  // -- discovery: table -> stream -> shards -> one worker per consumer and shard ---------------

  private async discover(): Promise<void> {
    let backoffMs = 100;
    while (!this.stopped) {
      const epochAtStart = this.epoch;
      try {
        await this.refreshStream();
        if (this.streamArn !== undefined) await this.refreshShards(this.streamArn);
        this.reportHealthy();
        this.discoveredAtEpoch = epochAtStart;
        this.checkIdle();
        backoffMs = 100;
        await this.wakeDiscovery.sleep(DISCOVERY_INTERVAL_MS);
      } catch (error) {
        if (this.stopped) return;
        this.reportOutage(error, 'discovering the stream');
        await this.wakeDiscovery.sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, MAX_OUTAGE_BACKOFF_MS);
      }
    }
  }

  /** Finds the table's current stream; a recreated table has a new one, which we switch to. */
  private async refreshStream(): Promise<void> {
    let latestArn: string | undefined;
    try {
      const { Table } = await this.dynamodb.send(new DescribeTableCommand({ TableName: this.options.tableName }), {
        abortSignal: this.abort.signal,
      });
      latestArn = Table?.StreamSpecification?.StreamEnabled ? Table.LatestStreamArn : undefined;
      this.reportTableProblem(latestArn ? undefined : `table ${this.options.tableName} has no stream enabled; waiting`);
    } catch (error) {
      if ((error as Error).name !== 'ResourceNotFoundException') throw error;
      this.reportTableProblem(`table ${this.options.tableName} does not exist (yet); waiting for it`);
    }
    if (latestArn === this.streamArn) return;

    if (this.streamArn !== undefined) {
      this.log(
        latestArn === undefined
          ? `the stream of ${this.options.tableName} is gone; waiting for a new one`
          : `${this.options.tableName} has a new stream (table recreated?); following it from its start`,
        { previous: this.streamArn, current: latestArn },
      );
      await Promise.all([...this.workers.values()].map((worker) => worker.stop()));
      this.workers.clear();
    }
    this.streamArn = latestArn;
    this.shards = [];
    if (latestArn !== undefined) await this.checkpoints.useStream(latestArn);
  }

  private async refreshShards(streamArn: string): Promise<void> {
    const shards: Shard[] = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription } = await this.streams.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: exclusiveStartShardId }),
        { abortSignal: this.abort.signal },
      );
      shards.push(...(StreamDescription?.Shards ?? []));
      exclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
    if (this.stopped || streamArn !== this.streamArn) return;

    if (this.shardsAtStart === 'not-seen-yet') this.shardsAtStart = new Set(shards.map((shard) => shard.ShardId as string));
    this.shards = shards;
    const listed = new Set(shards.map((shard) => shard.ShardId as string));
    for (const [key, worker] of this.workers) {
      if (worker.done) this.workers.delete(key);
    }
    for (const runtime of this.consumers) {
      const { consumer } = runtime;
      for (const shard of shards) {
        const shardId = shard.ShardId as string;
        const checkpoint = this.checkpoints.get(consumer.name, shardId);
        if (checkpoint.finished || this.workers.has(workerKey(consumer.name, shardId))) continue;
        const parentId = shard.ParentShardId;
        // Parent first: a child shard holds later changes of the same items.
        if (parentId && listed.has(parentId) && !this.checkpoints.get(consumer.name, parentId).finished) continue;

        const startAt = this.initialPosition(shard, checkpoint, runtime.settings.startingPosition);
        if (startAt === 'skip-closed-shard') {
          await this.checkpoints.update(consumer.name, shardId, { finished: true });
          continue;
        }
        const worker = new ShardWorker(this, runtime, streamArn, shardId, startAt);
        this.workers.set(workerKey(consumer.name, shardId), worker);
        worker.start();
      }
    }
    this.checkpoints.forgetShardsNotIn(listed);
  }

  private initialPosition(shard: Shard, checkpoint: ShardCheckpoint, startingPosition: 'TRIM_HORIZON' | 'LATEST'): StartPosition | 'skip-closed-shard' {
    if (checkpoint.sequenceNumber !== undefined) return { afterSequenceNumber: checkpoint.sequenceNumber };
    if (startingPosition === 'LATEST' && this.shardsAtStart instanceof Set && this.shardsAtStart.has(shard.ShardId as string)) {
      // LATEST applies to the shards that existed when the poller started; later ones are read whole.
      return shard.SequenceNumberRange?.EndingSequenceNumber ? 'skip-closed-shard' : 'LATEST';
    }
    return 'TRIM_HORIZON';
  }

  /** A worker finished its shard: its children may start now. */
  shardFinished(): void {
    this.wakeDiscovery.wake();
  }

  reportOutage(error: unknown, doing: string): void {
    const description = describeError(error);
    if (this.outage === undefined) this.log(`DynamoDB Local unreachable while ${doing}: ${description}; retrying`);
    this.outage = description;
  }

  reportHealthy(): void {
    if (this.outage !== undefined) this.log('DynamoDB Local reachable again; resuming from the checkpoints');
    this.outage = undefined;
  }

  private reportTableProblem(problem: string | undefined): void {
    if (problem !== undefined && problem !== this.reportedTableProblem) this.log(problem);
    this.reportedTableProblem = problem;
  }

  async deadLetter(consumer: string, records: DynamoDBRecord[], reason: string, shardId: string): Promise<void> {
    this.log(`${consumer}: ${records.length} record(s) sent to the dead letter: ${reason}`);
    try {
      if (this.options.onDeadLetter) await this.options.onDeadLetter(consumer, records, reason, shardId);
      else console.error(`[stream-poller] dead letter for ${consumer}: ${reason}`, records.map((record) => record.dynamodb?.SequenceNumber));
    } catch (error) {
      this.log(`${consumer}: the dead-letter callback failed: ${describeError(error)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------

type StartPosition = 'TRIM_HORIZON' | 'LATEST' | { afterSequenceNumber: string };

/** Reads one shard for one consumer and invokes its handler, one batch at a time. */
class ShardWorker {
  /** Epoch at the start of the last GetRecords that found nothing left to do. */
  caughtUpAtEpoch = -1;
  done = false;
  private loop: Promise<void> | undefined;
  private cancelled = false;
  private wakeup = new Wakeup();
  /** Separate from `wakeup` so that waitForIdle() does not cut a retry delay short; only stop() does. */
  private retryPause = new Wakeup();
  private iterator: string | undefined;
  /** Sequence number of the last record read from the stream (iterator position). */
  private readPosition: string | undefined;
  private shardEnded = false;
  /** Records read, matching the filter, not yet handed to the handler. */
  private buffer: DynamoDBRecord[] = [];
  /** The tumbling window being aggregated and the state the handler returned last. */
  private window: { startSeconds: number; state: Record<string, unknown> } | undefined;
  /** The failed part of the last batch, retried as it is. */
  private retry: { records: DynamoDBRecord[]; attempt: number; reason: string } | undefined;

  constructor(
    private readonly poller: Poller,
    private readonly consumer: ConsumerRuntime,
    private readonly streamArn: string,
    private readonly shardId: string,
    private readonly startAt: StartPosition,
  ) {
    if (typeof startAt === 'object') this.readPosition = startAt.afterSequenceNumber;
  }

  private get name(): string {
    return this.consumer.consumer.name;
  }

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.cancelled = true;
    this.wakeup.wake();
    this.retryPause.wake();
    await this.loop;
  }

  wake(): void {
    this.wakeup.wake();
  }

  describe(): string {
    if (this.retry) {
      const { records, attempt, reason } = this.retry;
      return `retrying a batch from ${records[0]?.dynamodb?.SequenceNumber}, attempt ${attempt + 1}; last failure: ${reason}`;
    }
    if (this.buffer.length > 0) return `${this.buffer.length} record(s) waiting`;
    return 'reading';
  }

  private get running(): boolean {
    return !this.cancelled && !this.poller.stopped;
  }

  private async run(): Promise<void> {
    let backoffMs = 100;
    while (this.running) {
      try {
        if (this.retry || this.buffer.length > 0) {
          await this.deliverNextBatch();
        } else if (this.shardEnded) {
          await this.closeWindow();
          await this.poller.checkpoints.update(this.name, this.shardId, { finished: true });
          this.done = true;
          this.poller.shardFinished();
          this.poller.checkIdle();
          return;
        } else {
          const epochAtStart = this.poller.epoch;
          const fetched = await this.fetch();
          if (fetched === 0 && !this.shardEnded) {
            this.caughtUpAtEpoch = epochAtStart;
            this.poller.checkIdle();
            if (this.window && Date.now() >= this.windowEndMs(this.window.startSeconds)) await this.closeWindow();
            await this.wakeup.sleep(this.poller.pollIntervalMs);
          }
        }
        backoffMs = 100;
      } catch (error) {
        if (!this.running) return;
        if (isGone(error)) {
          // The shard or the whole stream no longer exists (table deleted, or an in-memory
          // DynamoDB Local restarted): discovery will find what replaced it.
          this.poller.log(`${this.name}: shard ${this.shardId} is gone (${describeError(error)})`);
          this.done = true;
          return;
        }
        if (isStaleIterator(error)) {
          this.iterator = undefined;
          continue;
        }
        // Keep the iterator and the records read: if DynamoDB Local comes back with its data the
        // iterator still works, and if it does not, the stale-iterator path above replaces it.
        this.poller.reportOutage(error, `reading ${this.shardId} for ${this.name}`);
        await this.wakeup.sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, MAX_OUTAGE_BACKOFF_MS);
      }
    }
  }

  /** Reads the next page; keeps matching records, checkpoints past the rest. Returns records read. */
  private async fetch(): Promise<number> {
    const iterator = this.iterator ?? (await this.newIterator());
    const { Records = [], NextShardIterator } = await this.poller.streams.send(
      new GetRecordsCommand({ ShardIterator: iterator, Limit: GET_RECORDS_LIMIT }),
      { abortSignal: this.poller.abort.signal },
    );
    this.poller.reportHealthy();
    this.iterator = NextShardIterator;
    // A closed shard has no next iterator once its last record has been read.
    if (!NextShardIterator) this.shardEnded = true;
    if (Records.length === 0) return 0;

    const records = Records.map((record) => toLambdaRecord(record, this.streamArn, this.poller.region));
    this.readPosition = records[records.length - 1]?.dynamodb?.SequenceNumber;
    this.buffer.push(...records.filter((record) => this.consumer.accepts(record)));
    if (this.buffer.length === 0) {
      await this.poller.checkpoints.update(this.name, this.shardId, { sequenceNumber: this.readPosition });
    }
    return records.length;
  }

  /**
   * From the last record read, else the checkpoint, else the starting position. (A LATEST worker
   * that has read nothing yet asks for LATEST again after losing its iterator, so changes made
   * meanwhile are skipped: that is what LATEST means until a first record fixes a position.)
   */
  private async newIterator(): Promise<string> {
    const position = this.readPosition !== undefined ? { afterSequenceNumber: this.readPosition } : this.startAt;
    const request =
      typeof position === 'object'
        ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' as ShardIteratorType, SequenceNumber: position.afterSequenceNumber }
        : { ShardIteratorType: position as ShardIteratorType };
    try {
      const { ShardIterator } = await this.poller.streams.send(
        new GetShardIteratorCommand({ StreamArn: this.streamArn, ShardId: this.shardId, ...request }),
        { abortSignal: this.poller.abort.signal },
      );
      if (!ShardIterator) throw new Error(`No iterator for ${this.shardId}`);
      return ShardIterator;
    } catch (error) {
      if ((error as Error).name !== 'TrimmedDataAccessException') throw error;
      // The checkpoint is older than the stream's 24 h retention: start at the oldest record left.
      this.poller.log(`${this.name}: records after ${this.readPosition} in ${this.shardId} were trimmed; reading from the oldest left`);
      this.readPosition = undefined;
      const { ShardIterator } = await this.poller.streams.send(
        new GetShardIteratorCommand({ StreamArn: this.streamArn, ShardId: this.shardId, ShardIteratorType: 'TRIM_HORIZON' }),
        { abortSignal: this.poller.abort.signal },
      );
      return ShardIterator as string;
    }
  }

  private async deliverNextBatch(): Promise<void> {
    const { consumer } = this.consumer;
    const attempt = this.retry?.attempt ?? 0;
    let batch = this.retry?.records ?? this.buffer.splice(0, this.nextBatchLength());
    const expired = this.expiredPrefix(batch);
    if (expired > 0) {
      // MaximumRecordAgeInSeconds: too old to deliver (again); to the dead letter, and go on.
      const old = batch.slice(0, expired);
      batch = batch.slice(expired);
      await this.poller.deadLetter(consumer.name, old, `RecordAgeExceeded: older than ${this.consumer.settings.maximumRecordAgeSeconds} s`, this.shardId);
      if (batch.length === 0) {
        this.retry = undefined;
        await this.checkpointAfterBatch(old);
        return;
      }
      await this.poller.checkpoints.update(this.name, this.shardId, { sequenceNumber: old[old.length - 1]?.dynamodb?.SequenceNumber as string });
      if (this.retry) this.retry = { ...this.retry, records: batch };
    }
    if (consumer.tumblingWindowSeconds !== undefined) {
      const startSeconds = this.windowStartOf(batch[0]);
      if (this.window && this.window.startSeconds !== startSeconds) await this.closeWindow();
      this.window ??= { startSeconds, state: {} };
    }
    const outcome = await this.invoke(batch);
    if (!this.running && outcome.failedFrom !== undefined) return; // stopping: leave it unacknowledged

    if (outcome.failedFrom === undefined) {
      this.retry = undefined;
      await this.checkpointAfterBatch(batch);
      return;
    }

    const failed = batch.slice(outcome.failedFrom);
    const lastSucceeded = batch[outcome.failedFrom - 1]?.dynamodb?.SequenceNumber;
    if (lastSucceeded !== undefined) {
      await this.poller.checkpoints.update(this.name, this.shardId, { sequenceNumber: lastSucceeded });
    }
    const retriesLeft = consumer.maximumRetryAttempts < 0 || attempt < consumer.maximumRetryAttempts;
    this.poller.log(`${consumer.name}: batch failed at ${failed[0]?.dynamodb?.SequenceNumber} (${outcome.reason})`, {
      attempt: attempt + 1,
      willRetry: retriesLeft,
    });
    if (retriesLeft) {
      if (outcome.threw && this.consumer.settings.bisectBatchOnError && failed.length > 1) {
        // BisectBatchOnFunctionError: retry the first half alone; the second half waits its turn.
        const half = Math.ceil(failed.length / 2);
        this.buffer.unshift(...failed.slice(half));
        this.retry = { records: failed.slice(0, half), attempt: attempt + 1, reason: outcome.reason ?? 'unknown' };
      } else {
        this.retry = { records: failed, attempt: attempt + 1, reason: outcome.reason ?? 'unknown' };
      }
      await this.retryPause.sleep(Math.min(this.poller.retryBaseDelayMs * 2 ** attempt, MAX_RETRY_DELAY_MS));
      return;
    }
    this.retry = undefined;
    const reason = `RetryAttemptsExhausted after ${attempt + 1} attempt(s): ${outcome.reason}`;
    await this.poller.deadLetter(consumer.name, failed, reason, this.shardId);
    await this.checkpointAfterBatch(failed);
  }

  /** The Lambda context of one invocation: the function's timeout (as a deadline) and memory. */
  private context(): Context {
    return lambdaContext(this.name, randomUUID(), this.consumer.settings);
  }

  /** How many records at the start of `batch` are older than MaximumRecordAgeInSeconds. */
  private expiredPrefix(batch: readonly DynamoDBRecord[]): number {
    const maxAge = this.consumer.settings.maximumRecordAgeSeconds;
    if (maxAge < 0) return 0;
    const cutoffSeconds = this.poller.now() / 1000 - maxAge;
    const index = batch.findIndex((record) => (record.dynamodb?.ApproximateCreationDateTime ?? Infinity) >= cutoffSeconds);
    return index === -1 ? batch.length : index;
  }

  /** Up to batchSize records; with a tumbling window, only records of the first record's window. */
  private nextBatchLength(): number {
    const { batchSize, tumblingWindowSeconds } = this.consumer.consumer;
    if (tumblingWindowSeconds === undefined) return batchSize;
    const startSeconds = this.windowStartOf(this.buffer[0]);
    const inOtherWindow = this.buffer.findIndex((record) => this.windowStartOf(record) !== startSeconds);
    return Math.min(batchSize, inOtherWindow === -1 ? this.buffer.length : inOtherWindow);
  }

  /** Invokes the handler; `failedFrom` is the index of the first record to retry, if any. */
  private async invoke(batch: DynamoDBRecord[]): Promise<{ failedFrom?: number; reason?: string; threw?: boolean }> {
    const { consumer, slots } = this.consumer;
    let response: DynamoDBBatchResponse | void;
    try {
      // A copy, as Lambda sends fresh JSON each time: a handler that mutates records cannot
      // change what a retry or another consumer sees.
      const event = this.event(structuredClone(batch), false);
      response = await slots.run(() => consumer.handler(event, this.context()));
    } catch (error) {
      return { failedFrom: 0, reason: `handler threw ${describeError(error)}`, threw: true };
    }
    if (this.window) {
      const state = (response as { state?: unknown } | undefined | null)?.state;
      // Lambda counts an answer without state as a failed invocation when a window is configured.
      if (typeof state !== 'object' || state === null) return { failedFrom: 0, reason: 'the response has no state (tumbling window)' };
      this.window.state = state as Record<string, unknown>;
    }
    if (consumer.reportBatchItemFailures === false) return {};
    const failures = (response as Partial<DynamoDBBatchResponse> | undefined | null)?.batchItemFailures;
    if (failures === undefined || failures === null || failures.length === 0) return {};

    const positions = new Map(batch.map((record, index) => [record.dynamodb?.SequenceNumber, index]));
    let failedFrom = batch.length;
    for (const failure of failures) {
      const index = positions.get(failure?.itemIdentifier);
      // Lambda treats a missing, empty or unknown identifier as the failure of the whole batch.
      if (index === undefined) return { failedFrom: 0, reason: `invalid batchItemFailures entry ${JSON.stringify(failure)}` };
      failedFrom = Math.min(failedFrom, index);
    }
    return { failedFrom, reason: `${failures.length} batch item failure(s) reported` };
  }

  private event(records: DynamoDBRecord[], isFinalInvokeForWindow: boolean): DynamoDBStreamEvent {
    if (!this.window) return { Records: records };
    const event: DynamoDBStreamTumblingWindowEvent = {
      Records: records,
      window: {
        start: new Date(this.window.startSeconds * 1000).toISOString(),
        end: new Date(this.windowEndMs(this.window.startSeconds)).toISOString(),
      },
      state: structuredClone(this.window.state),
      shardId: this.shardId,
      eventSourceARN: this.streamArn,
      isFinalInvokeForWindow,
      isWindowTerminatedEarly: false,
    };
    return event;
  }

  private windowStartOf(record: DynamoDBRecord | undefined): number {
    const size = this.consumer.consumer.tumblingWindowSeconds ?? 1;
    const createdSeconds = record?.dynamodb?.ApproximateCreationDateTime ?? Date.now() / 1000;
    return Math.floor(createdSeconds / size) * size;
  }

  private windowEndMs(startSeconds: number): number {
    return (startSeconds + (this.consumer.consumer.tumblingWindowSeconds ?? 0)) * 1000;
  }

  /**
   * The final invocation of the current window (no records, isFinalInvokeForWindow: true), retried
   * like a batch. Its records are already checkpointed, so giving up only loses the aggregate.
   */
  private async closeWindow(): Promise<void> {
    if (!this.window) return;
    const { consumer } = this.consumer;
    for (let attempt = 0; this.running; attempt++) {
      try {
        const event = this.event([], true);
        await this.consumer.slots.run(() => consumer.handler(event, this.context()));
        break;
      } catch (error) {
        const retriesLeft = consumer.maximumRetryAttempts < 0 || attempt < consumer.maximumRetryAttempts;
        this.poller.log(`${consumer.name}: final invocation of the window failed: ${describeError(error)}`, { attempt: attempt + 1, willRetry: retriesLeft });
        if (!retriesLeft) break;
        await this.retryPause.sleep(Math.min(this.poller.retryBaseDelayMs * 2 ** attempt, MAX_RETRY_DELAY_MS));
      }
    }
    this.window = undefined;
  }

  /**
   * A batch is done with: checkpoint through its last record or, when no record read is left
   * waiting, through the last record read (the ones after the batch were all filtered out).
   */
  private async checkpointAfterBatch(batch: DynamoDBRecord[]): Promise<void> {
    const sequenceNumber = this.buffer.length === 0 ? this.readPosition : batch[batch.length - 1]?.dynamodb?.SequenceNumber;
    if (sequenceNumber !== undefined) await this.poller.checkpoints.update(this.name, this.shardId, { sequenceNumber });
  }
}

function workerKey(consumer: string, shardId: string): string {
  return `${consumer}\u0000${shardId}`;
}

// ---------------------------------------------------------------------------------------------

/** Checkpoints of the current stream, in memory and, if a file is given, on disk. */
class CheckpointStore {
  private document: CheckpointDocument | undefined;
  private loadedFromFile = false;
  private writes: Promise<void> = Promise.resolve();
  private changes = 0;
  private savedChanges = 0;

  constructor(
    private readonly tableName: string,
    private readonly file: string | undefined,
    private readonly log: (message: string, data?: object) => void,
  ) {}

  /** Switches to `streamArn`, resuming from the file when it holds checkpoints of that stream. */
  async useStream(streamArn: string): Promise<void> {
    if (this.file && !this.loadedFromFile) {
      this.loadedFromFile = true;
      const saved = await readFile(this.file, 'utf8').then(
        (text) => JSON.parse(text) as CheckpointDocument,
        (error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') this.log(`ignoring unreadable checkpoint file ${this.file}: ${error.message}`);
          return undefined;
        },
      );
      if (saved?.version === 1 && saved.streamArn === streamArn && saved.tableName === this.tableName) {
        this.document = saved;
        this.log(`resuming stream consumers from ${this.file}`);
        return;
      }
      if (saved) this.log(`checkpoints in ${this.file} belong to another stream; starting afresh`);
    }
    this.document = { version: 1, tableName: this.tableName, streamArn, consumers: {} };
    await this.save();
  }

  get(consumer: string, shardId: string): ShardCheckpoint {
    return this.document?.consumers[consumer]?.[shardId] ?? {};
  }

  async update(consumer: string, shardId: string, change: ShardCheckpoint): Promise<void> {
    if (!this.document) return;
    const shards = (this.document.consumers[consumer] ??= {});
    shards[shardId] = { ...shards[shardId], ...change };
    await this.save();
  }

  /** Drops shards that left the stream (trimmed after 24 h) so the file does not grow forever. */
  forgetShardsNotIn(listed: ReadonlySet<string>): void {
    for (const shards of Object.values(this.document?.consumers ?? {})) {
      for (const shardId of Object.keys(shards)) {
        if (!listed.has(shardId)) delete shards[shardId];
      }
    }
  }

  flush(): Promise<void> {
    return this.writes;
  }

  /** Resolves once the current state is on disk. Writes are serialised and coalesced. */
  private save(): Promise<void> {
    if (!this.file) return Promise.resolve();
    const file = this.file;
    const change = ++this.changes;
    this.writes = this.writes.then(async () => {
      if (this.savedChanges >= change || !this.document) return;
      const snapshotOf = this.changes;
      const temporary = `${file}.${randomUUID()}.tmp`;
      try {
        await mkdir(dirname(file), { recursive: true });
        await writeFile(temporary, `${JSON.stringify(this.document, null, 2)}\n`);
        await rename(temporary, file); // atomic: a crash leaves the old or the new file, never half of one
        this.savedChanges = snapshotOf;
      } catch (error) {
        this.log(`could not save stream checkpoints to ${file}: ${describeError(error)}`);
      }
    });
    return this.writes;
  }
}

// ---------------------------------------------------------------------------------------------

/** At most `limit` tasks at once (reserved concurrency); no limit when undefined. */
class Semaphore {
  private active = 0;
  private waiting: (() => void)[] = [];

  constructor(private readonly limit: number | undefined) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.limit !== undefined) {
      while (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

/** A sleep that wake() cuts short; a wake() while nobody sleeps makes the next sleep return at once. */
class Wakeup {
  private sleeper: (() => void) | undefined;
  private woken = false;

  sleep(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.sleeper === done) this.sleeper = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleeper = done;
    });
  }

  wake(): void {
    if (this.sleeper) this.sleeper();
    else this.woken = true;
  }
}

/** The record as Lambda delivers it to a DynamoDB stream handler. */
export function toLambdaRecord(record: SdkRecord, streamArn: string, region: string): DynamoDBRecord {
  const source = record.dynamodb ?? {};
  const dynamodb: StreamRecord = {};
  if (source.ApproximateCreationDateTime) dynamodb.ApproximateCreationDateTime = source.ApproximateCreationDateTime.getTime() / 1000;
  if (source.Keys) dynamodb.Keys = toLambdaImage(source.Keys);
  if (source.NewImage) dynamodb.NewImage = toLambdaImage(source.NewImage);
  if (source.OldImage) dynamodb.OldImage = toLambdaImage(source.OldImage);
  if (source.SequenceNumber !== undefined) dynamodb.SequenceNumber = source.SequenceNumber;
  if (source.SizeBytes !== undefined) dynamodb.SizeBytes = source.SizeBytes;
  if (source.StreamViewType !== undefined) dynamodb.StreamViewType = source.StreamViewType;
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: record.eventSource ?? 'aws:dynamodb',
    awsRegion: region,
    dynamodb,
    eventSourceARN: streamArn,
    // Present for deletions made by TTL.
    ...(record.userIdentity ? { userIdentity: { ...record.userIdentity } } : {}),
  };
}

function toLambdaImage(image: Record<string, SdkAttributeValue>): Record<string, AttributeValue> {
  return Object.fromEntries(Object.entries(image).map(([name, value]) => [name, toLambdaAttributeValue(value)]));
}

/** The SDK decodes binary values to bytes; Lambda's JSON event carries them base64-encoded. */
function toLambdaAttributeValue(value: SdkAttributeValue): AttributeValue {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.M !== undefined) return { M: toLambdaImage(value.M) };
  if (value.L !== undefined) return { L: value.L.map(toLambdaAttributeValue) };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') };
  if (value.BS !== undefined) return { BS: value.BS.map((bytes) => Buffer.from(bytes).toString('base64')) };
  throw new Error(`Unknown attribute value type ${JSON.stringify(Object.keys(value))}`);
}

function isGone(error: unknown): boolean {
  return (error as Error).name === 'ResourceNotFoundException';
}

/** The iterator expired (15 min), points at trimmed data, or is not valid for this DynamoDB Local. */
function isStaleIterator(error: unknown): boolean {
  const { name, message } = error as Error;
  return (
    name === 'ExpiredIteratorException' ||
    name === 'TrimmedDataAccessException' ||
    (name === 'ValidationException' && /iterator/i.test(message))
  );
}

function describeError(error: unknown, depth = 0): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  const description = `${error.name}${code ? ` ${code}` : ''}: ${error.message}`;
  // Wrapping errors (AggregateError, Powertools' FullBatchFailureError, `cause`) hide the reason.
  const { errors, recordErrors, cause } = error as { errors?: unknown[]; recordErrors?: unknown[]; cause?: unknown };
  const inner = recordErrors?.[0] ?? errors?.[0] ?? cause;
  return inner !== undefined && depth < 3 ? `${description} (first cause: ${describeError(inner, depth + 1)})` : description;
}
