import { useRef, useState } from 'preact/hooks';
import { checkAnswers } from '#shared/domain/consultations/answers.ts';
import { call, type Ok, type Result } from '../api.ts';
import { person, signInHref } from '../auth.ts';
import { formatDate, t } from '../i18n.ts';
import { useLoad } from '../load.ts';
import { BarChart } from '../ui/bar-chart.tsx';
import { AskResult, FollowButton, rememberFollow } from '../ui/notify.tsx';
import type { MessageKey } from '../messages/uk.ts';
import { LoadError, Loading, useTitle } from './common.tsx';
import { Contributions } from './consultation-contributions.tsx';

type Consultation = Ok<'getConsultation'>;
type Question = Consultation['questions'][number];
type OwnResponse = Ok<'getOwnResponse'>;
type Results = Ok<'consultationResults'>;

/** One question's answer as the form holds it; a ranked question holds the whole order shown. */
interface Draft {
  optionIds: string[];
  text: string;
  /** Ranked: the person moved something (an optional ranking left alone is not sent). */
  touched: boolean;
}

function initialDrafts(questions: Question[], existing: OwnResponse | null): Record<string, Draft> {
  const out: Record<string, Draft> = {};
  for (const q of questions) {
    const answer = existing?.answers.find((a) => a.questionId === q.id);
    if (q.type === 'ranked') {
      const ranked = (answer?.optionIds ?? []).filter((id) => q.options.some((o) => o.id === id));
      out[q.id] = { optionIds: [...ranked, ...q.options.map((o) => o.id).filter((id) => !ranked.includes(id))], text: '', touched: ranked.length > 0 };
    } else out[q.id] = { optionIds: answer?.optionIds ?? [], text: answer?.text ?? '', touched: false };
  }
  return out;
}

/** The answers as the API takes them: unanswered optional questions left out; a ranking cut at its maximum. */
type SentAnswer = { questionId: string; optionIds?: string[]; text?: string };
function answersOf(questions: Question[], drafts: Record<string, Draft>): SentAnswer[] {
  const answers: SentAnswer[] = [];
  for (const q of questions) {
    const d = drafts[q.id]!;
    if (q.type === 'open') {
      if (d.text.trim()) answers.push({ questionId: q.id, text: d.text.trim() });
    } else if (q.type === 'ranked') {
      if (q.required || d.touched) answers.push({ questionId: q.id, optionIds: d.optionIds.slice(0, q.maxChoices ?? d.optionIds.length) });
    } else if (d.optionIds.length > 0) answers.push({ questionId: q.id, optionIds: d.optionIds });
  }
  return answers;
}

const labelOf = (q: Question, id: string) => q.options.find((o) => o.id === id)?.text ?? id;

function RankedQuestion({ q, draft, onChange }: { q: Question; draft: Draft; onChange: (order: string[]) => void }) {
  const [announce, setAnnounce] = useState('');
  const dragged = useRef<number | null>(null);
  const counted = q.maxChoices ?? q.options.length;
  function move(from: number, to: number) {
    if (to < 0 || to >= draft.optionIds.length || from === to) return;
    const order = [...draft.optionIds];
    const [id] = order.splice(from, 1);
    order.splice(to, 0, id!);
    onChange(order);
    setAnnounce(t('consult.moved', { option: labelOf(q, id!), place: to + 1 }));
  }
  return (
    <>
      <p class="hint" id={`q-${q.id}-hint`}>{t('consult.rankHint')} {counted < q.options.length ? t('consult.rankTop', { count: counted }) : ''}</p>
      <ol class="ranking" aria-describedby={`q-${q.id}-hint`}>
        {draft.optionIds.map((id, i) => {
          const option = labelOf(q, id);
          return (
            <li key={id} class={i >= counted ? 'unranked' : undefined} draggable
              onDragStart={(e) => { dragged.current = i; e.dataTransfer?.setData('text/plain', id); }}
              onDragOver={(e) => e.preventDefault()}
              onDrop={(e) => { e.preventDefault(); if (dragged.current !== null) move(dragged.current, i); dragged.current = null; }}>
              <span class="place" aria-hidden="true">{i + 1}</span>
              <span class="option">{option}</span>
              <span class="moves">
                <button type="button" class="secondary" aria-label={t('consult.upLabel', { option })} aria-disabled={i === 0 ? 'true' : undefined}
                  onClick={() => move(i, i - 1)}>{t('consult.up')}</button>
                <button type="button" class="secondary" aria-label={t('consult.downLabel', { option })} aria-disabled={i === draft.optionIds.length - 1 ? 'true' : undefined}
                  onClick={() => move(i, i + 1)}>{t('consult.down')}</button>
              </span>
            </li>
          );
        })}
      </ol>
      <p class="visually-hidden" role="status">{announce}</p>
    </>
  );
}

