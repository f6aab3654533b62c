import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ses from 'aws-cdk-lib/aws-ses';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { opsAlarm } from './alarms.ts';

export interface MailProps {
  /** `hromada-<stage>`. */
  readonly prefix: string;
  /** The sending domain (stage config `mail.domain`). */
  readonly domain: string;
  /** The From address (stage config `mail.from`). */
  readonly from: string;
  readonly opsTopic: sns.ITopic;
}

/**
 * E-mail through Amazon SES v2: the stage's domain as an identity (Easy DKIM: publish the three
 * CNAME records SES lists for it), a configuration set that requires TLS and puts every address
 * that bounces or complains on the account's suppression list (SES then refuses to send to it),
 * and alarms on the account's bounce and complaint rates (SES reviews an account at 5 % bounces
 * or 0.1 % complaints). Only the functions given `grantSend` may send, and only from this identity
 * with this configuration set.
 */
export class Mail extends Construct {
  readonly configurationSet: ses.ConfigurationSet;
  readonly identity: ses.EmailIdentity;
  readonly configurationSetName: string;
  readonly from: string;

  constructor(scope: Construct, id: string, props: MailProps) {
    super(scope, id);
    this.from = props.from;
    this.configurationSetName = `${props.prefix}-mail`;
    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: this.configurationSetName,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      reputationMetrics: true,
      sendingEnabled: true,
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
    });
    this.identity = new ses.EmailIdentity(this, 'Identity', {
      identity: ses.Identity.domain(props.domain),
      configurationSet: this.configurationSet,
    });

    const rate = (metricName: string) =>
      new cloudwatch.Metric({ namespace: 'AWS/SES', metricName, statistic: cloudwatch.Stats.MAXIMUM, period: Duration.hours(1) });
    opsAlarm(this, 'BounceRateAlarm', {
      name: `${props.prefix}-mail-bounce-rate`,
      description: `${props.prefix}: the account's SES bounce rate reached 4 % (SES reviews sending at 5 %). Bounced addresses are suppressed; look for a bad list or a stale address source.`,
      metric: rate('Reputation.BounceRate'),
      threshold: 0.04,
      opsTopic: props.opsTopic,
    });
    opsAlarm(this, 'ComplaintRateAlarm', {
      name: `${props.prefix}-mail-complaint-rate`,
      description: `${props.prefix}: the account's SES complaint rate reached 0.08 % (SES reviews sending at 0.1 %). People mark our mail as spam: check what was sent and to whom.`,
      metric: rate('Reputation.ComplaintRate'),
      threshold: 0.0008,
      opsTopic: props.opsTopic,
    });
  }

  /** The configuration set's ARN (SES v2 authorizes SendEmail on the identity and on the set). */
  get configurationSetArn(): string {
    return Stack.of(this).formatArn({ service: 'ses', resource: 'configuration-set', resourceName: this.configurationSetName });
  }

  /** `ses:SendEmail` from this identity with this configuration set, nothing else. */
  grantSend(role: iam.IRole): void {
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'SendMail',
      actions: ['ses:SendEmail'],
      resources: [this.identity.emailIdentityArn, this.configurationSetArn],
    }));
  }

  /** What a sending function reads (shared/mail/from-environment.ts). */
  environment(): Record<string, string> {
    return { MAIL_FROM: this.from, MAIL_CONFIGURATION_SET: this.configurationSetName };
  }
}
