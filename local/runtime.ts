import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context, DynamoDBStreamEvent, DynamoDBBatchResponse } from 'aws-lambda';
import { generateKeyRingJson } from '#shared/secrets/key-ring.ts';
import { streamConsumers, type StreamConsumerDefinition, type StreamConsumerName } from '#shared/streams/consumers.ts';
import { consumerFunctionSettings, eventSourceSettings } from '#shared/streams/event-source.ts';
import { localDeadLetterSink } from './dead-letters.ts';
import { createDevAuth, LOCAL_ISSUER, type DevAuth } from './dev-auth.ts';
import { startDynamoDbLocal } from './dynamodb-local.ts';
import { defaultFunctionLimits, loadEntry } from './functions.ts';
import { startGateway } from './gateway.ts';
import { startLocalMailServer, type LocalMailServer } from './mail-server.ts';
import { createLocalWeb } from './web.ts';
import type { WebBuild } from '../web/build.ts';
import { defaultSchedules, startScheduler, type LocalSchedule } from './scheduler.ts';
import type { ScheduleName } from '#shared/schedules.ts';
import { startStreamPoller, type StreamConsumer } from './stream-poller.ts';
import { ensureTable } from './table-setup.ts';

export interface LocalSystemOptions {
  /** Gateway port; 0 picks a free one. */
  port: number;
  host?: string;
  /** Folder for DynamoDB Local's data; ignored with `inMemory`. */
  dataDir: string;
  inMemory: boolean;
  tableName?: string;
  /** Reuse a running DynamoDB Local instead of starting one (tests share one per run). */
  dynamoEndpoint?: string;
  /** The consumers' dead-letter queues (local/dead-letters.ts); default `<dataDir>/dead-letters`, none in memory. */
  deadLetterDir?: string;
  /** Where delivered council alerts are appended as JSON lines (or `stdout`). */
  alertSinkFile?: string;
  /** Where the local SMTP server keeps each message as `.eml`; default `<dataDir>/mail`, a temp dir in memory. */
  mailDir?: string;
  /** Consumers to run; default all. Tests may run their own. */
  consumers?: StreamConsumer[];
  /** Scheduled jobs to run on their intervals; default all (shared/schedules.ts). Tests may run their own. */
  schedules?: LocalSchedule[];
  log?: (line: string) => void;
  /** Pass DynamoDB Local's own output to `log` too. */
  verbose?: boolean;
  /** Build and serve the web app at / (npm start; the browser tests). */
  web?: boolean | { outDir: string };
}

export interface LocalSystem {
  url: string;
  dynamoEndpoint: string;
  tableName: string;
  auth: DevAuth;
  tableOutcome: 'created' | 'updated' | 'unchanged';
  /** The web app's build, when it is served. */
  web?: WebBuild;
  /** The local SMTP server the functions send e-mail to (`GET /dev/mail` lists what it received). */
  mail: LocalMailServer;
  waitForStreams(timeoutMs?: number): Promise<void>;
  /** Runs a scheduled job now, as its interval would (tests run it rather than wait). */
  runSchedule(name: ScheduleName): Promise<unknown>;
  stop(): Promise<void>;
}

/**
 * The same stream handlers Lambda runs, fed with the settings the CDK app gives their event source
 * mappings and functions: both sides take them from shared/streams/event-source.ts, and
 * test/infra/parity.test.ts compares what the poller makes of them with the synthesized template.
 */
export function defaultConsumers(): StreamConsumer[] {
  return (Object.entries(streamConsumers) as [StreamConsumerName, StreamConsumerDefinition][]).map(([name, def]) => {
    const { entry, reservedConcurrency, timeoutSeconds } = consumerFunctionSettings(def);
    return {
      name,
      ...eventSourceSettings(def),
      entry,
      reservedConcurrency,
      timeoutSeconds,
      memoryMb: defaultFunctionLimits().memoryMb,
      handler: async (event: DynamoDBStreamEvent, context?: Context) =>
        (await loadEntry<(e: DynamoDBStreamEvent, c?: Context) => Promise<DynamoDBBatchResponse | void>>(entry))(event, context),
    };
  });
}

/**
 * The deployment's key ring (what Secrets Manager holds in AWS): generated once and kept in the
 * data folder, so voter markers and cursors stay valid across restarts; a new one for each
 * in-memory run. An explicit `HROMADA_SECRETS` wins.
 */
