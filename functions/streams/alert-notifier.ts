import { documentClient } from '../../shared/data/client.ts';
import { AwsAlertPublisher } from '../../shared/notify/aws-publisher.ts';
import { LocalAlertSink } from '../../shared/notify/local-sink.ts';
import type { AlertPublisher } from '../../shared/notify/alert.ts';
import { createAlertNotifier } from '../../shared/streams/alert-notifier.ts';

function publisherFromEnvironment(): AlertPublisher {
  const { EVENT_BUS_NAME, ALERT_TOPIC_ARN, LOCAL_ALERT_SINK } = process.env;
  if (EVENT_BUS_NAME && ALERT_TOPIC_ARN) return new AwsAlertPublisher({ eventBusName: EVENT_BUS_NAME, topicArn: ALERT_TOPIC_ARN });
  if (LOCAL_ALERT_SINK) return new LocalAlertSink(LOCAL_ALERT_SINK);
  throw new Error('Set EVENT_BUS_NAME and ALERT_TOPIC_ARN (AWS) or LOCAL_ALERT_SINK (local run).');
}

export const handler = createAlertNotifier({ db: documentClient(), publisher: publisherFromEnvironment() });
