import { useEffect, useRef, useState } from 'preact/hooks';
import { call, type Ok } from '../../api.ts';
import { person } from '../../auth.ts';
import { formatDate, formatNumber, localeOf, t } from '../../i18n.ts';
import { useLoad } from '../../load.ts';
import { LoadError, Loading, useTitle } from '../../pages/common.tsx';
import { usePoll } from '../ui/poll.ts';

type Alert = Ok<'councilAlerts'>['items'][number];
type Awaiting = Ok<'councilAwaiting'>['items'][number];

/** How often the open inbox asks for new alerts (a 304 costs next to nothing). */
export const ALERT_POLL_MS = 4000;

const formatDateTime = (iso: string) =>
  new Intl.DateTimeFormat(localeOf(), { day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));

/** The newest alert this person has marked read, kept on this device per person. */
function useReadMark(sub: string): [string, (at: string) => void] {
  const key = `hromada.alertsRead.${sub}`;
  const [mark, setMark] = useState(() => {
    try {
      return localStorage.getItem(key) ?? '';
    } catch {
      return '';
    }
  });
  return [mark, (at: string) => {
    setMark(at);
    try {
      localStorage.setItem(key, at);
    } catch {
      // kept for this visit only
    }
  }];
}

function Alerts({ onChange }: { onChange: (alerts: Alert[]) => void }) {
  const me = person.value!;
  const polled = usePoll('councilAlerts', { limit: 50 }, ALERT_POLL_MS);
  const [readMark, setReadMark] = useReadMark(me.sub);
  const [announcement, setAnnouncement] = useState('');
  const seen = useRef<Set<string> | null>(null);
  const alerts = polled.state === 'done' ? polled.data.items : [];
  const unread = alerts.filter((a) => a.reachedAt > readMark);

  useEffect(() => {
    if (polled.state !== 'done') return;
    const keys = new Set(alerts.map((a) => a.idempotencyKey));
    if (seen.current) {
      const fresh = alerts.filter((a) => !seen.current!.has(a.idempotencyKey));
      if (fresh.length > 0) setAnnouncement(t('council.announce', { count: fresh.length, title: fresh[0]!.title }));
    }
    seen.current = keys;
    onChange(alerts);
  }, [polled.state === 'done' ? polled.data : null]);

  useEffect(() => {
    document.title = `${unread.length > 0 ? `(${formatNumber(unread.length)}) ` : ''}${t('council.title')} · ${t('app.name')}`;
  }, [unread.length]);

  return (
    <section aria-labelledby="alerts-title" class="console-section">
      <div class="section-head">
        <h2 id="alerts-title">
          {t('council.alerts')} {unread.length > 0 && <span class="badge">{t('council.unread', { count: unread.length })}</span>}
        </h2>
        {unread.length > 0 && (
          <button type="button" class="secondary small" onClick={() => setReadMark(alerts[0]!.reachedAt)}>{t('council.markRead')}</button>
        )}
      </div>
      <p class="muted small-text">{t('council.polling')}</p>
      <p class="visually-hidden" role="status" aria-live="polite">{announcement}</p>
      {polled.state === 'loading' && <Loading />}
      {polled.state === 'failed' && <p class="notice error" role="alert">{t('common.error')}</p>}
      {polled.state === 'done' && polled.error && <p class="notice error">{t('common.offline')}</p>}
      {polled.state === 'done' && alerts.length === 0 && <p>{t('council.noAlerts')}</p>}
      {alerts.length > 0 && (
        <ul class="alerts">
          {alerts.map((a) => {
            const isNew = a.reachedAt > readMark;
            return (
              <li key={a.idempotencyKey} class={isNew ? 'unread' : undefined}>
                <a href={`/council/petitions/${a.petitionId}`}>{a.title}</a>
                {isNew && <span class="tag-new"> {t('council.new')}</span>}
                <span class="muted"> {t('council.alertText', { threshold: a.threshold, date: formatDateTime(a.reachedAt) })}</span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

export function Due({ petition }: { petition: Awaiting }) {
  const due = petition.responseDue;
  if (!due) return <p class="muted">{t('council.noDeadline')}</p>;
  const left = due.daysLeft > 0 ? t('council.daysLeft', { count: due.daysLeft }) : due.daysLeft === 0 ? t('council.dueToday') : t('council.overdue', { count: -due.daysLeft });
  return (
    <p class={due.daysLeft < 0 ? 'due overdue' : due.daysLeft <= 2 ? 'due soon' : 'due'}>
      {t('council.dueOn', { date: formatDate(`${due.dueOn}T12:00:00Z`) })} · <strong>{left}</strong>
    </p>
  );
}

function AwaitingList({ version }: { version: string }) {
  const [loaded, retry] = useLoad(`awaiting:${version}`, () => call('councilAwaiting', { query: { limit: 100 } }));
  const [last, setLast] = useState<Awaiting[] | null>(null);
  useEffect(() => {
    if (loaded.state === 'done' && loaded.result.ok) setLast(loaded.result.data.items);
  }, [loaded]);
  // While a refresh loads, the previous list stays (no flicker on every new alert).
  const items = loaded.state === 'done' && loaded.result.ok ? loaded.result.data.items : last;
  return (
    <section aria-labelledby="awaiting-title" class="console-section">
      <h2 id="awaiting-title">{t('council.awaiting')}{items ? ` (${formatNumber(items.length)})` : ''}</h2>
      {!items && loaded.state === 'loading' && <Loading />}
      {loaded.state === 'done' && !loaded.result.ok && <LoadError result={loaded.result} retry={retry} />}
      {items && items.length === 0 && <p>{t('council.noneAwaiting')}</p>}
      {items && items.length > 0 && (
        <ul class="cards plain">
          {items.map((p) => {
            const reached = p.thresholds.find((th) => th.reachedAt)?.reachedAt;
            return (
              <li key={p.id} class="card">
                <h3><a href={`/council/petitions/${p.id}`}>{p.title ?? t('petition.withheldTitle')}</a></h3>
                <p class="count">{t('petitions.signatures', { count: p.signatureCount })}</p>
                {reached && <p class="muted">{t('council.reachedOn', { date: formatDate(reached) })}</p>}
                <Due petition={p} />
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/** /council: threshold alerts as they arrive, and the petitions waiting for the council's response. */
export function CouncilInboxPage() {
  useTitle(t('council.title'));
  // The awaiting list reloads whenever the set of alerts changes (a new crossing is a new petition to answer).
  const [version, setVersion] = useState('');
  return (
    <section>
      <h1>{t('council.title')}</h1>
      <div class="console-columns">
        <Alerts onChange={(alerts) => setVersion(alerts.map((a) => a.idempotencyKey).join(','))} />
        <AwaitingList version={version} />
      </div>
    </section>
  );
}
