import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { AlertPublisher, CouncilAlert } from './alert.ts';

/**
 * Publishes an alert to the city's EventBridge bus, for integrations (a document management system
 * can subscribe). The event carries the idempotency key so receivers can drop repeats. The council
 * itself is e-mailed by the alert notifier (shared/streams/alert-notifier.ts).
 */
export class AwsAlertPublisher implements AlertPublisher {
  constructor(
    private readonly config: { eventBusName: string },
    private readonly events = new EventBridgeClient({}),
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
  }
}
