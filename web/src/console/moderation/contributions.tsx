import { useState } from 'preact/hooks';
import type { hideReasons as hideReasonList } from '#shared/domain/consultations/contributions.ts';
import { call, type Ok } from '../../api.ts';
import { person } from '../../auth.ts';
import { formatDate, formatNumber, t } from '../../i18n.ts';
import { useLoad } from '../../load.ts';
import { LoadError, Loading, useTitle } from '../../pages/common.tsx';

type HideReason = (typeof hideReasonList)[number];
const hideReasons = ['offensive', 'unlawful', 'personal-data', 'spam', 'off-topic', 'duplicate', 'other'] as const satisfies readonly HideReason[];
type Missing = Exclude<HideReason, (typeof hideReasons)[number]>;
const allListed: Missing extends never ? true : false = true;
void allListed;

type Comment = Ok<'listConsultationComments'>['items'][number];
type Proposal = Ok<'listConsultationProposals'>['items'][number];
type Item = { kind: 'comment'; value: Comment } | { kind: 'proposal'; value: Proposal };

/** /moderation/consultations: the community's consultations, to review what residents wrote in each. */
export function ContributionsPickerPage() {
  useTitle(t('modc.title'));
  const community = person.value?.community;
  const [loaded, retry] = useLoad(`modc:${community ?? ''}`, () => call('listConsultations', { query: { limit: 100, ...(community ? { community } : {}) } }));
  return (
    <section>
      <h1>{t('modc.title')}</h1>
      <p class="muted">{t('modc.intro')}</p>
      {loaded.state === 'loading' && <Loading />}
      {loaded.state === 'done' && !loaded.result.ok && <LoadError result={loaded.result} retry={retry} />}
      {loaded.state === 'done' && loaded.result.ok && (loaded.result.data.items.length === 0 ? <p>{t('staff.consult.empty')}</p> : (
        <ul class="cards plain">
          {loaded.result.data.items.map((c) => (
            <li key={c.id} class="card">
              <h2><a href={`/moderation/consultations/${c.id}`}>{c.title}</a></h2>
              <p><span class="status">{t(`staff.consult.status.${c.status}`)}</span> {t('staff.consult.period', { from: formatDate(c.opensAt), to: formatDate(c.closesAt) })}</p>
            </li>
          ))}
        </ul>
      ))}
    </section>
  );
}

function Contribution({ consultationId, item, onChanged }: { consultationId: string; item: Item; onChanged: (item: Item, message: string) => void }) {
  const [hiding, setHiding] = useState(false);
  const [reason, setReason] = useState<HideReason>('offensive');
  const [explanation, setExplanation] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const v = item.value;
  const id = `${item.kind}-${v.id}`;

  async function moderate(body: { decision: 'publish' } | { decision: 'hide'; reasonCode: HideReason; explanation: string }) {
    setBusy(true);
    const result = item.kind === 'comment'
      ? await call('moderateConsultationComment', { params: { id: consultationId, commentId: v.id }, body })
      : await call('moderateConsultationProposal', { params: { id: consultationId, proposalId: v.id }, body });
    setBusy(false);
    if (!result.ok) return setError('offline' in result ? t('common.offlineNoCopy') : (result.problem.detail ?? result.problem.title));
    setHiding(false);
    setError('');
    const message = t(body.decision === 'hide' ? 'modc.hiddenDone' : 'modc.restoredDone');
    onChanged(item.kind === 'comment' ? { kind: 'comment', value: result.data as Comment } : { kind: 'proposal', value: result.data as Proposal }, message);
  }

  function submit(event: Event) {
    event.preventDefault();
    if (explanation.trim().length < 5) return setError(t('moderation.explanationTooShort'));
    moderate({ decision: 'hide', reasonCode: reason, explanation: explanation.trim() });
  }

  return (
    <li class={`card${v.status === 'hidden' ? ' hidden-item' : ''}`}>
      {item.kind === 'proposal' && item.value.title && <h3>{item.value.title}</h3>}
      {v.text && <p class="text">{v.text}</p>}
      {v.hidden && <p class="notice">{t('modc.hidden', { reason: t(`modc.reason.${v.hidden.reasonCode}`), explanation: v.hidden.explanation })}</p>}
      <p class="muted small-text">
        {formatDate(v.createdAt)}
        {item.kind === 'proposal' && ` · ${t('modc.support', { support: formatNumber(item.value.supportCount), oppose: formatNumber(item.value.opposeCount) })}`}
      </p>
      {v.status === 'hidden' ? (
        <button type="button" class="secondary small" disabled={busy} onClick={() => moderate({ decision: 'publish' })}>{t('modc.restore')}</button>
      ) : hiding ? (
        <form class="console-form" onSubmit={submit} noValidate>
          <label for={`${id}-reason`}>{t('modc.reason')}</label>
          <select id={`${id}-reason`} value={reason} onChange={(e) => setReason((e.target as HTMLSelectElement).value as HideReason)}>
            {hideReasons.map((r) => <option key={r} value={r}>{t(`modc.reason.${r}`)}</option>)}
          </select>
          <label for={`${id}-explanation`}>{t('modc.explanation')}</label>
          <textarea id={`${id}-explanation`} rows={3} maxLength={2000} value={explanation} aria-invalid={error ? 'true' : undefined}
            aria-describedby={error ? `${id}-error` : undefined} onInput={(e) => setExplanation((e.target as HTMLTextAreaElement).value)} />
          <div class="actions">
            <button type="submit" class="danger small" disabled={busy}>{t('modc.confirmHide')}</button>
            <button type="button" class="secondary small" onClick={() => setHiding(false)}>{t('moderation.cancel')}</button>
          </div>
        </form>
      ) : (
        <button type="button" class="secondary small" onClick={() => setHiding(true)}>{t('modc.hide')}</button>
      )}
      {error && <p id={`${id}-error`} class="field-error" role="alert">{error}</p>}
    </li>
  );
}

