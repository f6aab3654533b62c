import { documentClient } from '../../shared/data/client.ts';
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

export const handler = observed('alertNotifier', createAlertNotifier({
  db: documentClient(),
  publisher: publisherFromEnvironment(),
  mailer: mailerFromEnvironment,
  webOrigin: () => process.env.WEB_ORIGIN,
}));