function localKeyRing(options: Pick<LocalSystemOptions, 'inMemory' | 'dataDir'>): string {
  if (process.env.HROMADA_SECRETS) return process.env.HROMADA_SECRETS;
  if (options.inMemory) return generateKeyRingJson();
  const file = join(options.dataDir, 'secrets.json');
  if (!existsSync(file)) writeFileSync(file, generateKeyRingJson(), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

/**
 * Sets the environment the CDK app gives every function, pointed at the local store.
 * Dummy credentials: DynamoDB Local accepts any.
 */
function setFunctionEnvironment(endpoint: string, tableName: string, alertSinkFile: string) {
  process.env.AWS_REGION ??= 'eu-central-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  process.env.DYNAMODB_ENDPOINT = endpoint;
  process.env.TABLE_NAME = tableName;
  process.env.DEFAULT_COMMUNITY ??= 'ternopil';
  process.env.POWERTOOLS_SERVICE_NAME ??= 'hromada';
  process.env.LOCAL_ALERT_SINK = alertSinkFile;
}

export async function startLocalSystem(options: LocalSystemOptions): Promise<LocalSystem> {
  const log = options.log ?? (() => undefined);
  const host = options.host ?? '127.0.0.1';
  const tableName = options.tableName ?? 'hromada-local';
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const fn of stops.reverse()) await fn().catch(() => undefined);
  };
  try {
    let endpoint = options.dynamoEndpoint;
    if (!endpoint) {
      if (!options.inMemory) mkdirSync(options.dataDir, { recursive: true });
      const dynamo = await startDynamoDbLocal({
        port: 0,
        ...(options.inMemory ? { inMemory: true } : { dataDir: options.dataDir }),
        ...(options.verbose ? { log } : {}),
      });
      stops.push(() => dynamo.stop());
      endpoint = dynamo.endpoint;
    }
    const alertSinkFile = options.alertSinkFile ?? (options.inMemory ? 'stdout' : join(options.dataDir, 'council-alerts.jsonl'));
    setFunctionEnvironment(endpoint, tableName, alertSinkFile);
    process.env.HROMADA_SECRETS = localKeyRing(options);
    // The search index (S3 in AWS): a folder of the data dir, or this process's memory when in-memory.
    if (options.inMemory) {
      delete process.env.SEARCH_INDEX_DIR;
      delete process.env.OPEN_DATA_DIR;
    } else {
      process.env.SEARCH_INDEX_DIR = join(options.dataDir, 'search-index');
      process.env.OPEN_DATA_DIR = join(options.dataDir, 'open-data');
    }
    // E-mail (Amazon SES in AWS): a real SMTP server in this process; the functions send to it over SMTP.
    const mailDir = options.mailDir ?? (options.inMemory ? mkdtempSync(join(tmpdir(), 'hromada-mail-')) : join(options.dataDir, 'mail'));
    const mail = await startLocalMailServer({ dir: mailDir });
    stops.push(async () => {
      await mail.stop();
      if (options.inMemory && !options.mailDir) rmSync(mailDir, { recursive: true, force: true });
    });
    process.env.LOCAL_SMTP_URL = mail.url;
    process.env.MAIL_FROM ??= 'Громада <hromada@localhost>';
    const client = new DynamoDBClient({ endpoint });
    const tableOutcome = await ensureTable(client, tableName);
    client.destroy();

    const poller = startStreamPoller({
      endpoint,
      tableName,
      consumers: options.consumers ?? defaultConsumers(),
      ...(options.inMemory ? {} : { checkpointFile: join(options.dataDir, 'stream-checkpoints.json') }),
      onDeadLetter: localDeadLetterSink(options.deadLetterDir ?? (options.inMemory ? undefined : join(options.dataDir, 'dead-letters')), log),
      log: (message) => log(message),
    });
    stops.push(() => poller.stop());

    // The scheduled jobs (EventBridge rules in AWS), on the same intervals.
    const scheduler = startScheduler({ schedules: options.schedules ?? defaultSchedules(), log: (message) => log(message) });
    stops.push(() => scheduler.stop());

    const gatewayPort = options.port;
    const auth = await createDevAuth(LOCAL_ISSUER);
    const web = options.web ? await createLocalWeb({ auth, ...(typeof options.web === 'object' ? { outDir: options.web.outDir } : {}) }) : undefined;
    const gateway = await startGateway({ port: gatewayPort, host, auth, mail, ...(web ? { web } : {}) });
    stops.push(() => gateway.stop());
    // Links in e-mails (the council console, unsubscribe) point at this gateway, as they point at
    // the stage's web origin in AWS.
    process.env.WEB_ORIGIN = gateway.url;
    return {
      url: gateway.url,
      dynamoEndpoint: endpoint,
      tableName,
      auth,
      tableOutcome,
      mail,
      ...(web ? { web: web.build } : {}),
      // Round after round: records the consumers write while draining are in the stream only after
      // the wait began. The deepest cascade: a signature -> the counter's alert -> a notification
      // job -> its outbox items -> sent (a fan-out in slices adds a round per slice).
      waitForStreams: async (timeoutMs) => {
        for (let round = 0; round < 5; round++) await poller.waitForIdle(timeoutMs);
      },
      runSchedule: (name) => scheduler.run(name),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