function ContributionList({ consultationId, kind }: { consultationId: string; kind: 'comment' | 'proposal' }) {
  const [changed, setChanged] = useState<Record<string, Item>>({});
  const [message, setMessage] = useState('');
  const [loaded, retry] = useLoad(`modc:${kind}:${consultationId}`, () =>
    kind === 'comment'
      ? call('listConsultationComments', { params: { id: consultationId }, query: { limit: 100 } })
      : call('listConsultationProposals', { params: { id: consultationId }, query: { limit: 100 } }));
  const title = t(kind === 'comment' ? 'modc.comments' : 'modc.proposals');
  let body;
  if (loaded.state === 'loading') body = <Loading />;
  else if (!loaded.result.ok) body = <LoadError result={loaded.result} retry={retry} />;
  else {
    // The public lists are cached for a few seconds: a decision just made is shown from its own answer.
    const items = (loaded.result.data.items as (Comment | Proposal)[]).map((value) => changed[value.id] ?? ({ kind, value } as Item));
    body = items.length === 0 ? <p>{t('modc.none')}</p> : (
      <ul class="cards plain">
        {items.map((item) => (
          <Contribution key={item.value.id} consultationId={consultationId} item={item}
            onChanged={(next, text) => { setChanged((c) => ({ ...c, [next.value.id]: next })); setMessage(text); }} />
        ))}
      </ul>
    );
  }
  return (
    <section aria-labelledby={`${kind}-title`}>
      <h2 id={`${kind}-title`}>{title}</h2>
      <p class="visually-hidden" role="status">{message}</p>
      {body}
    </section>
  );
}

/** /moderation/consultations/:id: a consultation's comments and proposals, each hidden with a reason or shown again. */
export function ContributionsPage({ id }: { id: string }) {
  const [loaded, retry] = useLoad(`modc-consultation:${id}`, () => call('getConsultation', { params: { id } }));
  useTitle(loaded.state === 'done' && loaded.result.ok ? loaded.result.data.title : t('modc.title'));
  if (loaded.state === 'loading') return <Loading />;
  if (!loaded.result.ok) return <LoadError result={loaded.result} retry={retry} />;
  return (
    <article>
      <p><a href="/moderation/consultations">← {t('modc.title')}</a></p>
      <h1>{loaded.result.data.title}</h1>
      <div class="console-columns">
        <ContributionList consultationId={id} kind="comment" />
        <ContributionList consultationId={id} kind="proposal" />
      </div>
    </article>
  );
}
