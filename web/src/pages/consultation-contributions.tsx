import { useEffect, useRef, useState } from 'preact/hooks';
import type { reportReasons as reportReasonList } from '#shared/domain/consultations/contributions.ts';
import { call, type Ok } from '../api.ts';
import { person } from '../auth.ts';
import { formatDate, formatNumber, t } from '../i18n.ts';
import { useLoad } from '../load.ts';
import { LoadError, Loading } from './common.tsx';

type ReportReason = (typeof reportReasonList)[number];
/** The API's report reasons (a type import: no zod in the bundle); the check below fails the build if one is missing. */
const reportReasons = ['offensive', 'spam', 'personal-data', 'off-topic', 'other'] as const satisfies readonly ReportReason[];
type Missing = Exclude<ReportReason, (typeof reportReasons)[number]>;
const allListed: Missing extends never ? true : false = true;
void allListed;

type Comment = Ok<'listConsultationComments'>['items'][number];
type Proposal = Ok<'listConsultationProposals'>['items'][number];
type Kind = 'comment' | 'proposal';

/** "Report": an inline form (reason, optional note) for a signed-in resident; then a thank-you, and the button says it was reported. */
function ReportControl({ consultationId, kind, itemId }: { consultationId: string; kind: Kind; itemId: string }) {
  const [state, setState] = useState<'closed' | 'open' | 'sending' | 'done'>('closed');
  const [reason, setReason] = useState<ReportReason | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState('');
  const firstRadio = useRef<HTMLInputElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const id = `report-${kind}-${itemId}`;
  useEffect(() => { if (state === 'open') firstRadio.current?.focus(); }, [state === 'open']);

  function cancel() {
    setState('closed');
    setError('');
    toggle.current?.focus();
  }

  async function submit(event: Event) {
    event.preventDefault();
    if (!reason) return setError(t('consult.reportChoose'));
    if (!navigator.onLine) return setError(t('consult.reportNeedsConnection'));
    setState('sending');
    const body = { reason, ...(note.trim() ? { note: note.trim() } : {}) };
    const result = kind === 'comment'
      ? await call('reportConsultationComment', { params: { id: consultationId, commentId: itemId }, body, retries: 2 })
      : await call('reportConsultationProposal', { params: { id: consultationId, proposalId: itemId }, body, retries: 2 });
    if (result.ok) {
      setError('');
      setState('done');
      return;
    }
    setState('open');
    setError('offline' in result ? t('consult.reportNeedsConnection') : (result.problem.detail ?? result.problem.title));
  }

  return (
    <div class="report">
      {state === 'done' ? (
        <button type="button" class="secondary small" disabled>{t('consult.reported')}</button>
      ) : (
        <button type="button" class="secondary small" ref={toggle} aria-expanded={state !== 'closed' ? 'true' : 'false'} aria-controls={`${id}-form`}
          onClick={() => (state === 'closed' ? setState('open') : cancel())}>{t('consult.report')}</button>
      )}
      <div role="status">{state === 'done' && <p class="notice success">{t('consult.reportThanks')}</p>}</div>
      {(state === 'open' || state === 'sending') && (
        <form id={`${id}-form`} class="report-form" onSubmit={submit} noValidate onKeyDown={(e) => { if (e.key === 'Escape') cancel(); }}>
          <fieldset aria-describedby={error ? `${id}-error` : undefined}>
            <legend>{t('consult.reportLegend')}</legend>
            {reportReasons.map((r, i) => (
              <div class="choice" key={r}>
                <input type="radio" id={`${id}-${r}`} name={`${id}-reason`} value={r} checked={reason === r} ref={i === 0 ? firstRadio : undefined}
                  onChange={() => { setReason(r); setError(''); }} />
                <label for={`${id}-${r}`}>{t(`consult.reportReason.${r}`)}</label>
              </div>
            ))}
          </fieldset>
          <label for={`${id}-note`}>{t('consult.reportNote')}</label>
          <textarea id={`${id}-note`} rows={2} maxLength={500} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          {error && <p id={`${id}-error`} class="field-error" role="alert">{error}</p>}
          <div class="actions">
            <button type="submit" class="primary-inline" disabled={state === 'sending'}>{state === 'sending' ? t('consult.sending') : t('consult.reportSend')}</button>
            <button type="button" class="secondary" onClick={cancel}>{t('consult.reportCancel')}</button>
          </div>
        </form>
      )}
    </div>
  );
}

function Item({ consultationId, kind, value, canReport }: { consultationId: string; kind: Kind; value: Comment | Proposal; canReport: boolean }) {
  const proposal = kind === 'proposal' ? (value as Proposal) : null;
  return (
    <li class="card contribution">
      {value.status === 'hidden' ? (
        <p class="muted">{t('consult.hiddenByModerator', { explanation: value.hidden?.explanation ?? '' })}</p>
      ) : (
        <>
          {proposal?.title && <h3>{proposal.title}</h3>}
          <div class="text">{(value.text ?? '').split(/\n{2,}/).map((para, i) => <p key={i}>{para}</p>)}</div>
        </>
      )}
      <p class="muted small-text">
        {formatDate(value.createdAt)}
        {proposal && value.status === 'published' && ` · ${t('consult.support', { support: formatNumber(proposal.supportCount), oppose: formatNumber(proposal.opposeCount) })}`}
      </p>
      {canReport && value.status === 'published' && <ReportControl consultationId={consultationId} kind={kind} itemId={value.id} />}
    </li>
  );
}

function ContributionList({ consultationId, kind }: { consultationId: string; kind: Kind }) {
  const me = person.value;
  const [loaded, retry] = useLoad(`consultation-${kind}s:${consultationId}`, () =>
    kind === 'comment'
      ? call('listConsultationComments', { params: { id: consultationId }, query: { limit: 50 } })
      : call('listConsultationProposals', { params: { id: consultationId }, query: { limit: 50 } }));
  const titleId = `${kind}s-title`;
  let body;
  if (loaded.state === 'loading') body = <Loading />;
  else if (!loaded.result.ok) body = <LoadError result={loaded.result} retry={retry} />;
  else {
    const items = loaded.result.data.items as (Comment | Proposal)[];
    body = items.length === 0 ? <p class="muted">{t('consult.noContributions')}</p> : (
      <ul class="cards plain">
        {items.map((value) => <Item key={value.id} consultationId={consultationId} kind={kind} value={value} canReport={!!me && me.roles.includes('citizen')} />)}
      </ul>
    );
  }
  return (
    <section aria-labelledby={titleId}>
      <h2 id={titleId}>{t(kind === 'comment' ? 'consult.comments' : 'consult.proposals')}</h2>
      {body}
    </section>
  );
}

/** What residents wrote: comments and proposals, each reportable to the moderators; a hidden one shows only the moderator's reason. */
export function Contributions({ consultationId }: { consultationId: string }) {
  return (
    <>
      <ContributionList consultationId={consultationId} kind="comment" />
      <ContributionList consultationId={consultationId} kind="proposal" />
    </>
  );
}
