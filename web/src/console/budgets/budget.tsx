import { useState } from 'preact/hooks';
import { call, type Budget, type BudgetProject } from '../../api.ts';
import { formatDate, formatMoney, formatNumber, t } from '../../i18n.ts';
import { useLoad } from '../../load.ts';
import { LoadError, Loading, useTitle } from '../../pages/common.tsx';
import { BudgetHeader } from './common.tsx';

const implementationStatuses = ['planned', 'in-progress', 'completed', 'cancelled'] as const;
type ImplementationStatus = (typeof implementationStatuses)[number];

const problemText = (result: { ok: false; status: number; problem: { title: string; detail?: string } } | { ok: false; status: 0; offline: true }) =>
  'offline' in result ? t('console.budgets.needsConnection') : (result.problem.detail ? `${result.problem.title}: ${result.problem.detail}` : result.problem.title);

/** A budget's overview: its rules, its projects with the review (in review) and implementation (winners, once published). */
export function BudgetOverviewPage({ id }: { id: string }) {
  useTitle(t('console.budgets.title'));
  const [budget, retryBudget] = useLoad(`budget:${id}`, () => call('getBudget', { params: { id }, fresh: true }));
  const [projects, retryProjects] = useLoad(`projects:${id}`, () => call('listBudgetProjects', { params: { id }, fresh: true }));
  // A saved review or implementation update replaces its project in place (from the API's answer):
  // no reload, so the page keeps its place and the keyboard focus.
  const [changed, setChanged] = useState<Record<string, BudgetProject>>({});
  const keep = (p: BudgetProject) => setChanged((all) => ({ ...all, [p.id]: p }));
  if (budget.state === 'loading') return <Loading />;
  if (!budget.result.ok) return <LoadError result={budget.result} retry={retryBudget} />;
  const b = budget.result.data;
  return (
    <section>
      <BudgetHeader budget={b} />
      <dl class="facts">
        <div><dt>{t('console.newBudget.kind')}</dt><dd>{b.kind === 'school' ? t('console.budgets.school', { school: b.schoolId ?? '' }) : t('console.budgets.public')}</dd></div>
        <div><dt>{t('console.newBudget.votingFrom')}</dt><dd>{formatDate(b.schedule.voting)} – {formatDate(b.schedule.results)}</dd></div>
        <div><dt>{t('console.newBudget.ballot')}</dt><dd>{t(`console.ballotType.${b.ballotRules.type}`)}</dd></div>
        <div><dt>{t('console.newBudget.rule')}</dt><dd>{t(`console.budgetRuleName.${b.rule.name}`)}</dd></div>
        {b.money.categories.map((c) => <div key={c.id}><dt>{c.name}</dt><dd>{formatMoney(c.amount, b.money.currency)}</dd></div>)}
      </dl>
      <p class="hint">{t(`console.budgetRule.${b.rule.name}`)}</p>
      {b.kind === 'school' && !b.imported && <SchoolCodes budget={b} />}
      <h2>{t('console.budgets.projects')}</h2>
      {projects.state === 'loading' ? <Loading />
        : !projects.result.ok ? <LoadError result={projects.result} retry={retryProjects} />
          : projects.result.data.items.length === 0 ? <p class="notice">{t('console.budgets.noProjects')}</p>
            : (
              <ul class="cards">
                {projects.result.data.items.map((p) => <ProjectCard key={p.id} budget={b} project={changed[p.id] ?? p} onChanged={keep} />)}
              </ul>
            )}
    </section>
  );
}

function ProjectCard({ budget, project, onChanged }: { budget: Budget; project: BudgetProject; onChanged: (p: BudgetProject) => void }) {
  const category = project.category ? (budget.money.categories.find((c) => c.id === project.category)?.name ?? project.category) : null;
  const headingId = `project-${project.id}`;
  return (
    <li class="card" aria-labelledby={headingId}>
      <h3 id={headingId}>{project.id}. {project.title}</h3>
      <p class="muted">
        <span class="status">{t(`console.projectStatus.${project.status}`)}</span>{' '}
        {formatMoney(project.finalCost ?? project.cost, budget.money.currency)}{category ? ` · ${category}` : ''}
        {project.preSupport.required > 0 ? ` · ${t('console.budgets.preSupport', { count: project.preSupport.count, required: project.preSupport.required })}` : ''}
      </p>
      <Description budgetId={budget.id} projectId={project.id} />
      {project.review && <p>{project.review.feasible ? t('console.projectReview.feasibleBecause') : t('console.projectReview.notFeasibleBecause')} {project.review.reason}</p>}
      {budget.phase === 'review' && (project.status === 'awaiting-review' || project.status === 'admitted' || project.status === 'rejected') && (
        <ReviewForm budget={budget} project={project} onDone={onChanged} />
      )}
      {project.implementation && (
        <>
          <p>
            {t('console.impl.now', { status: t(`console.impl.${project.implementation.status}`), progress: formatNumber(project.implementation.progress) })}
            {project.implementation.note ? ` ${project.implementation.note}` : ''}
          </p>
          {budget.resultsPublishedAt && project.implementation.status !== 'completed' && project.implementation.status !== 'cancelled' && (
            <ImplementationForm budget={budget} project={project} onDone={onChanged} />
          )}
        </>
      )}
    </li>
  );
}

