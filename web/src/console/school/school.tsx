import { useEffect, useRef, useState } from 'preact/hooks';
import { call, type Ok } from '../../api.ts';
import { person } from '../../auth.ts';
import { formatDate, formatNumber, t } from '../../i18n.ts';
import { useLoad } from '../../load.ts';
import { LoadError, Loading, useTitle } from '../../pages/common.tsx';
import { QrCode } from './qr.tsx';

type Summary = Ok<'listBudgets'>['items'][number];

/** A batch of codes as issued: the codes are shown once by the API, so this tab keeps them to reprint. */
export interface SlipBatch {
  batchId: string;
  issuedAt: string;
  codes: string[];
}

const SLIPS_PER_SHEET = 24;
const storageKey = (budgetId: string) => `hromada.slips:${budgetId}`;

/** The batches issued in this tab (sessionStorage: gone when the tab closes, never on another device). */
function readBatches(budgetId: string): SlipBatch[] {
  try {
    return JSON.parse(sessionStorage.getItem(storageKey(budgetId)) ?? '[]') as SlipBatch[];
  } catch {
    return [];
  }
}
function keepBatches(budgetId: string, batches: SlipBatch[]) {
  try {
    sessionStorage.setItem(storageKey(budgetId), JSON.stringify(batches));
  } catch {
    // kept on screen for this visit only
  }
}

/** The voting link a slip's QR code opens: the citizens' app on this very origin. */
export const voteLink = (budgetId: string, code: string) =>
  `${location.origin}/school-vote?${new URLSearchParams({ budget: budgetId, code })}`;

/** The school's own budgets: codes issued and printed as slips, batches reprinted, turnout. */
export function SchoolPage() {
  useTitle(t('console.school.title'));
  const me = person.value!;
  const [list, retry] = useLoad(`school-budgets:${me.community ?? ''}`, () =>
    call('listBudgets', { query: { ...(me.community ? { community: me.community } : {}), limit: 100 }, fresh: true }));
  const [sheet, setSheet] = useState<{ budget: Summary; batch: SlipBatch } | null>(null);

  let body;
  if (!me.school) body = <p class="notice error" role="alert">{t('console.school.noSchool')}</p>;
  else if (list.state === 'loading') body = <Loading />;
  else if (!list.result.ok) body = <LoadError result={list.result} retry={retry} />;
  else {
    const mine = list.result.data.items.filter((b) => b.kind === 'school' && b.schoolId === me.school);
    body = mine.length === 0
      ? <p class="notice">{t('console.school.none', { school: me.school })}</p>
      : mine.map((b) => <SchoolBudget key={b.id} budget={b} printing={sheet?.budget.id === b.id ? sheet.batch.batchId : null} onPrint={(batch) => setSheet({ budget: b, batch })} />);
  }
  return (
    <section class="school-console">
      <h1 class="no-print">{t('console.school.title')}</h1>
      <p class="no-print">{t('console.school.intro')}</p>
      {body}
      {sheet && <SlipSheet budget={sheet.budget} batch={sheet.batch} onClose={() => setSheet(null)} />}
    </section>
  );
}

