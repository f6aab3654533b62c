import { useEffect, useState } from 'preact/hooks';
import { call, type Budget, type BudgetProject, type Ok, type Result } from '../api.ts';
import { formatDate, formatMoney, t } from '../i18n.ts';
import { useLoad } from '../load.ts';
import { readReceipts } from '../receipts-store.ts';
import { location$ } from '../router.ts';
import { BarChart } from '../ui/bar-chart.tsx';
import { FollowButton } from '../ui/notify.tsx';
import { LoadError, Loading, useTitle } from './common.tsx';

const phases = ['upcoming', 'submission', 'pre-support', 'review', 'voting', 'results', 'implementation'] as const;
type Phase = (typeof phases)[number];
type Results = Ok<'getBudgetResults'>;

/** Budgets of the community, by phase (a tab per phase that has any), newest voting first. */
export function BudgetsPage() {
  useTitle(t('budgets.title'));
  const requested = new URLSearchParams(location$.value.search).get('phase');
  const phase = (phases as readonly string[]).includes(requested ?? '') ? (requested as Phase) : undefined;
  const [loaded, retry] = useLoad(`budgets:${phase ?? ''}`, () => call('listBudgets', { query: { limit: 50, ...(phase ? { phase } : {}) } }));
  const data = loaded.state === 'done' && loaded.result.ok ? loaded.result.data : null;
  const counts = data?.counts ?? null;
  const total = counts ? Object.values(counts).reduce((a, b) => a + b, 0) : null;
  const shown = phases.filter((p) => p === phase || (counts?.[p] ?? 0) > 0);
  return (
    <section aria-labelledby="budgets-title">
      <h1 id="budgets-title">{t('budgets.title')}</h1>
      <p>{t('budgets.intro')}</p>
      <nav aria-label={t('budgets.phase.label')} class="tabs">
        <ul>
          <li><a href="/budgets" aria-current={phase === undefined ? 'page' : undefined}>{total === null ? t('budgets.phase.all') : t('petitions.stateCount', { state: t('budgets.phase.all'), count: total })}</a></li>
          {shown.map((p) => (
            <li key={p}>
              <a href={`/budgets?phase=${p}`} aria-current={p === phase ? 'page' : undefined}>
                {counts ? t('petitions.stateCount', { state: t(`budgets.phase.${p}`), count: counts[p] ?? 0 }) : t(`budgets.phase.${p}`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {loaded.state === 'loading' ? <Loading /> : !loaded.result.ok ? <LoadError result={loaded.result} retry={retry} /> : loaded.result.data.items.length === 0
        ? <p>{t('budgets.empty')}</p>
        : (
          <div class="cards">
            {loaded.result.data.items.map((b) => (
              <article class="card" key={b.id}>
                <p class="status">{t(`budgets.kind.${b.kind}`)} · {t(`budgets.phase.${b.phase}`)}</p>
                <h2><a href={`/budgets/${b.id}`}>{b.title}</a></h2>
                <p>{t('budgets.total', { money: formatMoney(b.total, b.currency) })}</p>
                <p class="muted">{t('budgets.voting', { from: formatDate(b.votingOpensAt), to: formatDate(b.votingClosesAt) })}</p>
              </article>
            ))}
          </div>
        )}
    </section>
  );
}

const costOf = (p: BudgetProject) => p.finalCost ?? p.cost;
const categoryName = (budget: Budget, id: string | null) => (id ? (budget.money.categories.find((c) => c.id === id)?.name ?? id) : '');

function Projects({ budget, projects }: { budget: Budget; projects: BudgetProject[] }) {
  const [category, setCategory] = useState('');
  // A link to one project (from search): shown, scrolled to and focused once the list is there.
  const wanted = new URLSearchParams(location$.value.search).get('project');
  useEffect(() => {
    if (!wanted) return;
    const card = document.getElementById(`project-${wanted}`);
    card?.scrollIntoView({ block: 'start' });
    card?.focus();
  }, [wanted]);
  const categories = budget.money.categories;
  const shown = category ? projects.filter((p) => p.category === category) : projects;
  return (
    <section aria-labelledby="projects-title">
      <h2 id="projects-title">{t('budgets.projects')}</h2>
      {categories.length > 0 && (
        <>
          <label for="category">{t('budgets.category.label')}</label>
          <select id="category" value={category} onChange={(e) => setCategory(e.currentTarget.value)}>
            <option value="">{t('budgets.category.all')}</option>
            {categories.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </select>
        </>
      )}
      <p class="muted" role="status">{t('budgets.projectCount', { count: shown.length })}</p>
      {shown.length === 0 ? <p>{t('budgets.noProjects')}</p> : (
        <div class="cards">
          {shown.map((p) => (
            <article class="card" key={p.id} id={`project-${p.id}`} tabIndex={p.id === wanted ? -1 : undefined} aria-current={p.id === wanted ? 'true' : undefined}>
              <h3>{p.title}</h3>
              <p class="status">{t(`budgets.project.status.${p.status}`)}</p>
              {p.category && <p class="muted">{categoryName(budget, p.category)}</p>}
              <p><strong>{t('school.cost', { money: formatMoney(costOf(p), budget.money.currency) })}</strong></p>
              {p.description && <p class="desc">{p.description}</p>}
            </article>
          ))}
        </div>
      )}
    </section>
  );
}

function ResultsSection({ budget, results }: { budget: Budget; results: Result<'getBudgetResults'> }) {
  if (!results.ok) return results.status === 403 ? <p>{t('budgets.resultsLater')}</p> : <LoadError result={results} />;
  const r: Results = results.data;
  const money = (n: number) => formatMoney(n, r.currency);
  const byVotes = [...r.projects].sort((a, b) => b.votes - a.votes);
  const winners = r.projects.filter((p) => p.selected);
  return (
    <>
      <p>{t('budgets.ballots', { count: r.ballots.total })} · {t('budgets.spent', { spent: money(r.totalSpent), total: money(budget.money.total) })}</p>
      <h3>{t('budgets.winners')}</h3>
      <ul class="winners">
        {winners.map((w) => <li key={w.projectId}><strong>{w.title}</strong> · {money(w.cost)} · {t('budgets.votes', { count: w.votes })}</li>)}
      </ul>
      <BarChart caption={t('budgets.votesChart')} labelHeader={t('budgets.project')} valueHeader={t('budgets.votesHeader')} highlightLabel={t('budgets.winner')}
        rows={byVotes.map((p) => ({ label: p.title, value: p.votes, display: t('budgets.votes', { count: p.votes }), highlight: p.selected }))} />
    </>
  );
}

function Implementation({ budget, projects }: { budget: Budget; projects: BudgetProject[] }) {
  const winners = projects.filter((p) => p.status === 'selected');
  if (winners.length === 0) return null;
  return (
    <section aria-labelledby="implementation-title">
      <h2 id="implementation-title">{t('budgets.implementation')}</h2>
      <ul class="thresholds">
        {winners.map((p) => {
          const impl = p.implementation;
          const label = impl ? t('budgets.progress', { status: t(`budgets.implementation.${impl.status}`), progress: impl.progress }) : t('budgets.implementation.none');
          return (
            <li key={p.id}>
              <strong>{p.title}</strong>
              <span>{label}{impl ? ` · ${t('budgets.updated', { date: formatDate(impl.updatedAt) })}` : ''}</span>
              {impl && <progress max={100} value={impl.progress} aria-label={`${p.title}: ${label}`} />}
              {impl?.note && <span>{impl.note}</span>}
              <span class="muted">{t('school.cost', { money: formatMoney(costOf(p), budget.money.currency) })}</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

const notPublished = (): Promise<Result<'getBudgetResults'>> => Promise.resolve({ ok: false, status: 403, problem: { type: '', code: 'not-published', title: '', status: 403 } });

/** A budget: its money and rules in words, its projects by category, the vote, results and implementation. */
export function BudgetPage({ id }: { id: string }) {
  const [budget, retryBudget] = useLoad(`budget:${id}`, () => call('getBudget', { params: { id } }));
  const [projects, retryProjects] = useLoad(`projects:${id}`, () => call('listBudgetProjects', { params: { id } }));
  const b = budget.state === 'done' && budget.result.ok ? budget.result.data : null;
  // Public results: published by the council, or an imported past election's at once.
  const published = b !== null && (b.resultsPublishedAt !== null || b.imported !== null);
  const [results] = useLoad(`budget-results:${id}:${published}`, () => (published ? call('getBudgetResults', { params: { id } }) : notPublished()));
  useTitle(b?.title ?? t('budgets.title'));
  if (budget.state === 'loading' || projects.state === 'loading') return <Loading />;
  if (!budget.result.ok) return <LoadError result={budget.result} retry={retryBudget} />;
  if (!projects.result.ok) return <LoadError result={projects.result} retry={retryProjects} />;
  const data = budget.result.data;
  const items = projects.result.data.items;
  const hasReceipt = readReceipts().some((r) => r.budgetId === id);
  return (
    <article class="budget">
      <p><a href="/budgets">← {t('budgets.back')}</a></p>
      <p class="status">{t(`budgets.kind.${data.kind}`)} · {t(`budgets.phase.${data.phase}`)}</p>
      <h1>{data.title}</h1>
      {data.description && <div class="text">{data.description.split(/\n{2,}/).map((para, i) => <p key={i}>{para}</p>)}</div>}
      <p>{t('budgets.total', { money: formatMoney(data.money.total, data.money.currency) })}</p>
      {data.money.categories.length > 0 && (
        <ul>{data.money.categories.map((c) => <li key={c.id}>{t('budgets.categoryMoney', { name: c.name, money: formatMoney(c.amount, data.money.currency) })}</li>)}</ul>
      )}
      <p class="muted">{t('budgets.voting', { from: formatDate(data.schedule.voting), to: formatDate(data.schedule.results) })}</p>
      {data.phase === 'voting' && (data.eligibility.method === 'account'
        ? <p><a class="button primary" href={`/budgets/${id}/vote`}>{t('budgets.vote')}</a></p>
        : <p class="notice">{t('budgets.schoolCodes')}</p>)}
      {hasReceipt && <p><a href="/receipts">{t('budgets.myReceipts')}</a></p>}
      <FollowButton type="budget" id={id} />
      {published && (
        <section aria-labelledby="results-title">
          <h2 id="results-title">{t('budgets.results')}</h2>
          {results.state === 'loading' ? <Loading /> : <ResultsSection budget={data} results={results.result} />}
        </section>
      )}
      <Implementation budget={data} projects={items} />
      <Projects budget={data} projects={items} />
    </article>
  );
}
