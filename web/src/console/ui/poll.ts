import { useEffect, useRef, useState } from 'preact/hooks';
import type { RouteName } from '#shared/http/routes.ts';
import { pathOf, type Ok } from '../../api.ts';
import { token } from '../../auth.ts';
import { lang } from '../../i18n.ts';

export type Polled<N extends RouteName> =
  | { state: 'loading' }
  | { state: 'done'; data: Ok<N>; error: boolean }
  | { state: 'failed'; status: number };

/**
 * A staff list that stays fresh without a reload: GET every `intervalMs` while the page is visible
 * (and once more when it becomes visible again), with the last ETag in If-None-Match, so an
 * unchanged list costs the API a 304 without a body. A failed poll keeps what is shown and says so.
 */
export function usePoll<N extends RouteName>(name: N, query: Record<string, string | number>, intervalMs: number): Polled<N> {
  const [value, setValue] = useState<Polled<N>>({ state: 'loading' });
  const etag = useRef<string | null>(null);
  const url = `${pathOf(name)}?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}`;
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    etag.current = null;
    async function poll() {
      clearTimeout(timer);
      if (stopped) return;
      const headers: Record<string, string> = { accept: 'application/json', 'accept-language': lang.value };
      if (token.value) headers.authorization = `Bearer ${token.value}`;
      if (etag.current) headers['if-none-match'] = etag.current;
      try {
        // A conditional request set by the page: the browser hands the 304 to it (no HTTP cache in between).
        const res = await fetch(url, { headers });
        if (stopped) return;
        if (res.status === 200) {
          etag.current = res.headers.get('etag');
          const data = (await res.json()) as Ok<N>;
          if (!stopped) setValue({ state: 'done', data, error: false });
        } else if (res.status !== 304) {
          setValue((v) => (v.state === 'done' ? { ...v, error: true } : { state: 'failed', status: res.status }));
        } else {
          setValue((v) => (v.state === 'done' && v.error ? { ...v, error: false } : v));
        }
      } catch {
        if (!stopped) setValue((v) => (v.state === 'done' ? { ...v, error: true } : { state: 'failed', status: 0 }));
      }
      if (!stopped && document.visibilityState === 'visible') timer = setTimeout(poll, intervalMs);
    }
    const onVisibility = () => {
      if (document.visibilityState === 'visible') poll();
      else clearTimeout(timer);
    };
    document.addEventListener('visibilitychange', onVisibility);
    poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [url, token.value]);
  return value;
}
