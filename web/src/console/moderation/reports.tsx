import { useEffect, useRef, useState } from 'preact/hooks';
import type { hideReasons as hideReasonList, reportReasons as reportReasonList } from '#shared/domain/consultations/contributions.ts';
import { call, type Ok, type Result } from '../../api.ts';
import { formatDate, formatNumber, t } from '../../i18n.ts';
import { LoadError, Loading } from '../../pages/common.tsx';

type HideReason = (typeof hideReasonList)[number];
type ReportReason = (typeof reportReasonList)[number];
/** The API's codes (type imports: no zod in the bundle); the checks below fail the build if one is missing. */
const hideReasons = ['offensive', 'unlawful', 'personal-data', 'spam', 'off-topic', 'duplicate', 'other'] as const satisfies readonly HideReason[];
const reportReasons = ['offensive', 'spam', 'personal-data', 'off-topic', 'other'] as const satisfies readonly ReportReason[];
type Missing = Exclude<HideReason, (typeof hideReasons)[number]> | Exclude<ReportReason, (typeof reportReasons)[number]>;
const allListed: Missing extends never ? true : false = true;
void allListed;

type Item = Ok<'contributionModerationQueue'>['items'][number];
type State = 'reported' | 'hidden';
type Decision = { decision: 'publish' } | { decision: 'hide'; reasonCode: HideReason; explanation: string };

function decide(item: Item, body: Decision) {
  return item.kind === 'comment'
    ? call('moderateConsultationComment', { params: { id: item.consultationId, commentId: item.id }, body })
    : call('moderateConsultationProposal', { params: { id: item.consultationId, proposalId: item.id }, body });
}