function QuestionField({ q, draft, onChange }: { q: Question; draft: Draft; onChange: (d: Draft) => void }) {
  const legend = <legend>{q.text} {!q.required && <span class="muted">{t('consult.optional')}</span>}</legend>;
  if (q.type === 'open') {
    return (
      <fieldset>
        {legend}
        <label for={`q-${q.id}`}>{t('consult.openLabel')}</label>
        <textarea id={`q-${q.id}`} rows={4} maxLength={2000} value={draft.text} onInput={(e) => onChange({ ...draft, text: e.currentTarget.value })} />
      </fieldset>
    );
  }
  if (q.type === 'ranked') {
    return <fieldset>{legend}<RankedQuestion q={q} draft={draft} onChange={(optionIds) => onChange({ ...draft, optionIds, touched: true })} /></fieldset>;
  }
  const single = q.type === 'single';
  const max = q.maxChoices ?? q.options.length;
  return (
    <fieldset>
      {legend}
      {!single && <p class="hint">{t('consult.chooseUpTo', { count: max })}</p>}
      {q.options.map((o) => (
        <div class="choice" key={o.id}>
          <input type={single ? 'radio' : 'checkbox'} id={`q-${q.id}-${o.id}`} name={`q-${q.id}`} value={o.id} checked={draft.optionIds.includes(o.id)}
            onChange={(e) => {
              const on = e.currentTarget.checked;
              onChange({ ...draft, optionIds: single ? (on ? [o.id] : []) : on ? [...draft.optionIds, o.id] : draft.optionIds.filter((x) => x !== o.id) });
            }} />
          <label for={`q-${q.id}-${o.id}`}>{o.text}</label>
        </div>
      ))}
      {!single && <p class="muted" role="status">{t('school.chosen', { count: draft.optionIds.length })}</p>}
    </fieldset>
  );
}

type Outcome = { kind: 'none' } | { kind: 'sending' } | { kind: 'saved'; at: string } | { kind: 'error'; message: string };

function AnswerForm({ consultation, existing, onSaved }: { consultation: Consultation; existing: OwnResponse | null; onSaved: (r: OwnResponse) => void }) {
  const [drafts, setDrafts] = useState(() => initialDrafts(consultation.questions, existing));
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'none' });
  const [notify, setNotify] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    const answers = answersOf(consultation.questions, drafts);
    const broken = checkAnswers(consultation.questions, answers);
    if (broken) {
      const question = consultation.questions.find((q) => q.id === broken.questionId)?.text ?? '';
      const key = `consult.error.${broken.code}` as MessageKey;
      const known = ['answer-required', 'too-many-choices', 'no-choice'].includes(broken.code);
      return setOutcome({ kind: 'error', message: known ? t(key, { question }) : t('common.error') });
    }
    if (!navigator.onLine) return setOutcome({ kind: 'error', message: t('consult.needsConnection') });
    setOutcome({ kind: 'sending' });
    // PUT: the same answers again is the same response, so a resend after a lost answer is safe.
    const result = await call('respondToConsultation', { params: { id: consultation.id }, body: { answers, ...(notify ? { notify: true } : {}) }, retries: 3 });
    if (result.ok) {
      if (notify) rememberFollow('consultation', consultation.id);
      onSaved(result.data);
      setOutcome({ kind: 'saved', at: result.data.updatedAt });
    } else if ('offline' in result) setOutcome({ kind: 'error', message: t('consult.needsConnection') });
    else setOutcome({ kind: 'error', message: result.problem.detail ?? result.problem.title });
  }

  return (
    <form onSubmit={submit} noValidate>
      {consultation.questions.map((q) => (
        <QuestionField key={q.id} q={q} draft={drafts[q.id]!} onChange={(d) => { setDrafts({ ...drafts, [q.id]: d }); if (outcome.kind !== 'sending') setOutcome({ kind: 'none' }); }} />
      ))}
      <div role="status">
        {outcome.kind === 'saved' && <p class="notice success">{t('consult.saved', { date: formatDate(consultation.closesAt) })}</p>}
      </div>
      <AskResult checked={notify} onChange={setNotify} />
      {outcome.kind === 'error' && <p class="notice error" role="alert">{outcome.message}</p>}
      <button type="submit" class="primary" disabled={outcome.kind === 'sending'}>
        {outcome.kind === 'sending' ? t('consult.sending') : existing ? t('consult.change') : t('consult.send')}
      </button>
    </form>
  );
}

