import { useEffect, useRef, useState } from 'preact/hooks';
import type { rejectionReasons as reasonCodes } from '#shared/schemas/petitions.ts';
import { call, type Petition } from '../../api.ts';
import { formatDate, formatNumber, t } from '../../i18n.ts';
import { LoadError, Loading, useTitle } from '../../pages/common.tsx';
import type { Result } from '../../api.ts';
import { ReportedContributions } from './reports.tsx';

type Reason = (typeof reasonCodes)[number];
/** The API's reason codes (a type import: no zod in the bundle); the check below fails the build if one is missing. */
const rejectionReasons = ['unclear', 'duplicate', 'not-in-competence', 'personal-data', 'offensive', 'unlawful', 'other'] as const satisfies readonly Reason[];
type Missing = Exclude<Reason, (typeof rejectionReasons)[number]>;
const allReasonsListed: Missing extends never ? true : false = true;
void allReasonsListed;

/** Keys typed into a field, a list or a button's menu are the person's, never a shortcut. */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

const daysWaiting = (iso: string) => Math.max(0, Math.floor((Date.now() - Date.parse(iso)) / 86_400_000));

function RejectForm({ petition, onCancel, onReject, busy }: {
  petition: Petition;
  onCancel: () => void;
  onReject: (reason: Reason, explanation: string) => void;
  busy: boolean;
}) {
  const [reason, setReason] = useState<Reason>('unclear');
  const [explanation, setExplanation] = useState('');
  const [error, setError] = useState('');
  const first = useRef<HTMLSelectElement>(null);
  useEffect(() => first.current?.focus(), [petition.id]);
  function submit(event: Event) {
    event.preventDefault();
    if (explanation.trim().length < 5) return setError(t('moderation.explanationTooShort'));
    setError('');
    onReject(reason, explanation.trim());
  }
  return (
    <form class="console-form reject-form" onSubmit={submit} noValidate onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      <label for="reject-reason">{t('moderation.reason')}</label>
      <select id="reject-reason" ref={first} value={reason} onChange={(e) => setReason((e.target as HTMLSelectElement).value as Reason)}>
        {rejectionReasons.map((r) => <option key={r} value={r}>{t(`moderation.reason.${r}`)}</option>)}
      </select>
      <label for="reject-explanation">{t('moderation.explanation')}</label>
      <p id="reject-explanation-hint" class="hint">{t('moderation.explanationHint')}</p>
      <textarea
        id="reject-explanation" rows={4} maxLength={2000} value={explanation} aria-invalid={error ? 'true' : undefined}
        aria-describedby={`reject-explanation-hint${error ? ' reject-explanation-error' : ''}`}
        onInput={(e) => setExplanation((e.target as HTMLTextAreaElement).value)}
      />
      {error && <p id="reject-explanation-error" class="field-error">{error}</p>}
      <div class="actions">
        <button type="submit" class="danger" disabled={busy}>{busy ? t('moderation.working') : t('moderation.confirmReject')}</button>
        <button type="button" class="secondary" onClick={onCancel}>{t('moderation.cancel')}</button>
      </div>
    </form>
  );
}

/**
 * /moderation: the petition queue, oldest first, one petition previewed at a time; publish, or
 * reject with a coded reason and an explanation. Keys for a long queue: j/k or the arrows move,
 * p publishes, r opens the rejection form; never while typing in a field.
 */
