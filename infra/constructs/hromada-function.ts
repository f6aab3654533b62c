import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { Config } from '../config.ts';

/**
 * IAM role descriptions accept Latin-1 only; route summaries are free text (typographic quotes,
 * dashes, Ukrainian). Keep what IAM accepts, turn the usual punctuation into ASCII, drop the rest.
 */
export function latin1(text: string): string {
  return text
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/\u2026/g, '...')
    .replace(/[^\t\n\r\u0020-\u007e\u00a1-\u00ff]/g, '?');
}

export interface HromadaFunctionProps {
  /** Folder with index.mjs (from infra/bundle.ts). */
  readonly codeDir: string;
  readonly description: string;
  readonly config: Config;
  readonly environment?: Readonly<Record<string, string>>;
  readonly memorySize?: number;
  readonly timeout?: Duration;
  /** Reserved concurrency (stream consumers: so an HTTP surge cannot starve them). */
  readonly reservedConcurrentExecutions?: number;
  /** The key ring secret, for functions that key hashes or sign cursors (SECRETS_ARN + read grant). */
  readonly keyRing?: secretsmanager.ISecret;
}

/**
 * One Lambda function with every default the project shares: Node.js 24 on Graviton, the esbuild
 * bundle, active tracing, source-mapped stack traces, its own log group with a retention, and its
 * own role that can write to that log group and nothing else. Whatever else a function may do is
 * granted by the stack that creates it (table access from the route table, publish rights).
 */
export class HromadaFunction extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: HromadaFunctionProps) {
    super(scope, id);
    const { config } = props;

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: config.logRetentionDays as logs.RetentionDays,
      removalPolicy: config.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    // A role of our own instead of the default one: the default attaches the AWS-managed
    // AWSLambdaBasicExecutionRole (logs:* on every log group); this one writes to one log group.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: latin1(`hromada-${config.stage} ${id}: ${props.description}`).slice(0, 1000),
    });
    this.logGroup.grantWrite(this.role);

    this.function = new lambda.Function(this, 'Function', {
      description: props.description.slice(0, 256),
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      code: lambda.Code.fromAsset(props.codeDir),
      handler: 'index.handler',
      memorySize: props.memorySize ?? config.lambdaMemoryMb,
      timeout: props.timeout ?? Duration.seconds(config.lambdaTimeoutSeconds),
      ...(props.reservedConcurrentExecutions !== undefined ? { reservedConcurrentExecutions: props.reservedConcurrentExecutions } : {}),
      role: this.role,
      logGroup: this.logGroup,
      tracing: lambda.Tracing.ACTIVE,
      recursiveLoop: lambda.RecursiveLoop.TERMINATE,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'hromada',
        LOG_LEVEL: config.logLevel,
        ...props.environment,
        ...(props.keyRing ? { SECRETS_ARN: props.keyRing.secretArn } : {}),
      },
    });
    props.keyRing?.grantRead(this.role);

    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active tracing adds xray:PutTraceSegments and xray:PutTelemetryRecords, which do not support resource-level permissions ' +
        '(https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html). Every other statement of this ' +
        'role names its resources (its log group, the table and each index by name, the keys, topics, bus and queue).',
    });
  }
}
