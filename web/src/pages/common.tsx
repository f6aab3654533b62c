import { useEffect } from 'preact/hooks';
import type { Result } from '../api.ts';
import type { RouteName } from '#shared/http/routes.ts';
import { t } from '../i18n.ts';

/** Sets the document title (what a screen reader announces and a tab shows). */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · ${t('app.name')}`;
  }, [title]);
}

export function Loading() {
  return <p class="muted" role="status">{t('common.loading')}</p>;
}

/** A failed load, in words: the server's reason (in the person's language), or no connection. */
export function LoadError<N extends RouteName>({ result, retry }: { result: Exclude<Result<N>, { ok: true }>; retry?: () => void }) {
  const text = 'offline' in result ? t('common.offlineNoCopy') : (result.problem.detail ?? result.problem.title ?? t('common.error'));
  return (
    <div class="notice error" role="alert">
      <p>{text}</p>
      {retry && <button type="button" class="secondary" onClick={retry}>{t('common.retry')}</button>}
    </div>
  );
}
