import { useState } from 'preact/hooks';
import { call, type Ok } from '../../api.ts';
import { hasMessage, localeOf, t } from '../../i18n.ts';
import { useLoad } from '../../load.ts';
import { LoadError, Loading, useTitle } from '../../pages/common.tsx';

type Entry = Ok<'councilAudit'>['items'][number];

const formatDateTime = (iso: string) =>
  new Intl.DateTimeFormat(localeOf(), { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));

/** A known action in words; an action this app does not name yet, as its code. */
const textOr = (key: string, fallback: string) => (hasMessage(key) ? t(key) : fallback);
const actionText = (action: string) => textOr(`audit.action.${action}`, action);
const roleText = (role: string) => textOr(`role.${role}`, role);

/** Where an entry's record is, when the console or the public site has a page for it. */
function targetLink(entry: Entry) {
  if (entry.target.type === 'petition') return entry.action === 'petition.answered' ? `/council/petitions/${entry.target.id}` : `/petitions/${entry.target.id}`;
  if (entry.target.type === 'consultation') return `/console/consultations/${entry.target.id}`;
  return undefined;
}

/** /council/audit: the append-only trail of staff decisions, newest first, page by page. */
export function AuditPage() {
  useTitle(t('audit.title'));
  const [pages, setPages] = useState<Entry[][]>([]);
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const [loaded, retry] = useLoad(`audit:${cursor ?? ''}`, async () => {
    const result = await call('councilAudit', { query: { limit: 50, ...(cursor ? { cursor } : {}) } });
    if (result.ok) setPages((p) => [...p, result.data.items]);
    return result;
  });
  const entries = pages.flat();
  const next = loaded.state === 'done' && loaded.result.ok ? loaded.result.data.nextCursor : null;
  return (
    <section>
      <h1>{t('audit.title')}</h1>
      <p class="muted">{t('audit.intro')}</p>
      {loaded.state === 'done' && !loaded.result.ok && <LoadError result={loaded.result} retry={retry} />}
      {loaded.state === 'done' && loaded.result.ok && entries.length === 0 && <p>{t('audit.empty')}</p>}
      {entries.length > 0 && (
        <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="audit-caption">
          <table class="data">
            <caption id="audit-caption" class="visually-hidden">{t('audit.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('audit.when')}</th>
                <th scope="col">{t('audit.action')}</th>
                <th scope="col">{t('audit.who')}</th>
                <th scope="col">{t('audit.what')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e, i) => {
                const href = targetLink(e);
                return (
                  <tr key={i}>
                    <td data-label={t('audit.when')}>{formatDateTime(e.at)}</td>
                    <td data-label={t('audit.action')}>{actionText(e.action)}</td>
                    <td data-label={t('audit.who')}>{e.actor.roles.map(roleText).join(', ')}</td>
                    <td data-label={t('audit.what')}>{href ? <a href={href}>{e.target.id.slice(0, 8)}</a> : e.target.id.slice(0, 8)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {loaded.state === 'loading' && <Loading />}
      {next && <p><button type="button" class="secondary" onClick={() => setCursor(next)}>{t('audit.more')}</button></p>}
    </section>
  );
}