function HideForm({ item, busy, onCancel, onHide }: { item: Item; busy: boolean; onCancel: () => void; onHide: (reasonCode: HideReason, explanation: string) => void }) {
  const [reason, setReason] = useState<HideReason>('offensive');
  const [explanation, setExplanation] = useState('');
  const [error, setError] = useState('');
  const first = useRef<HTMLSelectElement>(null);
  useEffect(() => first.current?.focus(), [item.id]);
  const id = `hide-${item.id}`;
  function submit(event: Event) {
    event.preventDefault();
    if (explanation.trim().length < 5) return setError(t('moderation.explanationTooShort'));
    setError('');
    onHide(reason, explanation.trim());
  }
  return (
    <form class="console-form" onSubmit={submit} noValidate onKeyDown={(e) => { if (e.key === 'Escape') onCancel(); }}>
      <label for={`${id}-reason`}>{t('modc.reason')}</label>
      <select id={`${id}-reason`} ref={first} value={reason} onChange={(e) => setReason((e.target as HTMLSelectElement).value as HideReason)}>
        {hideReasons.map((r) => <option key={r} value={r}>{t(`modc.reason.${r}`)}</option>)}
      </select>
      <label for={`${id}-explanation`}>{t('modc.explanation')}</label>
      <textarea id={`${id}-explanation`} rows={3} maxLength={2000} value={explanation} aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-error` : undefined} onInput={(e) => setExplanation((e.target as HTMLTextAreaElement).value)} />
      {error && <p id={`${id}-error`} class="field-error">{error}</p>}
      <div class="actions">
        <button type="submit" class="danger small" disabled={busy}>{busy ? t('moderation.working') : t('modc.confirmHide')}</button>
        <button type="button" class="secondary small" onClick={onCancel}>{t('moderation.cancel')}</button>
      </div>
    </form>
  );
}

function Card({ item, onDecided }: { item: Item; onDecided: (item: Item, decision: Decision, error?: string) => void }) {
  const [hiding, setHiding] = useState(false);
  const [busy, setBusy] = useState(false);
  const reasons = reportReasons.filter((r) => item.reasons[r] > 0).map((r) => `${t(`modr.reason.${r}`)}: ${formatNumber(item.reasons[r])}`);
  async function run(body: Decision) {
    setBusy(true);
    const result = await decide(item, body);
    setBusy(false);
    // 409: another moderator decided meanwhile; out of this list either way.
    if (result.ok || (!('offline' in result) && result.status === 409)) return onDecided(item, body);
    onDecided(item, body, 'offline' in result ? t('common.offlineNoCopy') : (result.problem.detail ?? result.problem.title));
  }
  const label = `${item.kind}-${item.id}-label`;
  return (
    <li class={`card${item.status === 'hidden' ? ' hidden-item' : ''}`} aria-labelledby={label}>
      <p class="muted small-text" id={label}>
        {t(item.kind === 'comment' ? 'modr.kind.comment' : 'modr.kind.proposal')} · <a href={`/consultations/${item.consultationId}`}>{item.consultationTitle}</a>
      </p>
      {item.title && <h4>{item.title}</h4>}
      <div class="text">{item.text.split(/\n{2,}/).map((para, i) => <p key={i}>{para}</p>)}</div>
      <p class="muted small-text">
        {formatDate(item.createdAt)}
        {item.reportCount > 0 && ` · ${t('modr.reports', { count: item.reportCount })}`}
        {reasons.length > 0 && ` (${reasons.join(', ')})`}
      </p>
      {item.hidden && <p class="notice">{t('modc.hidden', { reason: t(`modc.reason.${item.hidden.reasonCode}`), explanation: item.hidden.explanation })}</p>}
      {item.status === 'hidden' ? (
        <button type="button" class="secondary small" disabled={busy} onClick={() => run({ decision: 'publish' })}>{t('modc.restore')}</button>
      ) : hiding ? (
        <HideForm item={item} busy={busy} onCancel={() => setHiding(false)} onHide={(reasonCode, explanation) => run({ decision: 'hide', reasonCode, explanation })} />
      ) : (
        <div class="actions">
          <button type="button" class="danger small" disabled={busy} onClick={() => setHiding(true)}>{t('modr.hide')}</button>
          <button type="button" class="secondary small" disabled={busy} onClick={() => run({ decision: 'publish' })}>{t('modr.keep')}</button>
        </div>
      )}
    </li>
  );
}

/**
 * On /moderation, next to the petition queue: comments and proposals residents reported (oldest
 * report first), to hide with a reason or keep; and the hidden ones, to show again. Moderators
 * read the full text of both.
 */
export function ReportedContributions() {
  const [lists, setLists] = useState<Record<State, Item[] | null>>({ reported: null, hidden: null });
  const [failures, setFailures] = useState<Partial<Record<State, Exclude<Result<'contributionModerationQueue'>, { ok: true }>>>>({});
  const [next, setNext] = useState<Record<State, string | null>>({ reported: null, hidden: null });
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  async function load(state: State, cursor?: string) {
    const result = await call('contributionModerationQueue', { query: { state, limit: 50, ...(cursor ? { cursor } : {}) }, fresh: true });
    if (!result.ok) return setFailures((f) => ({ ...f, [state]: result }));
    setFailures((f) => ({ ...f, [state]: undefined }));
    setLists((l) => ({ ...l, [state]: [...(cursor ? l[state] ?? [] : []), ...result.data.items] }));
    setNext((n) => ({ ...n, [state]: result.data.nextCursor }));
  }
  useEffect(() => {
    load('reported');
    load('hidden');
  }, []);

  function onDecided(item: Item, decision: Decision, error?: string) {
    if (error) return setMessage({ kind: 'error', text: error });
    setLists((l) => {
      const reported = (l.reported ?? []).filter((i) => i.id !== item.id);
      let hidden = (l.hidden ?? []).filter((i) => i.id !== item.id);
      if (decision.decision === 'hide') {
        const hiding = { reasonCode: decision.reasonCode, explanation: decision.explanation, hiddenAt: new Date().toISOString() };
        hidden = [{ ...item, status: 'hidden', hidden: hiding, awaitingReviewSince: null }, ...hidden];
      }
      return { reported, hidden };
    });
    const text = decision.decision === 'hide' ? 'modc.hiddenDone' : item.status === 'hidden' ? 'modc.restoredDone' : 'modr.keptDone';
    setMessage({ kind: 'success', text: t(text) });
    // The decided card is gone: the keyboard continues from the section's heading.
    heading.current?.focus();
  }

  const list = (state: State) => {
    const items = lists[state];
    const failure = failures[state];
    if (failure) return <LoadError result={failure} retry={() => load(state)} />;
    if (!items) return <Loading />;
    if (items.length === 0) return <p>{t(state === 'reported' ? 'modr.noneReported' : 'modr.noneHidden')}</p>;
    const more = next[state];
    return (
      <>
        <ul class="cards plain">{items.map((item) => <Card key={item.id} item={item} onDecided={onDecided} />)}</ul>
        {more && <button type="button" class="secondary" onClick={() => load(state, more)}>{t('moderation.more')}</button>}
      </>
    );
  };

  // data-no-shortcuts: the petition queue's single-key shortcuts do not act from here.
  return (
    <section aria-labelledby="reports-title" class="reported-contributions" data-no-shortcuts>
      <h2 id="reports-title" ref={heading} tabIndex={-1}>{t('modr.title')}</h2>
      <p class="muted">{t('modr.intro')}</p>
      <div role="status" aria-live="polite">{message && <p class={`notice ${message.kind}`}>{message.text}</p>}</div>
      <div class="console-columns">
        <section aria-labelledby="reported-title">
          <h3 id="reported-title">{t('modr.reported')}{lists.reported && <span class="muted"> ({formatNumber(lists.reported.length)})</span>}</h3>
          {list('reported')}
        </section>
        <section aria-labelledby="hidden-title">
          <h3 id="hidden-title">{t('modr.hidden')}</h3>
          {list('hidden')}
        </section>
      </div>
    </section>
  );
}
