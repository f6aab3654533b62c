/// <reference lib="webworker" />
/**
 * The service worker: the app shell (index.html, the hashed JS and CSS, manifest, icon) is cached
 * on install; the chunks of pages opened on demand once loaded, and public API answers read
 * recently (petitions, consultations, budgets) are kept too, so pages read before open offline. Writes are never cached or queued: offline, the app says they need a
 * connection.
 */
declare const __SHELL__: string[];
declare const __VERSION__: string;
const sw = self as unknown as ServiceWorkerGlobalScope;

const SHELL = `shell-${__VERSION__}`;
const PAGES = 'pages-v1';
/** Chunks of pages opened on demand (consultations, budgets, search): hashed names, kept once fetched. */
const CHUNKS = 'chunks-v1';
const MAX_PAGES = 60;

sw.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(__SHELL__)).then(() => sw.skipWaiting()));
});

sw.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key.startsWith('shell-') && key !== SHELL) await caches.delete(key);
    await sw.clients.claim();
  })());
});

/** Public reads worth keeping: the lists and pages a resident reads. */
const readable = /^\/v1\/(petitions|budgets|consultations)(\/|$|\?)/;

async function trim(cache: Cache) {
  const keys = await cache.keys();
  for (const key of keys.slice(0, Math.max(0, keys.length - MAX_PAGES))) await cache.delete(key);
}

async function networkFirst(request: Request): Promise<Response> {
  const cache = await caches.open(PAGES);
  try {
    const response = await fetch(request);
    if (response.ok) {
      await cache.put(request, response.clone());
      await trim(cache);
    }
    return response;
  } catch (error) {
    const cached = await cache.match(request);
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirst(request: Request): Promise<Response> {
  const cache = await caches.open(CHUNKS);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) {
    await cache.put(request, response.clone());
    await trim(cache);
  }
  return response;
}

sw.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin) return;
  if (request.mode === 'navigate') {
    if (/^\/(v1|dev)\//.test(url.pathname)) return;
    // Always the newest app when online; the cached shell offline.
    event.respondWith(fetch(request).catch(async () => (await caches.match('/', { cacheName: SHELL })) ?? Response.error()));
    return;
  }
  if (__SHELL__.includes(url.pathname)) {
    event.respondWith(caches.match(request, { cacheName: SHELL }).then((hit) => hit ?? fetch(request)));
    return;
  }
  // A hashed asset never changes: once a page's chunk was loaded, that page opens offline too.
  if (url.pathname.startsWith('/assets/')) {
    event.respondWith(cacheFirst(request));
    return;
  }
  // Only anonymous reads: a signed-in answer (with a token) is personal and not kept.
  if (readable.test(url.pathname) && !request.headers.has('authorization')) event.respondWith(networkFirst(request));
});