// Buttons are never disabled while sending (a disabled button drops the keyboard focus); a second press is ignored.

/** A school budget: codes issued and used (turnout), and the registered students, which the council may raise. */
function SchoolCodes({ budget }: { budget: Budget }) {
  const [counts, retryCounts] = useLoad(`codes:${budget.id}`, () => call('budgetCodeCounts', { params: { id: budget.id } }));
  const [students, setStudents] = useState(String(budget.students ?? ''));
  const [registered, setRegistered] = useState(budget.students);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [sending, setSending] = useState(false);
  async function save(event: Event) {
    event.preventDefault();
    if (sending) return;
    const n = Number(students);
    if (!Number.isInteger(n) || n < 1 || n > 100_000) return setMessage({ ok: false, text: t('console.budgets.studentsInvalid') });
    setSending(true);
    const result = await call('setBudgetStudents', { params: { id: budget.id }, body: { students: n } });
    setSending(false);
    if (result.ok) {
      setMessage({ ok: true, text: t('console.budgets.saved') });
      setRegistered(result.data.students);
    } else setMessage({ ok: false, text: problemText(result) });
  }
  return (
    <section class="card" aria-labelledby="school-codes">
      <h2 id="school-codes">{t('console.school.turnout')}</h2>
      {counts.state === 'loading' ? <Loading />
        : !counts.result.ok ? <LoadError result={counts.result} retry={retryCounts} />
          : <p>{t('console.school.turnoutLine', { used: counts.result.data.used, issued: counts.result.data.issued, students: registered ?? '—' })}</p>}
      <form onSubmit={save} noValidate>
        <label for="students">{t('console.newBudget.students')}</label>
        <input id="students" type="number" inputMode="numeric" min={1} value={students} aria-describedby="students-message" onInput={(e) => { setStudents(e.currentTarget.value); setMessage(null); }} />
        <div id="students-message" role="status">{message && <p class={`notice ${message.ok ? 'success' : 'error'}`}>{message.text}</p>}</div>
        <button type="submit" class="secondary" aria-disabled={sending ? 'true' : undefined}>{t('console.budgets.studentsSave')}</button>
      </form>
    </section>
  );
}

/** The project's text, read when opened (the list carries no descriptions). */
function Description({ budgetId, projectId }: { budgetId: string; projectId: string }) {
  const [text, setText] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  async function load(event: Event) {
    if (!(event.currentTarget as HTMLDetailsElement).open || text !== null) return;
    const result = await call('getBudgetProject', { params: { id: budgetId, projectId }, fresh: true });
    if (result.ok) setText(result.data.description ?? '');
    else setFailed(true);
  }
  return (
    <details class="description" onToggle={load}>
      <summary>{t('console.budgets.description')}</summary>
      {text !== null ? <p class="text">{text}</p> : failed ? <p class="notice error">{t('common.error')}</p> : <p class="muted">{t('common.loading')}</p>}
    </details>
  );
}

