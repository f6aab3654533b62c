import { currentDocumentClient } from '#shared/data/client.ts';
import { observed } from '#shared/observability.ts';
import { createNotificationEvents } from '#shared/streams/notifications.ts';

export const handler = observed('notificationEvents', createNotificationEvents({ db: currentDocumentClient }));
