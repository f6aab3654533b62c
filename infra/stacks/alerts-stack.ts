import { Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { scheduleSettings, schedules, type ScheduleDefinition, type ScheduleName } from '#shared/schedules.ts';
import { streamConsumers, type StreamConsumerDefinition, type StreamConsumerName } from '#shared/streams/consumers.ts';
import { consumerFunctionSettings, eventSourceSettings, type EventSourceSettings } from '#shared/streams/event-source.ts';
import type { BundledFunction } from '../bundle.ts';
import type { Config } from '../config.ts';
import { ALERT_UNDELIVERED_EVENT } from '#shared/notify/alert.ts';
import { functionAlarms, opsAlarm } from '../constructs/alarms.ts';
import { Mail } from '../constructs/mail.ts';
import { HromadaFunction } from '../constructs/hromada-function.ts';
import { grantTableAccess, tableKeyViaService } from '../constructs/table-access.ts';

export interface AlertsStackProps extends StackProps {
  readonly config: Config;
  readonly table: dynamodb.TableV2;
  readonly keyRing: secretsmanager.ISecret;
  readonly bundles: Readonly<Record<string, BundledFunction>>;
}

/**
 * Every field of EventSourceSettings has its translation here: a setting added to the shared
 * settings does not compile until the stack deploys it too (the tumbling window was once honoured
 * locally and never deployed). test/infra/parity.test.ts checks the result in the template.
 */
type EventSourceTranslation = {
  readonly [K in keyof EventSourceSettings]-?: (value: EventSourceSettings[K]) => Partial<lambda.EventSourceMappingOptions>;
};

export function eventSourceMappingOptions(settings: EventSourceSettings, deadLetterQueue: sqs.IQueue): Omit<lambda.EventSourceMappingOptions, 'eventSourceArn'> {
  const translate: EventSourceTranslation = {
    filterPatterns: (patterns) => ({ filters: patterns.map((pattern) => lambda.FilterCriteria.filter(pattern as Record<string, unknown>)) }),
    batchSize: (batchSize) => ({ batchSize }),
    maxBatchingWindowSeconds: (seconds) => ({ maxBatchingWindow: Duration.seconds(seconds) }),
    tumblingWindowSeconds: (seconds) => (seconds === undefined ? {} : { tumblingWindow: Duration.seconds(seconds) }),
    bisectBatchOnError: (bisectBatchOnError) => ({ bisectBatchOnError }),
    maximumRetryAttempts: (retryAttempts) => ({ retryAttempts }),
    maximumRecordAgeSeconds: (seconds) => ({ maxRecordAge: Duration.seconds(seconds) }),
    onFailure: () => ({ onFailure: new SqsDlq(deadLetterQueue) }),
    startingPosition: (position) => ({ startingPosition: lambda.StartingPosition[position] }),
    reportBatchItemFailures: (reportBatchItemFailures) => ({ reportBatchItemFailures }),
  };
  const props: Partial<lambda.EventSourceMappingOptions> = {};
  for (const key of Object.keys(translate) as (keyof EventSourceSettings)[]) {
    Object.assign(props, (translate[key] as (value: unknown) => Partial<lambda.EventSourceMappingOptions>)(settings[key]));
  }
  return props;
}

/**
 * How long a dead-letter message is kept. It points at stream records, which live 24 h: past that it
 * can no longer be replayed, but it still tells `npm run ops -- replay-dlq` to fall back to a recount
 * (so it is kept over a long weekend), and nothing older is of any use.
 */
export const DEAD_LETTER_RETENTION = Duration.days(4);

export interface StreamConsumerResources {
  readonly function: lambda.Function;
  readonly deadLetterQueue: sqs.Queue;
}

export interface ScheduledJobResources {
  readonly function: lambda.Function;
  readonly rule: events.Rule;
}

/**
 * Reactions to data changes and the messages they send: one Lambda per stream consumer of
 * shared/streams/consumers.ts (filtered event source mapping on the table stream, bounded retries,
 * bisect on error, partial batch responses, an SQS dead-letter queue),
 * the `hromada-<stage>` EventBridge bus, and the ops topic every alarm of the app notifies. Also
 * the scheduled jobs of shared/schedules.ts: a Lambda each, invoked by an EventBridge rule
 * `rate(N minutes)` on the default bus.
 */
export class AlertsStack extends Stack {
  readonly opsTopic: sns.Topic;
  readonly eventBus: events.EventBus;
  readonly messagingKey: kms.Key;
  /** SES identity and configuration set; absent when the stage configures no `mail`. */
  readonly mail: Mail | undefined;
  readonly consumers: Readonly<Record<StreamConsumerName, StreamConsumerResources>>;
  readonly schedules: Readonly<Record<ScheduleName, ScheduledJobResources>>;

  constructor(scope: Construct, id: string, props: AlertsStackProps) {
    super(scope, id, props);
    const { config, table } = props;
    const prefix = `hromada-${config.stage}`;

    // SNS server-side encryption needs a KMS key; the AWS-managed alias/aws/sns key cannot be used
    // by CloudWatch alarms (its key policy cannot be changed), so the topics share this one.
    this.messagingKey = new kms.Key(this, 'MessagingKey', {
      description: `${prefix}: encryption of the ops SNS topic`,
      alias: `alias/${prefix}-messaging`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    this.messagingKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublishToEncryptedTopics',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
      }),
    );


    this.opsTopic = new sns.Topic(this, 'OpsTopic', {
      topicName: `${prefix}-ops`,
      displayName: 'Hromada: operations alarms',
      masterKey: this.messagingKey,
      enforceSSL: true,
    });
    // enforceSSL only denies plain HTTP: CloudWatch alarms of this account need an explicit allow.
    this.opsTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.opsTopic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': this.account },
          ArnLike: { 'aws:SourceArn': `arn:${this.partition}:cloudwatch:${this.region}:${this.account}:alarm:*` },
        },
      }),
    );
    if (config.opsAlertEmail) {
      this.opsTopic.addSubscription(new subscriptions.EmailSubscription(config.opsAlertEmail));
    }

    this.eventBus = new events.EventBus(this, 'EventBus', {
      eventBusName: prefix,
      description: 'Domain events of hromada (threshold alerts, ...) for integrations of the city',
    });

    this.mail = config.mail ? new Mail(this, 'Mail', { prefix, domain: config.mail.domain, from: config.mail.from, opsTopic: this.opsTopic }) : undefined;

    const consumers: Partial<Record<StreamConsumerName, StreamConsumerResources>> = {};
    for (const [name, consumer] of Object.entries(streamConsumers) as [StreamConsumerName, StreamConsumerDefinition][]) {
      const bundle = props.bundles[name];
      if (!bundle) throw new Error(`No bundle for stream consumer ${name}`);
      const publishes: readonly string[] = consumer.publishes;
      const group = new Construct(this, name);
      const functionSettings = consumerFunctionSettings(consumer);
      if (bundle.entry.entry !== functionSettings.entry) {
        throw new Error(`Stream consumer ${name}: bundle of ${bundle.entry.entry}, but the consumer runs ${functionSettings.entry}`);
      }

      const fn = new HromadaFunction(group, 'Lambda', {
        codeDir: bundle.dir,
        description: consumer.description,
        config,
        keyRing: props.keyRing,
        timeout: Duration.seconds(functionSettings.timeoutSeconds),
        reservedConcurrentExecutions: functionSettings.reservedConcurrency,
        environment: {
          TABLE_NAME: table.tableName,
          DEFAULT_COMMUNITY: config.defaultCommunity,
          ...(publishes.includes('event-bus') ? { EVENT_BUS_NAME: this.eventBus.eventBusName } : {}),
          ...(publishes.includes('mail') && this.mail ? this.mail.environment() : {}),
          ...(publishes.includes('mail') && config.webOrigin ? { WEB_ORIGIN: config.webOrigin } : {}),
        },
      });
      if (publishes.includes('mail')) this.mail?.grantSend(fn.role);
      if (consumer.undeliveredLogEvent) {
        // An alert that could not be e-mailed (no recipients for its community, or no mail in this
        // stage) stays undelivered and logs a line: counted here, and the alarm calls a person.
        const undelivered = new logs.MetricFilter(group, 'UndeliveredMetricFilter', {
          logGroup: fn.logGroup,
          filterPattern: logs.FilterPattern.anyTerm(consumer.undeliveredLogEvent),
          metricNamespace: 'Hromada',
          metricName: `${prefix}-${name}-undelivered`,
          metricValue: '1',
        });
        opsAlarm(group, 'UndeliveredAlarm', {
          name: `${prefix}-${name}-undelivered`,
          description: consumer.undeliveredLogEvent === ALERT_UNDELIVERED_EVENT
            ? `${prefix}-${name}: a council alert could not be e-mailed: its community names no council.alertRecipients ` +
              '(infra/communities/<id>.json) or the stage configures no mail. The alert is kept undelivered and listed in the ' +
              'council console; after fixing the configuration, `npm run ops -- replay-dlq` delivers every undelivered alert.'
            : `${prefix}-${name}: notifications to people were not sent because the stage configures no mail (infra/stages: mail).`,
          metric: undelivered.metric({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
          threshold: 1,
          opsTopic: this.opsTopic,
        });
      }
      grantTableAccess(fn.role, table, consumer.table);
      if (publishes.includes('event-bus')) {
        fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'PutDomainEvents', actions: ['events:PutEvents'], resources: [this.eventBus.eventBusArn] }));
      }

      const deadLetterQueue = new sqs.Queue(group, 'DeadLetterQueue', {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: DEAD_LETTER_RETENTION,
      });
      Validations.of(deadLetterQueue).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason:
          'This queue is itself a dead-letter queue: the on-failure destination of the stream event source mapping of ' +
          `${name}. SQS3 only recognises queues named in another queue's RedrivePolicy.`,
      });

      // The mapping and its grants by hand (not DynamoEventSource): its grantStreamRead would allow the
      // table key without the kms:ViaService condition every other use of that key has.
      const streamArn = table.tableStreamArn;
      if (!streamArn) throw new Error('The table has no stream: the stream consumers need one');
      fn.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'ReadTableStream',
          actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'],
          resources: [streamArn],
        }),
      );
      if (table.encryptionKey) {
        fn.role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            sid: 'ReadTableStreamKey',
            actions: ['kms:Decrypt', 'kms:DescribeKey'],
            resources: [table.encryptionKey.keyArn],
            conditions: { StringEquals: { 'kms:ViaService': tableKeyViaService(fn.role) } },
          }),
        );
      }
      fn.function.addEventSourceMapping('TableStream', {
        eventSourceArn: streamArn,
        ...eventSourceMappingOptions(eventSourceSettings(consumer), deadLetterQueue),
      });

      functionAlarms(group, `${prefix}-${name}`, fn.function, this.opsTopic);
      opsAlarm(group, 'IteratorAgeAlarm', {
        name: `${prefix}-${name}-iterator-age`,
        description:
          `${prefix}-${name}: the oldest stream record waited more than ${config.iteratorAgeAlarmSeconds} s for 3 minutes: ` +
          'the consumer falls behind (counts and alerts are late) or keeps retrying a failing batch.',
        metric: fn.function.metric('IteratorAge', { statistic: cloudwatch.Stats.MAXIMUM, period: Duration.minutes(1) }),
        threshold: config.iteratorAgeAlarmSeconds * 1000,
        evaluationPeriods: 3,
        opsTopic: this.opsTopic,
      });
      opsAlarm(group, 'DeadLetterAlarm', {
        name: `${prefix}-${name}-dead-letters`,
        description:
          `${prefix}-${name}: stream records exhausted their retries and were sent to the dead-letter queue. The messages ` +
          'name the shard and sequence numbers; replay them after fixing the cause (the consumers are idempotent).',
        metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: cloudwatch.Stats.MAXIMUM, period: Duration.minutes(1) }),
        threshold: 1,
        opsTopic: this.opsTopic,
      });

      consumers[name] = { function: fn.function, deadLetterQueue };
    }
    this.consumers = consumers as Record<StreamConsumerName, StreamConsumerResources>;

    const jobs: Partial<Record<ScheduleName, ScheduledJobResources>> = {};
    for (const [name, job] of Object.entries(schedules) as [ScheduleName, ScheduleDefinition][]) {
      const bundle = props.bundles[name];
      if (!bundle) throw new Error(`No bundle for scheduled job ${name}`);
      const settings = scheduleSettings(job);
      if (bundle.entry.entry !== settings.entry) throw new Error(`Scheduled job ${name}: bundle of ${bundle.entry.entry}, but the job runs ${settings.entry}`);
      const group = new Construct(this, name);
      const fn = new HromadaFunction(group, 'Lambda', {
        codeDir: bundle.dir,
        description: job.description,
        config,
        timeout: Duration.seconds(settings.timeoutSeconds),
        memorySize: settings.memoryMb,
        reservedConcurrentExecutions: settings.reservedConcurrency,
        environment: { TABLE_NAME: table.tableName, DEFAULT_COMMUNITY: config.defaultCommunity },
      });
      grantTableAccess(fn.role, table, job.table);
      const rule = new events.Rule(group, 'Schedule', {
        description: `${prefix}: runs ${name} ${settings.expression}`,
        schedule: events.Schedule.rate(Duration.minutes(settings.everyMinutes)),
      });
      // A run that cannot be delivered in time is dropped: the next one comes within the interval
      // and does the same (the jobs are idempotent).
      rule.addTarget(new eventsTargets.LambdaFunction(fn.function, {
        retryAttempts: 2,
        maxEventAge: Duration.seconds(Math.max(60, settings.everyMinutes * 60)),
      }));
      functionAlarms(group, `${prefix}-${name}`, fn.function, this.opsTopic);
      jobs[name] = { function: fn.function, rule };
    }
    this.schedules = jobs as Record<ScheduleName, ScheduledJobResources>;
  }
}
