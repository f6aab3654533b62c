import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { StreamReader, tableStreamArn } from '#shared/data/stream-reader.ts';

/**
 * Where an ops command works: DynamoDB Local (`--endpoint URL --table NAME`, what `npm start` and
 * the tests run) or a deployed stage (`--stage NAME [--region R]`: table `hromada-<stage>`, the
 * CLI's credentials).
 */
export const targetOptions = {
  endpoint: { type: 'string' },
  table: { type: 'string' },
  stage: { type: 'string' },
  region: { type: 'string' },
} as const;

export const targetUsage = `Target (one of):
  --endpoint URL --table NAME   DynamoDB Local (e.g. --endpoint http://127.0.0.1:8000 --table hromada-local)
  --stage NAME [--region R]     a deployed stage: table hromada-<stage>, the AWS CLI's credentials`;

const targetSchema = z.union([
  z.object({ endpoint: z.url({ protocol: /^https?$/ }), table: z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/), stage: z.undefined() }),
  z.object({ stage: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/), region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/).optional(), endpoint: z.undefined(), table: z.undefined() }),
], { error: 'Give either --endpoint and --table (DynamoDB Local) or --stage (AWS).' });

export interface Target {
  kind: 'local' | 'aws';
  table: string;
  stage?: string;
  region?: string;
  dynamodb: DynamoDBClient;
  db: DynamoDBDocumentClient;
  streams: DynamoDBStreamsClient;
  reader(): Promise<StreamReader>;
  close(): void;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export function connect(values: Record<string, unknown>): Target {
  const parsed = targetSchema.safeParse({ endpoint: values.endpoint, table: values.table, stage: values.stage, region: values.region });
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `${i.path.join('.') || 'target'}: ${i.message}`).join('; '));
  const options = parsed.data;
  let kind: Target['kind'];
  let table: string;
  let clientConfig: { endpoint?: string; region?: string };
  if (options.endpoint !== undefined) {
    kind = 'local';
    table = options.table;
    // DynamoDB Local accepts any credentials; the functions the command may run read these.
    process.env.AWS_REGION ??= 'eu-central-1';
    process.env.AWS_ACCESS_KEY_ID ??= 'local';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
    process.env.DYNAMODB_ENDPOINT = options.endpoint;
    clientConfig = { endpoint: options.endpoint };
  } else {
    kind = 'aws';
    table = `hromada-${options.stage}`;
    clientConfig = options.region ? { region: options.region } : {};
    if (options.region) process.env.AWS_REGION = options.region;
  }
  process.env.TABLE_NAME = table;
  const dynamodb = new DynamoDBClient(clientConfig);
  const db = DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });
  const streams = new DynamoDBStreamsClient(clientConfig);
  return {
    kind,
    table,
    ...(options.stage ? { stage: options.stage } : {}),
    ...(clientConfig.region ? { region: clientConfig.region } : {}),
    dynamodb,
    db,
    streams,
    // In AWS an open shard may answer an empty page before later records: ask three times.
    reader: async () => new StreamReader(streams, await tableStreamArn(dynamodb, table), kind === 'aws' ? 3 : 1),
    close: () => {
      dynamodb.destroy();
      streams.destroy();
    },
  };
}

/**
 * The start every command against a target shares: its options (plus the target's and `--help`)
 * parsed, `--help` answered, the command's own check (`problem`: a message, or undefined), then the
 * connection. A number is the exit code to stop with (0 after help, 2 with the usage on stderr).
 */
export function startCommand(
  args: string[],
  options: ParseArgsOptionsConfig,
  usage: string,
  problem: (values: Record<string, unknown>) => string | undefined,
): { values: Record<string, unknown>; target: Target } | number {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ args, options: { ...targetOptions, ...options, help: { type: 'boolean' } } }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const message = problem(values);
  if (message) {
    console.error(`${message}\n\n${usage}`);
    return 2;
  }
  try {
    return { values, target: connect(values) };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${usage}`);
    return 2;
  }
}
