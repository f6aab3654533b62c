import { alertDestination, ConfigurationError, webOrigin } from '#shared/config.ts';
import { currentDocumentClient } from '#shared/data/client.ts';
import { observed } from '#shared/observability.ts';
import { mailerFromEnvironment } from '#shared/mail/from-environment.ts';
import { AwsAlertPublisher } from '#shared/notify/aws-publisher.ts';
import { LocalAlertSink } from '#shared/notify/local-sink.ts';
import type { AlertPublisher } from '#shared/notify/alert.ts';
import { createAlertNotifier } from '#shared/streams/alert-notifier.ts';

function publisherFor({ eventBusName, localSink }: ReturnType<typeof alertDestination>): AlertPublisher {
  if (eventBusName) return new AwsAlertPublisher({ eventBusName });
  if (localSink) return new LocalAlertSink(localSink);
  throw new ConfigurationError('Set EVENT_BUS_NAME (AWS) or LOCAL_ALERT_SINK (local run).');
}

/** The publisher of the environment when an alert is sent (one per destination), not at import. */
const publishers = new Map<string, AlertPublisher>();
const currentPublisher: AlertPublisher = {
  publish: (alert) => {
    const destination = alertDestination();
    const key = `${destination.eventBusName ?? ''}\n${destination.localSink ?? ''}`;
    let publisher = publishers.get(key);
    if (!publisher) {
      publisher = publisherFor(destination);
      publishers.set(key, publisher);
    }
    return publisher.publish(alert);
  },
};

export const handler = observed('alertNotifier', createAlertNotifier({
  db: currentDocumentClient,
  publisher: currentPublisher,
  mailer: mailerFromEnvironment,
  webOrigin: () => webOrigin(),
}));
