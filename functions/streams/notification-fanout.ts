import { currentDocumentClient } from '#shared/data/client.ts';
import { observed } from '#shared/observability.ts';
import { createNotificationFanOut } from '#shared/streams/notifications.ts';

export const handler = observed('notificationFanOut', createNotificationFanOut({ db: currentDocumentClient }));
