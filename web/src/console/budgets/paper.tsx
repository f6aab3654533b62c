import { useRef, useState } from 'preact/hooks';
import { projectCountLimits, type BallotRules } from '#shared/domain/budget/ballot.ts';
import { call, type Budget, type BudgetProject, type Problem } from '../../api.ts';
import { formatMoney, formatNumber, t } from '../../i18n.ts';
import { useLoad } from '../../load.ts';
import { LoadError, Loading, useTitle } from '../../pages/common.tsx';
import { BudgetHeader } from './common.tsx';
import { readPaperBallot, type PaperEntryProblem } from './paper-entry.ts';

const costOf = (p: BudgetProject) => p.finalCost ?? p.cost;

/** The reason typed text is not a valid ballot, in the staff member's words. */
function entryMessage(problem: PaperEntryProblem, rules: BallotRules): string {
  const limits = projectCountLimits(rules);
  switch (problem.code) {
    case 'empty': return t('console.paper.empty');
    case 'unreadable': return t('console.paper.unreadable', { token: problem.token });
    case 'points-missing': return t('console.paper.pointsMissing');
    case 'points-not-expected': return t('console.paper.pointsNotExpected');
    case 'unknown': return t('console.paper.unknown', { id: problem.id });
    case 'duplicate': return t('console.paper.duplicate', { id: problem.id });
    case 'rule':
      switch (problem.rule) {
        case 'too-few-projects': return t('console.paper.tooFew', { min: limits.min });
        case 'too-many-projects': return t('console.paper.tooMany', { max: limits.max });
        case 'too-few-in-category':
        case 'too-many-in-category': return t('console.paper.category');
        case 'over-cost-limit': return t('console.paper.overCost');
        case 'points-missing': return t('console.paper.pointsMissing');
        case 'points-not-expected': return t('console.paper.pointsNotExpected');
        default: return t('console.paper.points');
      }
  }
}

/** A refusal from the API in the staff member's words (the problem's own localized title otherwise). */
function refusal(problem: Problem): string {
  switch (problem.code) {
    case 'more-ballots-than-paper-voters': return t('console.paper.moreThanVoters');
    case 'already-voted': return t('console.paper.alreadyVoted');
    case 'counting-started': return t('console.paper.countingStarted');
    default: return problem.detail ? `${problem.title}: ${problem.detail}` : problem.title;
  }
}

interface Entered {
  n: number;
  text: string;
  serial: string;
  receipt: string;
}

/** Paper ballots of a public budget: record who is handed a ballot, then type the stack of ballots. */
export function PaperBallotsPage({ id }: { id: string }) {
  useTitle(t('console.paper.title'));
  const [budget, retryBudget] = useLoad(`budget:${id}`, () => call('getBudget', { params: { id }, fresh: true }));
  const [projects, retryProjects] = useLoad(`projects:${id}`, () => call('listBudgetProjects', { params: { id }, fresh: true }));
  if (budget.state === 'loading' || projects.state === 'loading') return <Loading />;
  if (!budget.result.ok) return <LoadError result={budget.result} retry={retryBudget} />;
  if (!projects.result.ok) return <LoadError result={projects.result} retry={retryProjects} />;
  const b = budget.result.data;
  const onBallot = projects.result.data.items.filter((p) => p.status === 'admitted');
  const open = b.phase === 'voting' || (b.phase === 'results' && b.schedule.paperCountEnds !== null && Date.now() < Date.parse(b.schedule.paperCountEnds) && !b.resultsPublishedAt);
  return (
    <section>
      <BudgetHeader budget={b} />
      <h2>{t('console.paper.title')}</h2>
      {b.kind !== 'public' ? <p class="notice">{t('console.paper.schoolOnlyCodes')}</p>
        : !open ? <p class="notice">{t('console.paper.closed')}</p>
          : (
            <>
              {b.phase === 'voting' && <PaperVoterForm budgetId={b.id} />}
              <PaperBallotForm budget={b} projects={onBallot} />
            </>
          )}
    </section>
  );
}

function PaperVoterForm({ budgetId }: { budgetId: string }) {
  const [value, setValue] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [recorded, setRecorded] = useState(0);
  const [sending, setSending] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  async function record(event: Event) {
    event.preventDefault();
    if (sending) return;
    if (!/^[\p{L}\p{N}][\p{L}\p{N} .-]{3,38}[\p{L}\p{N}]$/u.test(value.trim())) {
      setMessage({ ok: false, text: t('console.paper.voterInvalid') });
      input.current?.focus();
      return;
    }
    setSending(true);
    // Repeating it is safe: a second record of the same person is refused as "already voted".
    const result = await call('recordBudgetPaperVoter', { params: { id: budgetId }, body: { nationalId: value.trim() } });
    setSending(false);
    if (result.ok) {
      setRecorded((n) => n + 1);
      setValue('');
      setMessage({ ok: true, text: t('console.paper.voterRecorded') });
    } else setMessage({ ok: false, text: 'offline' in result ? t('console.budgets.needsConnection') : refusal(result.problem) });
    input.current?.focus();
  }
  return (
    <form class="card paper-voter" onSubmit={record} noValidate aria-labelledby="voter-title">
      <h3 id="voter-title">{t('console.paper.voterTitle')}</h3>
      <p class="hint">{t('console.paper.voterIntro')}</p>
      <label for="national-id">{t('console.paper.nationalId')}</label>
      <input ref={input} id="national-id" value={value} autoComplete="off" spellcheck={false} inputMode="text"
        aria-invalid={message && !message.ok ? 'true' : undefined} aria-describedby="voter-message"
        onInput={(e) => { setValue(e.currentTarget.value); setMessage(null); }} />
      <div id="voter-message" role="status" aria-live="polite">
        {message && <p class={`notice ${message.ok ? 'success' : 'error'}`}>{message.text}</p>}
      </div>
      <p class="count">{t('console.paper.votersRecorded', { count: recorded })}</p>
      <button type="submit" class="secondary" disabled={sending}>{t('console.paper.recordVoter')}</button>
    </form>
  );
}