function SchoolBudget({ budget, printing, onPrint }: { budget: Summary; printing: string | null; onPrint: (batch: SlipBatch) => void }) {
  const [counts, retryCounts] = useLoad(`codes:${budget.id}`, () => call('budgetCodeCounts', { params: { id: budget.id } }));
  const [full, retryFull] = useLoad(`budget:${budget.id}`, () => call('getBudget', { params: { id: budget.id }, fresh: true }));
  const [batches, setBatches] = useState<SlipBatch[]>(() => readBatches(budget.id));
  const [count, setCount] = useState(String(SLIPS_PER_SHEET));
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const countInput = useRef<HTMLInputElement>(null);
  const students = full.state === 'done' && full.result.ok ? full.result.data.students : null;
  const issued = counts.state === 'done' && counts.result.ok ? counts.result.data.issued : null;
  const used = counts.state === 'done' && counts.result.ok ? counts.result.data.used : null;
  const left = students !== null && issued !== null ? Math.max(0, students - issued) : null;
  const open = budget.phase !== 'results' && budget.phase !== 'implementation';
  const headingId = `budget-${budget.id}`;

  async function issue(event: Event) {
    event.preventDefault();
    const n = Number(count);
    if (!Number.isInteger(n) || n < 1 || n > 1000) {
      setError(t('console.school.countInvalid'));
      countInput.current?.focus();
      return;
    }
    if (left !== null && n > left) {
      setError(t('console.school.countOverStudents', { left }));
      countInput.current?.focus();
      return;
    }
    setError(null);
    setSending(true);
    // Not retried: a lost answer would leave codes issued that nobody saw; the count below shows it.
    const result = await call('issueBudgetCodes', { params: { id: budget.id }, body: { count: n } });
    setSending(false);
    if (!result.ok) {
      setError('offline' in result ? t('console.budgets.needsConnection') : (result.problem.detail ?? result.problem.title));
      retryCounts();
      return;
    }
    const batch: SlipBatch = { batchId: result.data.batchId, issuedAt: new Date().toISOString(), codes: result.data.codes.map((c) => c.code) };
    const next = [batch, ...batches];
    setBatches(next);
    keepBatches(budget.id, next);
    retryCounts();
    onPrint(batch);
  }

  return (
    <article class="card no-print" aria-labelledby={headingId}>
      <h2 id={headingId}>{budget.title}</h2>
      <p class="muted">
        {t(`console.budgets.phase.${budget.phase}`)} · {t('console.school.votingDates', { from: formatDate(budget.votingOpensAt), to: formatDate(budget.votingClosesAt) })}
      </p>
      <h3>{t('console.school.turnout')}</h3>
      {counts.state === 'loading' || full.state === 'loading'
        ? <Loading />
        : counts.result.ok && full.result.ok
          ? <Turnout students={students} issued={issued!} used={used!} />
          : !counts.result.ok ? <LoadError result={counts.result} retry={retryCounts} /> : !full.result.ok && <LoadError result={full.result} retry={retryFull} />}
      {open ? (
        <form onSubmit={issue} noValidate class="issue">
          <label for={`count-${budget.id}`}>{t('console.school.count')}</label>
          <input ref={countInput} id={`count-${budget.id}`} type="number" inputMode="numeric" min={1} max={Math.min(1000, left ?? 1000)} value={count}
            aria-describedby={`count-hint-${budget.id}${error ? ` count-error-${budget.id}` : ''}`} aria-invalid={error ? 'true' : undefined}
            onInput={(e) => { setCount(e.currentTarget.value); setError(null); }} />
          <p id={`count-hint-${budget.id}`} class="hint">
            {t('console.school.countHint', { perSheet: SLIPS_PER_SHEET })}
            {left !== null && <> {t('console.school.left', { count: left })}</>}
          </p>
          {error && <p id={`count-error-${budget.id}`} class="notice error" role="alert">{error}</p>}
          <button type="submit" class="primary" disabled={sending}>{sending ? t('console.school.issuing') : t('console.school.issue')}</button>
        </form>
      ) : <p class="notice">{t('console.school.closed')}</p>}
      {batches.length > 0 && (
        <>
          <h3>{t('console.school.batches')}</h3>
          <p class="hint">{t('console.school.batchesHint')}</p>
          <ul class="batches">
            {batches.map((b) => (
              <li key={b.batchId}>
                <span>{t('console.school.batch', { count: b.codes.length, time: new Date(b.issuedAt).toLocaleTimeString(document.documentElement.lang, { hour: '2-digit', minute: '2-digit' }) })}</span>
                <button type="button" class="secondary" aria-pressed={printing === b.batchId} onClick={() => onPrint(b)}>
                  {t('console.school.reprint')}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </article>
  );
}

function Turnout({ students, issued, used }: { students: number | null; issued: number; used: number }) {
  const base = students ?? issued;
  return (
    <div class="turnout">
      <p>{t('console.school.turnoutLine', { used, issued, students: students ?? '—' })}</p>
      <progress aria-label={t('console.school.turnout')} max={Math.max(1, base)} value={used} aria-valuetext={t('console.school.turnoutPercent', { percent: base ? formatNumber(Math.round((100 * used) / base)) : '0' })} />
      <p class="muted">{t('console.school.turnoutPercent', { percent: base ? formatNumber(Math.round((100 * used) / base)) : '0' })}</p>
    </div>
  );
}

/**
 * The A4 sheet: 24 slips (3 × 8) with dashed lines to cut along; each slip has the QR code of its
 * voting link, the code in text (for typing by hand), the school's budget and what to do. On screen
 * it is a preview; printed (@media print, @page A4) it is the only thing on the paper.
 */
function SlipSheet({ budget, batch, onClose }: { budget: Summary; batch: SlipBatch; onClose: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [batch.batchId]);
  const pages: string[][] = [];
  for (let i = 0; i < batch.codes.length; i += SLIPS_PER_SHEET) pages.push(batch.codes.slice(i, i + SLIPS_PER_SHEET));
  return (
    <section class="slips" aria-labelledby="slips-title">
      <div class="no-print">
        <h2 id="slips-title" tabIndex={-1} ref={heading}>{t('console.school.sheetTitle', { count: batch.codes.length })}</h2>
        <p>{t('console.school.sheetHint')}</p>
        <div class="actions">
          <button type="button" class="primary" onClick={() => window.print()}>{t('console.school.print')}</button>
          <button type="button" class="secondary" onClick={onClose}>{t('console.school.closeSheet')}</button>
        </div>
      </div>
      {pages.map((codes, p) => (
        <ol key={p} class="sheet" aria-label={t('console.school.sheetPage', { page: p + 1, pages: pages.length })}>
          {codes.map((code) => (
            <li key={code} class="slip">
              <QrCode class="qr" text={voteLink(budget.id, code)} label={t('console.school.qrLabel', { code })} />
              <div class="slip-text">
                <p class="slip-school">{budget.title}</p>
                <p class="slip-how">{t('console.school.slipHow', { site: `${location.host}/school-vote` })}</p>
              </div>
              <p class="slip-code">{t('console.school.slipCode')} <span class="code">{code}</span></p>
            </li>
          ))}
        </ol>
      ))}
    </section>
  );
}
