import { useEffect, useState } from 'preact/hooks';
import { call, type Ok } from '../../api.ts';
import { formatDate, localeOf, t } from '../../i18n.ts';
import { useLoad } from '../../load.ts';
import { LoadError, Loading, useTitle } from '../../pages/common.tsx';
import { BarChart } from '../../ui/bar-chart.tsx';

type Consultation = Ok<'getConsultation'>;
type Results = Ok<'councilConsultationResults'>;
type QuestionResult = Results['questions'][number];

const formatDateTime = (iso: string) =>
  new Intl.DateTimeFormat(localeOf(), { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));

/** How often the results of an open consultation are fetched again. */
const RESULTS_REFRESH_MS = 10_000;

function OpenAnswers({ consultationId, questionId }: { consultationId: string; questionId: string }) {
  const [items, setItems] = useState<string[]>([]);
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const [loaded, retry] = useLoad(`open:${consultationId}:${questionId}:${cursor ?? ''}`, async () => {
    const result = await call('councilOpenAnswers', { params: { id: consultationId }, query: { questionId, limit: 50, ...(cursor ? { cursor } : {}) } });
    if (result.ok) setItems((old) => [...(cursor ? old : []), ...result.data.items]);
    return result;
  });
  const next = loaded.state === 'done' && loaded.result.ok ? loaded.result.data.nextCursor : null;
  return (
    <div class="open-answers">
      <h4>{t('staff.consult.openAnswers')}</h4>
      {loaded.state === 'done' && !loaded.result.ok && <LoadError result={loaded.result} retry={retry} />}
      {loaded.state === 'done' && items.length === 0 && <p class="muted">{t('staff.consult.openAnswersNone')}</p>}
      {items.length > 0 && <ul class="quotes">{items.map((text, i) => <li key={i}>{text}</li>)}</ul>}
      {loaded.state === 'loading' && <Loading />}
      {next && <button type="button" class="secondary small" onClick={() => setCursor(next)}>{t('staff.consult.more')}</button>}
    </div>
  );
}

function QuestionResults({ q, consultationId, version }: { q: QuestionResult; consultationId: string; version: string }) {
  return (
    <section class="card question-results" aria-labelledby={`r-${q.id}`}>
      <h3 id={`r-${q.id}`}>{q.text}</h3>
      <p class="muted">{t('staff.consult.answered', { count: q.answered })}</p>
      {q.ranking ? (
        <>
          <BarChart
            caption={q.text} labelHeader={t('staff.consult.option.header')} valueHeader={t('staff.consult.points.header')}
            rows={q.ranking.order.map((r) => ({ label: q.options?.find((o) => o.id === r.optionId)?.text ?? r.optionId, value: r.points, display: t('staff.consult.points', { count: r.points }) }))}
          />
          <p class="muted small-text">{t('staff.consult.borda')}</p>
        </>
      ) : q.options ? (
        <BarChart
          caption={q.text} labelHeader={t('staff.consult.option.header')} valueHeader={t('staff.consult.count.header')}
          rows={q.options.map((o) => ({ label: o.text, value: o.count, display: t('staff.consult.votes', { count: o.count }) }))}
        />
      ) : (
        <OpenAnswers key={version} consultationId={consultationId} questionId={q.id} />
      )}
    </section>
  );
}

function ReportForm({ consultation, onDone }: { consultation: Consultation; onDone: (publishedAt: string) => void }) {
  const [summary, setSummary] = useState('');
  const [error, setError] = useState('');
  const [sending, setSending] = useState(false);
  async function submit(event: Event) {
    event.preventDefault();
    if (summary.trim().length < 20) return setError(t('staff.consult.reportTooShort'));
    setError('');
    setSending(true);
    const result = await call('publishConsultationReport', { params: { id: consultation.id }, body: { summary: summary.trim() } });
    setSending(false);
    if (result.ok) return onDone(result.data.publishedAt);
    setError('offline' in result ? t('common.offlineNoCopy') : (result.problem.detail ?? result.problem.title));
  }
  return (
    <form onSubmit={submit} noValidate class="console-form">
      <label for="report-summary">{t('staff.consult.field.summary')}</label>
      <p id="report-summary-hint" class="hint">{t('staff.consult.field.summaryHint')}</p>
      <textarea
        id="report-summary" rows={8} value={summary} aria-invalid={error ? 'true' : undefined}
        aria-describedby={`report-summary-hint${error ? ' report-summary-error' : ''}`}
        onInput={(e) => setSummary((e.target as HTMLTextAreaElement).value)}
      />
      {error && <p id="report-summary-error" class="field-error" role="alert">{error}</p>}
      <p><button type="submit" class="primary" disabled={sending}>{t('staff.consult.publishReport')}</button></p>
    </form>
  );
}

