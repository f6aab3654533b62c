import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { alertMessage, type AlertPublisher, type CouncilAlert } from './alert.ts';

/**
 * Publishes an alert to the city's EventBridge bus (for integrations) and to the SNS topic the
 * council subscribes to by e-mail. Both carry the idempotency key so receivers can drop repeats.
 */
export class AwsAlertPublisher implements AlertPublisher {
  constructor(
    private readonly config: { eventBusName: string; topicArn: string },
    private readonly events = new EventBridgeClient({}),
    private readonly sns = new SNSClient({}),
  ) {}

  async publish(alert: CouncilAlert): Promise<void> {
    const result = await this.events.send(new PutEventsCommand({
      Entries: [{
        EventBusName: this.config.eventBusName,
        Source: 'hromada.petitions',
        DetailType: 'PetitionThresholdReached',
        Detail: JSON.stringify(alert),
      }],
    }));
    if (result.FailedEntryCount) throw new Error(`EventBridge refused the alert: ${result.Entries?.[0]?.ErrorCode ?? 'unknown'}`);
    const message = alertMessage(alert);
    await this.sns.send(new PublishCommand({
      TopicArn: this.config.topicArn,
      Subject: message.subject,
      Message: message.text,
      MessageAttributes: {
        idempotencyKey: { DataType: 'String', StringValue: alert.idempotencyKey },
        community: { DataType: 'String', StringValue: alert.community },
      },
    }));
  }
}
