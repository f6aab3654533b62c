import { useLayoutEffect, useState } from 'preact/hooks';
import type { RouteName } from '#shared/http/routes.ts';
import type { Result } from './api.ts';

export type Loaded<N extends RouteName> = { state: 'loading' } | { state: 'done'; result: Result<N> };

/**
 * Loads once per `key`; a later answer for an older key is dropped. The request starts right after
 * the render (a layout effect, not a deferred effect): on a slow phone a frame is a long wait.
 */
export function useLoad<N extends RouteName>(key: string, load: () => Promise<Result<N>>): [Loaded<N>, () => void] {
  const [value, setValue] = useState<Loaded<N>>({ state: 'loading' });
  const [round, setRound] = useState(0);
  useLayoutEffect(() => {
    let current = true;
    setValue({ state: 'loading' });
    load().then((result) => {
      if (current) setValue({ state: 'done', result });
    });
    return () => {
      current = false;
    };
  }, [key, round]);
  return [value, () => setRound((r) => r + 1)];
}