export function ModerationPage() {
  useTitle(t('moderation.title'));
  const [items, setItems] = useState<Petition[] | null>(null);
  const [failure, setFailure] = useState<Exclude<Result<'moderationQueue'>, { ok: true }> | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [selected, setSelected] = useState(0);
  const [rejecting, setRejecting] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const list = useRef<HTMLOListElement>(null);

  async function load(cursor?: string) {
    const result = await call('moderationQueue', { query: { limit: 50, ...(cursor ? { cursor } : {}) } });
    if (!result.ok) return setFailure(result);
    setFailure(null);
    setItems((old) => [...(cursor ? old ?? [] : []), ...result.data.items]);
    setNext(result.data.nextCursor);
  }
  useEffect(() => {
    load();
  }, []);

  const current = items?.[selected];

  // Keys can come faster than renders: the handler reads the selection from here, updated at once.
  const selectedNow = useRef(0);
  selectedNow.current = selected;
  function select(index: number, focus = true) {
    if (!items || items.length === 0) return;
    const i = Math.max(0, Math.min(items.length - 1, index));
    selectedNow.current = i;
    setSelected(i);
    setRejecting(false);
    if (focus) list.current?.querySelectorAll<HTMLButtonElement>('button.queue-item')[i]?.focus();
  }

  async function decide(petition: Petition, body: { decision: 'publish' } | { decision: 'reject'; reasonCode: Reason; explanation: string }) {
    setBusy(true);
    const result = await call('moderatePetition', { params: { id: petition.id }, body });
    setBusy(false);
    const title = petition.title ?? '';
    if (!result.ok && !('offline' in result) && result.status !== 409) {
      setMessage({ kind: 'error', text: result.problem.detail ?? result.problem.title });
      return;
    }
    if (!result.ok && 'offline' in result) {
      setMessage({ kind: 'error', text: t('common.offlineNoCopy') });
      return;
    }
    // Decided (or already decided by another moderator: 409): out of the queue either way.
    setMessage(result.ok
      ? { kind: 'success', text: t(body.decision === 'publish' ? 'moderation.published' : 'moderation.rejected', { title }) }
      : { kind: 'error', text: result.problem.detail ?? result.problem.title });
    setRejecting(false);
    const rest = (items ?? []).filter((p) => p.id !== petition.id);
    setItems(rest);
    setSelected(Math.min(selected, Math.max(0, rest.length - 1)));
    refocus.current = true;
  }

  // After a decision, the keyboard stays in the queue: on the petition that took the decided one's place.
  const refocus = useRef(false);
  useEffect(() => {
    if (!refocus.current) return;
    refocus.current = false;
    list.current?.querySelectorAll<HTMLButtonElement>('button.queue-item')[selected]?.focus();
  }, [items, selected]);

  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      if ((event.target as HTMLElement | null)?.closest?.('[data-no-shortcuts]')) return;
      if (!items || items.length === 0 || busy) return;
      switch (event.key) {
        case 'j': case 'ArrowDown': select(selectedNow.current + 1); break;
        case 'k': case 'ArrowUp': select(selectedNow.current - 1); break;
        case 'p': { const chosen = items[selectedNow.current]; if (chosen) decide(chosen, { decision: 'publish' }); break; }
        case 'r': setRejecting(true); break;
        default: return;
      }
      event.preventDefault();
    }
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [items, selected, busy, current?.id]);

  return (
    <>
      <section>
        <h1>{t('moderation.title')}</h1>
        <p class="muted">{t('moderation.intro')}</p>
        <details class="shortcuts">
          <summary>{t('moderation.shortcuts')}</summary>
          <dl>
            <dt><kbd>j</kbd> / <kbd>↓</kbd></dt><dd>{t('moderation.shortcut.next')}</dd>
            <dt><kbd>k</kbd> / <kbd>↑</kbd></dt><dd>{t('moderation.shortcut.previous')}</dd>
            <dt><kbd>p</kbd></dt><dd>{t('moderation.shortcut.publish')}</dd>
            <dt><kbd>r</kbd></dt><dd>{t('moderation.shortcut.reject')}</dd>
          </dl>
          <p class="muted">{t('moderation.shortcutsNote')}</p>
        </details>
        <div role="status" aria-live="polite">{message && <p class={`notice ${message.kind}`}>{message.text}</p>}</div>
        {failure && <LoadError result={failure} retry={() => load()} />}
        {!items && !failure && <Loading />}
        {items && items.length === 0 && <p>{t('moderation.empty')}</p>}
        {items && items.length > 0 && (
          <div class="console-columns moderation">
            <section aria-labelledby="queue-title">
              <h2 id="queue-title">{t('moderation.queue')} <span class="muted">({t('moderation.count', { count: items.length })})</span></h2>
              <ol class="queue" ref={list}>
                {items.map((p, i) => (
                  <li key={p.id}>
                    <button type="button" class="queue-item" aria-current={i === selected ? 'true' : undefined} onClick={() => select(i, false)}>
                      <span class="queue-title">{p.title}</span>
                      <span class="muted">{t('moderation.submitted', { date: formatDate(p.createdAt) })} · {t('moderation.waiting', { count: daysWaiting(p.createdAt) })}</span>
                    </button>
                  </li>
                ))}
              </ol>
              {next && <button type="button" class="secondary" onClick={() => load(next)}>{t('moderation.more')}</button>}
            </section>
            {current && (
              <section aria-labelledby="preview-title" class="preview">
                <h2 id="preview-title">{t('moderation.preview')} <span class="muted">{formatNumber(selected + 1)} / {formatNumber(items.length)}</span></h2>
                <article class="card">
                  <h3>{current.title}</h3>
                  {current.tags.length > 0 && <p class="muted">{t('moderation.tags', { tags: current.tags.join(', ') })}</p>}
                  <div class="text">{(current.text ?? '').split(/\n{2,}/).map((para, i) => <p key={i}>{para}</p>)}</div>
                </article>
                {rejecting ? (
                  <RejectForm
                    petition={current} busy={busy} onCancel={() => setRejecting(false)}
                    onReject={(reasonCode, explanation) => decide(current, { decision: 'reject', reasonCode, explanation })}
                  />
                ) : (
                  <div class="actions">
                    <button type="button" class="primary-inline" disabled={busy} onClick={() => decide(current, { decision: 'publish' })}>
                      {busy ? t('moderation.working') : t('moderation.publish')} <kbd aria-hidden="true">p</kbd>
                    </button>
                    <button type="button" class="secondary" disabled={busy} onClick={() => setRejecting(true)}>
                      {t('moderation.reject')} <kbd aria-hidden="true">r</kbd>
                    </button>
                  </div>
                )}
              </section>
            )}
          </div>
        )}
      </section>
      <ReportedContributions />
    </>
  );
}