function PaperBallotForm({ budget, projects }: { budget: Budget; projects: BudgetProject[] }) {
  const rules = budget.ballotRules as BallotRules;
  const [text, setText] = useState('');
  const [serial, setSerial] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [entered, setEntered] = useState<Entered[]>([]);
  const numbers = useRef<HTMLInputElement>(null);
  /** The ballotId of the ballot on screen: the same on a resend, so a lost answer never enters it twice. */
  const pending = useRef<{ key: string; id: string } | null>(null);
  const limits = projectCountLimits(rules);

  async function submit(event: Event) {
    event.preventDefault();
    if (sending) return;
    const parsed = readPaperBallot(text, rules, projects.map((p) => ({ id: p.id, cost: costOf(p), ...(p.category ? { category: p.category } : {}) })));
    if (!parsed.ok) {
      setError(entryMessage(parsed.problem, rules));
      numbers.current?.focus();
      return;
    }
    const key = JSON.stringify([parsed.ballot, serial.trim()]);
    if (pending.current?.key !== key) pending.current = { key, id: crypto.randomUUID() };
    setError(null);
    setSending(true);
    const result = await call('enterBudgetPaperBallot', {
      params: { id: budget.id },
      body: { ballotId: pending.current.id, ballot: { projects: [...parsed.ballot.projects], ...(parsed.ballot.points ? { points: [...parsed.ballot.points] } : {}) }, ...(serial.trim() ? { serial: serial.trim() } : {}) },
      retries: 3,
    });
    setSending(false);
    if (result.ok) {
      pending.current = null;
      setEntered((list) => [{ n: list.length + 1, text: parsed.ballot.projects.map((id, i) => (parsed.ballot.points ? `${id}:${parsed.ballot.points[i]}` : id)).join(' '), serial: serial.trim(), receipt: result.data.receipt }, ...list]);
      setText('');
      setSerial('');
    } else setError('offline' in result ? t('console.paper.offline') : refusal(result.problem));
    numbers.current?.focus();
  }

  const hint = rules.type === 'cumulative' ? t('console.paper.hintPoints') : rules.type === 'ordinal' ? t('console.paper.hintRanked') : t('console.paper.hint');
  return (
    <div class="paper-entry">
      <form class="card" onSubmit={submit} noValidate aria-labelledby="ballot-title">
        <h3 id="ballot-title">{t('console.paper.ballotTitle')}</h3>
        <label for="ballot-numbers">{t('console.paper.numbers')}</label>
        <input ref={numbers} id="ballot-numbers" value={text} autoComplete="off" spellcheck={false}
          aria-describedby={`ballot-hint${error ? ' ballot-error' : ''}`} aria-invalid={error ? 'true' : undefined}
          onInput={(e) => { setText(e.currentTarget.value); setError(null); }} />
        <div role="alert">{error && <p id="ballot-error" class="notice error">{error}</p>}</div>
        <p id="ballot-hint" class="hint">
          {hint} {Number.isFinite(limits.max) ? t('console.paper.limits', { min: limits.min, max: limits.max }) : t('console.paper.limitMin', { min: limits.min })}
        </p>
        <label for="ballot-serial">{t('console.paper.serial')}</label>
        <input id="ballot-serial" value={serial} autoComplete="off" spellcheck={false} aria-describedby="serial-hint"
          onInput={(e) => setSerial(e.currentTarget.value)} />
        <p id="serial-hint" class="hint">{t('console.paper.serialHint')}</p>
        <button type="submit" class="primary" disabled={sending}>{sending ? t('console.paper.entering') : t('console.paper.enter')}</button>
        <p class="count big" role="status" aria-live="polite">{t('console.paper.enteredCount', { count: entered.length })}</p>
      </form>
      <details class="card">
        <summary>{t('console.paper.projectsOnBallot', { count: projects.length })}</summary>
        <table class="plain">
          <thead><tr><th scope="col">{t('console.paper.number')}</th><th scope="col">{t('console.budgets.project')}</th><th scope="col">{t('console.budgets.cost')}</th></tr></thead>
          <tbody>
            {projects.map((p) => (
              <tr key={p.id}><td>{p.id}</td><td>{p.title}{p.category ? ` (${budget.money.categories.find((c) => c.id === p.category)?.name ?? p.category})` : ''}</td><td>{formatMoney(costOf(p), budget.money.currency)}</td></tr>
            ))}
          </tbody>
        </table>
      </details>
      {entered.length > 0 && (
        <table class="plain entered">
          <caption>{t('console.paper.lastEntered')}</caption>
          <thead><tr><th scope="col">#</th><th scope="col">{t('console.paper.numbers')}</th><th scope="col">{t('console.paper.serial')}</th><th scope="col">{t('console.paper.receipt')}</th></tr></thead>
          <tbody>
            {entered.slice(0, 10).map((e) => (
              <tr key={e.receipt}><td class="nowrap">{formatNumber(e.n)}</td><td>{e.text}</td><td>{e.serial || '—'}</td><td class="receipt-cell">{e.receipt}</td></tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
