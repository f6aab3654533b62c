import { useState } from 'preact/hooks';
import { call, type Petition } from '../../api.ts';
import { formatDate, t } from '../../i18n.ts';
import { useLoad } from '../../load.ts';
import { LoadError, Loading, useTitle } from '../../pages/common.tsx';
import { Thresholds } from '../../pages/petitions.tsx';

const decisions = ['supported', 'partially-supported', 'not-supported', 'noted'] as const;
type DecisionCode = (typeof decisions)[number];

/** Today in the browser's calendar, YYYY-MM-DD (the date input's format). */
const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

function ResponseForm({ petition, onDone }: { petition: Petition; onDone: (p: Petition) => void }) {
  const [decision, setDecision] = useState<DecisionCode | ''>('');
  const [text, setText] = useState('');
  const [date, setDate] = useState(today());
  const [error, setError] = useState<{ field: 'decision' | 'text' | 'date' | 'form'; message: string } | null>(null);
  const [sending, setSending] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    if (!decision) return setError({ field: 'decision', message: t('council.chooseDecision') });
    if (text.trim().length < 10) return setError({ field: 'text', message: t('council.textTooShort') });
    setError(null);
    setSending(true);
    // Today: the moment of recording; an earlier day: noon of that day in the browser's time zone.
    const decidedAt = date && date !== today() ? new Date(`${date}T12:00:00`).toISOString() : undefined;
    const result = await call('respondToPetition', { params: { id: petition.id }, body: { decision, text, ...(decidedAt ? { decidedAt } : {}) } });
    setSending(false);
    if (result.ok) return onDone(result.data);
    if ('offline' in result) return setError({ field: 'form', message: t('common.offlineNoCopy') });
    const message = result.problem.detail ?? result.problem.title;
    setError({ field: result.status === 422 ? 'date' : 'form', message });
  }

  const invalid = (field: string) => (error?.field === field ? 'true' : undefined);
  return (
    <form onSubmit={submit} noValidate class="console-form">
      <fieldset aria-describedby={error?.field === 'decision' ? 'decision-error' : undefined}>
        <legend>{t('council.decision')}</legend>
        {decisions.map((d) => (
          <div class="choice" key={d}>
            <input type="radio" id={`decision-${d}`} name="decision" value={d} checked={decision === d} onChange={() => setDecision(d)} />
            <label for={`decision-${d}`}>{t(`petition.decision.${d}`)}</label>
          </div>
        ))}
        {error?.field === 'decision' && <p id="decision-error" class="field-error">{error.message}</p>}
      </fieldset>
      <label for="response-text">{t('council.responseText')}</label>
      <p id="response-text-hint" class="hint">{t('council.responseHint')}</p>
      <textarea
        id="response-text" rows={10} maxLength={20_000} value={text} aria-invalid={invalid('text')}
        aria-describedby={`response-text-hint${error?.field === 'text' ? ' response-text-error' : ''}`}
        onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
      />
      {error?.field === 'text' && <p id="response-text-error" class="field-error">{error.message}</p>}
      <label for="decided-at">{t('council.decidedAt')}</label>
      <p id="decided-at-hint" class="hint">{t('council.decidedAtHint')}</p>
      <input
        id="decided-at" type="date" value={date} max={today()} aria-invalid={invalid('date')}
        aria-describedby={`decided-at-hint${error?.field === 'date' ? ' decided-at-error' : ''}`}
        onInput={(e) => setDate((e.target as HTMLInputElement).value)}
      />
      {error?.field === 'date' && <p id="decided-at-error" class="field-error">{error.message}</p>}
      <div role="status">{error?.field === 'form' && <p class="notice error">{error.message}</p>}</div>
      <p><button type="submit" class="primary" disabled={sending}>{sending ? t('council.sending') : t('council.send')}</button></p>
    </form>
  );
}

/** /council/petitions/:id — the petition as residents see it, and the council's response form. */
export function CouncilPetitionPage({ id }: { id: string }) {
  const [loaded, retry] = useLoad(`council-petition:${id}`, () => call('getPetition', { params: { id } }));
  const [answered, setAnswered] = useState<Petition | null>(null);
  useTitle(t('council.petitionTitle'));
  if (loaded.state === 'loading') return <Loading />;
  if (!loaded.result.ok) return <LoadError result={loaded.result} retry={retry} />;
  const petition = answered ?? loaded.result.data;
  const reachable = petition.thresholds.some((th) => th.reachedAt) || petition.status === 'closed';
  return (
    <article>
      <p><a href="/council">← {t('council.backToInbox')}</a></p>
      <h1>{petition.title ?? t('petition.withheldTitle')}</h1>
      <p class="status">{t(`petitions.status.${petition.status}`)}</p>
      <p class="count big">{t('petitions.signatures', { count: petition.signatureCount })}</p>
      <Thresholds petition={petition} />
      {petition.text && <div class="text">{petition.text.split(/\n{2,}/).map((para, i) => <p key={i}>{para}</p>)}</div>}
      <p><a href={`/petitions/${petition.id}`}>{t('council.publicPage')}</a></p>
      <h2>{t('council.petitionTitle')}</h2>
      {answered && <p class="notice success" role="status">{t('council.answered')}</p>}
      {petition.response ? (
        <section class="response" aria-label={t('petition.response')}>
          {!answered && <p class="muted">{t('council.alreadyAnswered')}</p>}
          <p><strong>{t(`petition.decision.${petition.response.decision}` as 'petition.decision.noted')}</strong> · {formatDate(petition.response.decidedAt)}</p>
          {petition.response.text.split(/\n{2,}/).map((para, i) => <p key={i}>{para}</p>)}
        </section>
      ) : reachable ? (
        <ResponseForm petition={petition} onDone={setAnswered} />
      ) : (
        <p class="notice">{t('council.notAnswerable')}</p>
      )}
    </article>
  );
}
