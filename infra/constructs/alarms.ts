import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

export interface AlarmOptions {
  readonly name: string;
  readonly description: string;
  readonly metric: cloudwatch.IMetric;
  /** Alarm when the metric is >= this. */
  readonly threshold: number;
  readonly evaluationPeriods?: number;
  readonly datapointsToAlarm?: number;
  readonly opsTopic: sns.ITopic;
}

/** An alarm that notifies the ops topic when it fires and when it recovers; no data is not a breach. */
export function opsAlarm(scope: Construct, id: string, options: AlarmOptions): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, {
    alarmName: options.name,
    alarmDescription: options.description,
    metric: options.metric,
    threshold: options.threshold,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: options.evaluationPeriods ?? 1,
    datapointsToAlarm: options.datapointsToAlarm ?? options.evaluationPeriods ?? 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  const action = new actions.SnsAction(options.opsTopic);
  alarm.addAlarmAction(action);
  alarm.addOkAction(action);
  return alarm;
}

/**
 * Errors (the function crashed or timed out: handlers turn expected failures into responses, so
 * any error is a bug or an outage) and throttles (concurrency exhausted: requests were refused).
 */
export function functionAlarms(
  scope: Construct,
  prefix: string,
  fn: lambda.IFunction,
  opsTopic: sns.ITopic,
  options: { /** False for a function whose errors are answers (the TOKEN authorizer's 401). */ readonly errors?: boolean } = {},
): cloudwatch.Alarm[] {
  const period = Duration.minutes(5);
  return [
    ...(options.errors === false
      ? []
      : [
          opsAlarm(scope, 'ErrorsAlarm', {
            name: `${prefix}-errors`,
            description: `${prefix}: the function failed (unhandled error or timeout) in the last 5 minutes. Look at its log group.`,
            metric: fn.metricErrors({ period, statistic: cloudwatch.Stats.SUM }),
            threshold: 1,
            opsTopic,
          }),
        ]),
    opsAlarm(scope, 'ThrottlesAlarm', {
      name: `${prefix}-throttles`,
      description: `${prefix}: invocations were throttled (account or reserved concurrency exhausted) in the last 5 minutes.`,
      metric: fn.metricThrottles({ period, statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      opsTopic,
    }),
  ];
}
