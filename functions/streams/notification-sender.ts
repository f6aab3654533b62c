import { webOrigin } from '#shared/config.ts';
import { currentDocumentClient } from '#shared/data/client.ts';
import { observed } from '#shared/observability.ts';
import { mailerFromEnvironment } from '#shared/mail/from-environment.ts';
import { loadKeyRing } from '#shared/secrets/load-key-ring.ts';
import { createNotificationSender } from '#shared/streams/notifications.ts';

export const handler = observed('notificationSender', createNotificationSender({
  db: currentDocumentClient,
  mailer: mailerFromEnvironment,
  keyRing: () => loadKeyRing(),
  webOrigin: () => webOrigin(),
}));