function ResultsSection({ results }: { results: Result<'consultationResults'> }) {
  if (!results.ok) {
    if (results.status === 403) return <p>{t('consult.resultsLater')}</p>;
    return <LoadError result={results} />;
  }
  const r: Results = results.data;
  return (
    <>
      <p>{t('consult.participants', { count: r.participants })}{r.final ? '' : ` · ${t('consult.preliminary')}`}</p>
      {r.questions.map((q) => {
        if (q.type === 'open') return <p key={q.id}><strong>{q.text}</strong>: {t('consult.openAnswers', { count: q.answered })}</p>;
        if (q.type === 'ranked' && q.ranking) {
          const text = (id: string) => q.options?.find((o) => o.id === id)?.text ?? id;
          return (
            <div key={q.id}>
              <BarChart caption={q.text} labelHeader={t('consult.option')} valueHeader={t('consult.points')}
                rows={q.ranking.order.map((o) => ({ label: `${o.position}. ${text(o.optionId)}`, value: o.points }))} />
              <p class="hint">{t('consult.bordaNote')}</p>
            </div>
          );
        }
        return (
          <BarChart key={q.id} caption={q.text} labelHeader={t('consult.option')} valueHeader={t('consult.votes')}
            rows={(q.options ?? []).map((o) => ({ label: o.text, value: o.count }))} />
        );
      })}
    </>
  );
}

const notSignedIn = Promise.resolve({ ok: false, status: 401, problem: { type: '', code: 'unauthorized', title: '', status: 401 } } as const);

export function ConsultationPage({ id }: { id: string }) {
  const me = person.value;
  const [loaded, retry] = useLoad(`consultation:${id}`, () => call('getConsultation', { params: { id } }));
  const [own] = useLoad(`consultation-response:${id}:${me?.sub ?? ''}`, () => (me ? call('getOwnResponse', { params: { id } }) : notSignedIn));
  // After one's own answer, the results are asked of the server again (not a copy cached for a few seconds).
  const fresh = useRef(false);
  const [results, reloadResults] = useLoad(`consultation-results:${id}`, () => call('consultationResults', { params: { id }, fresh: fresh.current }));
  const [saved, setSaved] = useState<OwnResponse | null>(null);
  const c = loaded.state === 'done' && loaded.result.ok ? loaded.result.data : null;
  useTitle(c?.title ?? t('consult.title'));
  if (loaded.state === 'loading') return <Loading />;
  if (!loaded.result.ok) return <LoadError result={loaded.result} retry={retry} />;
  const consultation = loaded.result.data;
  const existing = saved ?? (own.state === 'done' && own.result.ok ? own.result.data : null);

  let answer;
  if (consultation.status !== 'open') answer = <p class="notice">{t('consult.notOpen')}</p>;
  else if (!me) answer = <p><a class="button" href={signInHref(`/consultations/${id}`)}>{t('consult.signIn')}</a></p>;
  else if (own.state === 'loading') answer = <Loading />;
  else {
    answer = (
      <>
        {existing && !saved && <p class="notice">{t('consult.answered', { date: formatDate(existing.updatedAt) })}</p>}
        <AnswerForm consultation={consultation} existing={existing} onSaved={(r) => { setSaved(r); if (consultation.resultsVisibility === 'live') { fresh.current = true; reloadResults(); } }} />
      </>
    );
  }

  return (
    <article class="consultation">
      <p><a href="/consultations">← {t('consult.back')}</a></p>
      <p class="status">{t(`consult.kind.${consultation.kind}`)} · {t(`consult.state.${consultation.status}`)}</p>
      <h1>{consultation.title}</h1>
      <p class="muted">{t('consult.period', { from: formatDate(consultation.opensAt), to: formatDate(consultation.closesAt) })}</p>
      <FollowButton type="consultation" id={consultation.id} />
      {consultation.draftText && (
        <section aria-labelledby="draft-title">
          <h2 id="draft-title">{t('consult.draft')}</h2>
          <div class="text">{consultation.draftText.split(/\n{2,}/).map((para, i) => <p key={i}>{para}</p>)}</div>
        </section>
      )}
      {consultation.documents.length > 0 && (
        <section aria-labelledby="documents-title">
          <h2 id="documents-title">{t('consult.documents')}</h2>
          <ul>{consultation.documents.map((d) => <li key={d.url}><a href={d.url} rel="noopener noreferrer">{d.title}</a></li>)}</ul>
        </section>
      )}
      <section aria-labelledby="questions-title">
        <h2 id="questions-title">{t('consult.questions')}</h2>
        {answer}
      </section>
      <section aria-labelledby="results-title">
        <h2 id="results-title">{t('consult.results')}</h2>
        {results.state === 'loading' ? <Loading /> : <ResultsSection results={results.result} />}
      </section>
      <Contributions consultationId={consultation.id} />
    </article>
  );
}
