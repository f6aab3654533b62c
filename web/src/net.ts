import { signal } from '@preact/signals';

/** Whether the device thinks it is online (a request can still fail; callers handle that too). */
export const online = signal(navigator.onLine);
window.addEventListener('online', () => (online.value = true));
window.addEventListener('offline', () => (online.value = false));