/** /console/consultations/:id: the consultation, its results (refreshed while open), open answers and the final report. */
export function ConsultationDetailPage({ id }: { id: string }) {
  const [round, setRound] = useState(0);
  const [loaded, retry] = useLoad(`consultation:${id}:${round}`, () => call('getConsultation', { params: { id } }));
  const [results, retryResults] = useLoad(`results:${id}:${round}`, () => call('councilConsultationResults', { params: { id } }));
  const [last, setLast] = useState<Results | null>(null);
  // The consultation itself is a public, briefly cached answer: the report just published is known from its own answer.
  const [reportedAt, setReportedAt] = useState<string | null>(null);
  const consultation = loaded.state === 'done' && loaded.result.ok ? loaded.result.data : null;
  useTitle(consultation?.title ?? t('staff.consult.title'));
  useEffect(() => {
    if (results.state === 'done' && results.result.ok) setLast(results.result.data);
  }, [results]);
  const open = consultation?.status === 'open';
  useEffect(() => {
    if (!open) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') setRound((r) => r + 1);
    }, RESULTS_REFRESH_MS);
    return () => clearInterval(timer);
  }, [open]);
  // The first load only: later refreshes keep the page as it is until they arrive.
  if (!consultation && loaded.state === 'loading') return <Loading />;
  if (loaded.state === 'done' && !loaded.result.ok) return <LoadError result={loaded.result} retry={retry} />;
  if (!consultation) return <Loading />;
  const shown = results.state === 'done' && results.result.ok ? results.result.data : last;
  return (
    <article>
      <p><a href="/console/consultations">← {t('staff.consult.title')}</a></p>
      <h1>{consultation.title}</h1>
      <p>
        <span class="status">{t(`staff.consult.status.${consultation.status}`)}</span> {t(`staff.consult.kind.${consultation.kind}`)} ·{' '}
        {t('staff.consult.period', { from: formatDateTime(consultation.opensAt), to: formatDateTime(consultation.closesAt) })}
      </p>
      <section aria-labelledby="results-title">
        <h2 id="results-title">{shown?.final ? t('staff.consult.finalResults') : t('staff.consult.liveResults')}</h2>
        {open && <p class="muted small-text">{t('staff.consult.refreshing')}</p>}
        {!shown && results.state === 'loading' && <Loading />}
        {results.state === 'done' && !results.result.ok && <LoadError result={results.result} retry={retryResults} />}
        {shown && (
          <>
            <p class="count" role="status">{t('staff.consult.participants', { count: shown.participants })}</p>
            <div class="console-columns">
              {shown.questions.map((q) => <QuestionResults key={q.id} q={q} consultationId={id} version={`${shown.participants}`} />)}
            </div>
          </>
        )}
      </section>
      <section aria-labelledby="report-title">
        <h2 id="report-title">{t('staff.consult.report')}</h2>
        {reportedAt || consultation.reportPublishedAt ? (
          <p class="notice success" role="status">{t('staff.consult.reported', { date: formatDate((reportedAt ?? consultation.reportPublishedAt)!) })}</p>
        ) : consultation.status === 'closed' ? (
          <>
            <p class="muted">{t('staff.consult.reportIntro')}</p>
            <ReportForm consultation={consultation} onDone={setReportedAt} />
          </>
        ) : (
          <p class="muted">{t('staff.consult.reportLater')}</p>
        )}
      </section>
    </article>
  );
}
