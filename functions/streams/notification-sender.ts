import { documentClient } from '../../shared/data/client.ts';
import { mailerFromEnvironment } from '../../shared/mail/from-environment.ts';
import { loadKeyRing } from '../../shared/secrets/load-key-ring.ts';
import { createNotificationSender } from '../../shared/streams/notifications.ts';

export const handler = createNotificationSender({
  db: documentClient(),
  mailer: mailerFromEnvironment,
  keyRing: () => loadKeyRing(),
  webOrigin: () => process.env.WEB_ORIGIN,
});