function ReviewForm({ budget, project, onDone }: { budget: Budget; project: BudgetProject; onDone: (p: BudgetProject) => void }) {
  const [feasible, setFeasible] = useState<boolean | null>(project.review?.feasible ?? null);
  const [reason, setReason] = useState(project.review?.reason ?? '');
  const [cost, setCost] = useState(String(project.review?.finalCost ?? project.cost));
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [saved, setSaved] = useState(false);
  const p = `review-${project.id}`;
  async function submit(event: Event) {
    event.preventDefault();
    if (sending) return;
    if (feasible === null) return setError(t('console.projectReview.choose'));
    if (reason.trim().length < 5) return setError(t('console.projectReview.reasonNeeded'));
    const finalCost = Number(cost);
    if (feasible && (!Number.isInteger(finalCost) || finalCost < 1)) return setError(t('console.projectReview.costNeeded'));
    setError(null);
    setSaved(false);
    setSending(true);
    const result = await call('reviewBudgetProject', {
      params: { id: budget.id, projectId: project.id },
      body: { feasible, reason: reason.trim(), ...(feasible ? { finalCost } : {}) },
    });
    setSending(false);
    if (result.ok) {
      setSaved(true);
      onDone(result.data);
    }
    else setError(problemText(result));
  }
  return (
    <form onSubmit={submit} noValidate class="review">
      <fieldset>
        <legend>{t('console.projectReview.title')}</legend>
        <div class="choice">
          <input type="radio" id={`${p}-yes`} name={`${p}-feasible`} checked={feasible === true} onChange={() => setFeasible(true)} />
          <label for={`${p}-yes`}>{t('console.projectReview.feasible')}</label>
        </div>
        <div class="choice">
          <input type="radio" id={`${p}-no`} name={`${p}-feasible`} checked={feasible === false} onChange={() => setFeasible(false)} />
          <label for={`${p}-no`}>{t('console.projectReview.notFeasible')}</label>
        </div>
        {feasible !== false && (
          <>
            <label for={`${p}-cost`}>{t('console.projectReview.finalCost', { currency: budget.money.currency })}</label>
            <input id={`${p}-cost`} type="number" inputMode="numeric" min={1} value={cost} onInput={(e) => setCost(e.currentTarget.value)} />
          </>
        )}
        <label for={`${p}-reason`}>{t('console.projectReview.reason')}</label>
        <textarea id={`${p}-reason`} rows={3} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        <div role="alert">{error && <p class="notice error">{error}</p>}</div>
        <div role="status">{saved && <p class="notice success">{t('console.budgets.saved')}</p>}</div>
        <button type="submit" class="secondary" aria-disabled={sending ? 'true' : undefined}>{t('console.projectReview.save')}</button>
      </fieldset>
    </form>
  );
}

function ImplementationForm({ budget, project, onDone }: { budget: Budget; project: BudgetProject; onDone: (p: BudgetProject) => void }) {
  const current = project.implementation!;
  const [status, setStatus] = useState<ImplementationStatus>(current.status);
  const [progress, setProgress] = useState(String(current.progress));
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [saved, setSaved] = useState(false);
  const p = `impl-${project.id}`;
  async function submit(event: Event) {
    event.preventDefault();
    if (sending) return;
    const n = status === 'completed' ? 100 : status === 'planned' ? 0 : Number(progress);
    if (!Number.isInteger(n) || n < 0 || n > 100) return setError(t('console.impl.progressInvalid'));
    if (status === 'cancelled' && !note.trim()) return setError(t('console.impl.noteNeeded'));
    setError(null);
    setSaved(false);
    setSending(true);
    const result = await call('updateBudgetImplementation', {
      params: { id: budget.id, projectId: project.id },
      body: { status, progress: n, ...(note.trim() ? { note: note.trim() } : {}) },
    });
    setSending(false);
    if (result.ok) {
      setSaved(true);
      onDone(result.data);
    }
    else setError(problemText(result));
  }
  return (
    <form onSubmit={submit} noValidate class="implementation">
      <fieldset>
        <legend>{t('console.impl.title')}</legend>
        <label for={`${p}-status`}>{t('console.impl.status')}</label>
        <select id={`${p}-status`} value={status} onChange={(e) => setStatus(e.currentTarget.value as ImplementationStatus)}>
          {implementationStatuses.map((s) => <option key={s} value={s}>{t(`console.impl.${s}`)}</option>)}
        </select>
        {status === 'in-progress' && (
          <>
            <label for={`${p}-progress`}>{t('console.impl.progress')}</label>
            <input id={`${p}-progress`} type="number" inputMode="numeric" min={0} max={100} value={progress} onInput={(e) => setProgress(e.currentTarget.value)} />
          </>
        )}
        <label for={`${p}-note`}>{t('console.impl.note')}</label>
        <textarea id={`${p}-note`} rows={2} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
        <div role="alert">{error && <p class="notice error">{error}</p>}</div>
        <div role="status">{saved && <p class="notice success">{t('console.budgets.saved')}</p>}</div>
        <button type="submit" class="secondary" aria-disabled={sending ? 'true' : undefined}>{t('console.impl.save')}</button>
      </fieldset>
    </form>
  );
}
