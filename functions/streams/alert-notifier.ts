import { currentDocumentClient } from '../../shared/data/client.ts';
import { observed } from '../../shared/observability.ts';
import { mailerFromEnvironment } from '../../shared/mail/from-environment.ts';
import { AwsAlertPublisher } from '../../shared/notify/aws-publisher.ts';
import { LocalAlertSink } from '../../shared/notify/local-sink.ts';
import type { AlertPublisher } from '../../shared/notify/alert.ts';
import { createAlertNotifier } from '../../shared/streams/alert-notifier.ts';

function publisherFromEnvironment(): AlertPublisher {
  const { EVENT_BUS_NAME, LOCAL_ALERT_SINK } = process.env;
  if (EVENT_BUS_NAME) return new AwsAlertPublisher({ eventBusName: EVENT_BUS_NAME });
  if (LOCAL_ALERT_SINK) return new LocalAlertSink(LOCAL_ALERT_SINK);
  throw new Error('Set EVENT_BUS_NAME (AWS) or LOCAL_ALERT_SINK (local run).');
}

/** The publisher of the environment when an alert is sent (one per destination), not at import. */
const publishers = new Map<string, AlertPublisher>();
const currentPublisher: AlertPublisher = {
  publish: (alert) => {
    const key = `${process.env.EVENT_BUS_NAME ?? ''}\n${process.env.LOCAL_ALERT_SINK ?? ''}`;
    let publisher = publishers.get(key);
    if (!publisher) {
      publisher = publisherFromEnvironment();
      publishers.set(key, publisher);
    }
    return publisher.publish(alert);
  },
};

export const handler = observed('alertNotifier', createAlertNotifier({
  db: currentDocumentClient,
  publisher: currentPublisher,
  mailer: mailerFromEnvironment,
  webOrigin: () => process.env.WEB_ORIGIN,
}));
