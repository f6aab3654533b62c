import { documentClient } from '../../shared/data/client.ts';
import { createNotificationFanOut } from '../../shared/streams/notifications.ts';

export const handler = createNotificationFanOut({ db: documentClient() });
