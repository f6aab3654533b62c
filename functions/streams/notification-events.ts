import { documentClient } from '../../shared/data/client.ts';
import { createNotificationEvents } from '../../shared/streams/notifications.ts';

export const handler = createNotificationEvents({ db: documentClient() });
