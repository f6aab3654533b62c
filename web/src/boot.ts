import { claimsOf, dateFormat, isCurrent, locales, storedLanguage, storedToken, tokenInFragment } from './device.ts';

/**
 * The boot script: inline in the page's <head> (web/build.ts; the CSP allows it by its hash), run
 * while the document is parsed, before the app, its chunks and the stylesheet have arrived. On a page whose data is known from its address
 * alone (a petition: /petitions/<id>) it starts that page's API requests and preloads the page's
 * code chunks, so on a slow phone network the answers travel while the app downloads instead of
 * after it. The app's API client (api.ts) takes each answer once, for the request it would have
 * made with the same headers on the same page; anything else it asks for itself.
 *
 * Which pages, which requests and which chunks: `__BOOT_ROUTES__`, made at build time from the
 * route table and the bundler's metafile (web/build.ts).
 */
export interface BootRoute {
  /** A regular expression for the page's path; its named groups fill the requests' `{name}`s. */
  pattern: string;
  requests: { path: string; public: boolean }[];
  /** The page's own code (hashed chunk URLs) when it is loaded on demand. */
  chunks: string[];
}

export interface PrefetchedAnswer {
  answer: Promise<Response>;
  /** The headers it went with: used only by a request with the same. */
  language: string;
  authorization: string | null;
}

/** What the boot script leaves for the app: answers by URL, for the page at `path` only. */
export interface Prefetch {
  path: string;
  answers: Record<string, PrefetchedAnswer>;
}

declare const __BOOT_ROUTES__: readonly BootRoute[];

const scope = globalThis as { __hromadaPrefetch?: Prefetch | null };

function boot(): void {
  // When it ran (the web figure's breakdown reads it): on a slow phone, well before the app.
  performance.mark('hromada:boot');
  // The app got here first (it claims the slot when it starts): it asks for itself.
  if (scope.__hromadaPrefetch !== undefined) return;
  const path = location.pathname;
  for (const route of __BOOT_ROUTES__) {
    const match = new RegExp(route.pattern, 'i').exec(path);
    if (!match) continue;
    for (const href of route.chunks) {
      const link = document.createElement('link');
      link.rel = 'modulepreload';
      link.href = href;
      document.head.append(link);
    }
    const language = storedLanguage();
    // Locally, a sign-in hands the token over in the fragment; the app keeps it on start.
    const token = tokenInFragment(location.hash) ?? storedToken();
    const signedIn = token !== null && isCurrent(claimsOf(token));
    const answers: Record<string, PrefetchedAnswer> = {};
    for (const request of route.requests) {
      // Personal requests only for someone signed in (the app asks those only then too).
      if (!request.public && !signedIn) continue;
      const url = request.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(match.groups?.[name] ?? ''));
      const authorization = request.public ? null : `Bearer ${token}`;
      const headers: Record<string, string> = { accept: 'application/json', 'accept-language': language };
      if (authorization) headers.authorization = authorization;
      const answer = fetch(url, { headers });
      // Never an unhandled rejection: a failed prefetch is simply not used (the app asks again).
      answer.catch(() => undefined);
      answers[url] = { answer, language, authorization };
    }
    scope.__hromadaPrefetch = { path, answers };
    return;
  }
}

/**
 * A phone spends long on its first Intl number or date formatter (the locale's data is set up
 * then: 30 ms on a laptop, several times that on the phone the web figure models). Done here, in
 * a task of its own once the requests are on their way, while the app is still arriving: the app's
 * own formatters (i18n.ts) are then quick.
 */
function warmIntl(): void {
  const locale = locales[storedLanguage()];
  new Intl.NumberFormat(locale).format(1);
  new Intl.DateTimeFormat(locale, dateFormat).format(0);
}

boot();
setTimeout(warmIntl, 0);
