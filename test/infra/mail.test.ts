import { Stack, type CfnResource } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_UNDELIVERED_EVENT } from '#shared/notify/alert.ts';
import { streamConsumers, type StreamConsumerName } from '#shared/streams/consumers.ts';
import { ofType, resourcesOf, synthTestApp, testStageFile, type TestApp } from './support.ts';

/** A stage that sends e-mail: SES from its domain, links to its web origin. */
const mailStage = {
  ...testStageFile,
  mail: { domain: 'rada.ternopil.example', from: 'Громада <no-reply@rada.ternopil.example>' },
  webOrigin: 'https://petitions.ternopil.example',
};

let t: TestApp;
beforeAll(async () => {
  t = await synthTestApp({ stageFile: mailStage });
});
afterAll(() => t?.cleanup());

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

/** Every statement of every IAM policy in every template, with the role it is attached to. */
function allStatements(): { roles: string; statement: Statement }[] {
  return [t.templates.data, t.templates.auth, t.templates.alerts, ...t.templates.apiAll].flatMap((template) =>
    Object.values(resourcesOf(template))
      .filter((resource) => resource.Type === 'AWS::IAM::Policy')
      .flatMap((resource) => (resource.Properties?.PolicyDocument as { Statement: Statement[] }).Statement
        .map((statement) => ({ roles: JSON.stringify(resource.Properties?.Roles), statement }))));
}

const consumerNames = Object.keys(streamConsumers) as StreamConsumerName[];
const mailing = consumerNames.filter((name) => (streamConsumers[name].publishes as readonly string[]).includes('mail'));

describe('SES (stage `mail`)', () => {
  it('verifies the stage domain as an identity, with a configuration set that suppresses bounces and complaints and requires TLS', () => {
    t.templates.alerts.resourceCountIs('AWS::SES::EmailIdentity', 1);
    t.templates.alerts.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'rada.ternopil.example',
      ConfigurationSetAttributes: { ConfigurationSetName: Match.anyValue() },
    });
    t.templates.alerts.hasResourceProperties('AWS::SES::ConfigurationSet', {
      Name: 'hromada-test-mail',
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
      DeliveryOptions: { TlsPolicy: 'REQUIRE' },
      ReputationOptions: { ReputationMetricsEnabled: true },
      SendingOptions: { SendingEnabled: true },
    });
  });

  it('lets only the mail-sending consumers send, only ses:SendEmail, only from the identity with the configuration set', () => {
    expect(mailing).toEqual(['alertNotifier', 'notificationSender']);
    const sesStatements = allStatements().filter(({ statement }) => [statement.Action].flat().some((action) => action.startsWith('ses:')));
    const senderRoles = mailing.map((name) => {
      const fn = t.stacks.alerts.consumers[name].function;
      return JSON.stringify([{ Ref: Stack.of(fn).getLogicalId(fn.role?.node.defaultChild as CfnResource) }]);
    });
    expect(sesStatements.map((s) => s.roles).sort()).toEqual([...senderRoles].sort());
    for (const { statement } of sesStatements) {
      expect(statement.Effect).toBe('Allow');
      expect([statement.Action].flat()).toEqual(['ses:SendEmail']);
      const resources = JSON.stringify(statement.Resource);
      expect(resources).not.toContain('"*"');
      // The identity's ARN: arn:…:identity/ + a Ref to the stage's EmailIdentity (whose name is the domain, asserted above).
      const identityId = ofType(t.templates.alerts, 'AWS::SES::EmailIdentity')[0]?.[0];
      expect(resources).toContain(`:identity/",{"Ref":"${identityId}"}`);
      expect(resources).toContain(':configuration-set/hromada-test-mail');
    }
  });

  it('gives the senders the From address, configuration set and web origin they read', () => {
    for (const name of mailing) {
      const fn = t.stacks.alerts.consumers[name].function;
      const cfn = fn.node.defaultChild as CfnResource;
      const env = (resourcesOf(t.templates.alerts)[Stack.of(cfn).getLogicalId(cfn)]?.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(env, name).toMatchObject({
        MAIL_FROM: 'Громада <no-reply@rada.ternopil.example>',
        MAIL_CONFIGURATION_SET: 'hromada-test-mail',
        WEB_ORIGIN: 'https://petitions.ternopil.example',
      });
      expect(env.ALERT_TOPIC_ARN, name).toBeUndefined();
    }
  });

  it('alarms on undelivered council alerts and on the bounce and complaint rates', () => {
    const filters = ofType(t.templates.alerts, 'AWS::Logs::MetricFilter');
    expect(filters.some(([, filter]) => String(filter.Properties?.FilterPattern).includes(ALERT_UNDELIVERED_EVENT))).toBe(true);
    const alarms = ofType(t.templates.alerts, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties ?? {});
    const byName = (name: string) => alarms.find((alarm) => alarm.AlarmName === name);
    expect(byName('hromada-test-notificationSender-undelivered')).toMatchObject({ Threshold: 1 });
    expect(byName('hromada-test-alertNotifier-undelivered')).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    expect(String(byName('hromada-test-alertNotifier-undelivered')?.AlarmDescription)).toContain('alertRecipients');
    expect(byName('hromada-test-mail-bounce-rate')).toMatchObject({ MetricName: 'Reputation.BounceRate', Namespace: 'AWS/SES', Threshold: 0.04 });
    expect(byName('hromada-test-mail-complaint-rate')).toMatchObject({ MetricName: 'Reputation.ComplaintRate', Namespace: 'AWS/SES' });
    for (const name of ['hromada-test-alertNotifier-undelivered', 'hromada-test-mail-bounce-rate']) {
      expect((byName(name)?.AlarmActions as unknown[]).length).toBeGreaterThan(0);
    }
  });
});
