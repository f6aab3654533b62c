import { useEffect, useRef, useState } from 'preact/hooks';
import { call, type Budget, type Ok } from '../../api.ts';
import { formatDate, formatMoney, formatNumber, t } from '../../i18n.ts';
import { useLoad } from '../../load.ts';
import { LoadError, Loading, useTitle } from '../../pages/common.tsx';
import { BarChart } from '../../ui/bar-chart.tsx';
import { BudgetHeader } from './common.tsx';

type Results = Ok<'councilBudgetResults'>;
type Category = Results['categories'][number];
type Decision = 'selected' | 'does-not-fit' | 'no-votes' | 'below-minimum' | 'winners-limit-reached' | 'after-stop';

/** The count (preliminary for the council until published), per category with a chart, why each project won or not, and publication. */
export function BudgetResultsPage({ id }: { id: string }) {
  useTitle(t('console.budgetResults.title'));
  const [budget, retryBudget] = useLoad(`budget:${id}`, () => call('getBudget', { params: { id }, fresh: true }));
  const [results, retryResults] = useLoad(`council-results:${id}`, () => call('councilBudgetResults', { params: { id } }));
  const [published, setPublished] = useState<Results | null>(null);
  if (budget.state === 'loading') return <Loading />;
  if (!budget.result.ok) return <LoadError result={budget.result} retry={retryBudget} />;
  const b = budget.result.data;
  let body;
  if (results.state === 'loading') body = <Loading />;
  else if (!results.result.ok) {
    body = results.result.status === 403
      ? <p class="notice">{t('console.budgetResults.notYet', { date: formatDate(b.schedule.results) })}</p>
      : <LoadError result={results.result} retry={retryResults} />;
  } else body = <ResultsView budget={b} results={published ?? results.result.data} onPublished={setPublished} />;
  return (
    <section>
      <BudgetHeader budget={b} />
      <h2>{t('console.budgetResults.title')}</h2>
      {body}
    </section>
  );
}

function ResultsView({ budget, results, onPublished }: { budget: Budget; results: Results; onPublished: (r: Results) => void }) {
  // Once published here, the focus moves to the notice that says so (the buttons are gone).
  const publishedNotice = useRef<HTMLParagraphElement>(null);
  const wasPublished = useRef(results.published);
  useEffect(() => {
    if (results.published && !wasPublished.current) publishedNotice.current?.focus();
    wasPublished.current = results.published;
  }, [results.published]);
  const byScore = results.rule.name !== 'equal-shares' && results.rule.rankBy === 'score';
  const categoryName = (id: string | null) => (id === null ? t('console.budgetResults.wholeBudget') : (budget.money.categories.find((c) => c.id === id)?.name ?? id));
  return (
    <>
      {budget.imported
        ? <p class="notice" role="status">{t('console.budgetResults.imported', { date: formatDate(budget.imported.importedAt) })}</p>
        : results.published
          ? <p class="notice success" role="status" tabIndex={-1} ref={publishedNotice}>{t('console.budgetResults.published', { date: formatDate(results.publishedAt!) })}</p>
          : <p class="notice">{t('console.budgetResults.preliminary')}</p>}
      <dl class="facts">
        <div><dt>{t('console.budgetResults.ballots')}</dt><dd>{formatNumber(results.ballots.total)}</dd></div>
        <div><dt>{t('console.budgetResults.internet')}</dt><dd>{formatNumber(results.ballots.internet)}</dd></div>
        <div><dt>{t('console.budgetResults.paper')}</dt><dd>{formatNumber(results.ballots.paper)}</dd></div>
        <div><dt>{t('console.budgetResults.code')}</dt><dd>{formatNumber(results.ballots.code)}</dd></div>
        <div><dt>{t('console.budgetResults.spent')}</dt><dd>{formatMoney(results.totalSpent, results.currency)} / {formatMoney(budget.money.total, results.currency)}</dd></div>
      </dl>
      <h3>{t('console.budgetResults.ruleTitle')}</h3>
      <p>{t(`console.budgetRule.${results.rule.name}`)}</p>
      {results.categories.map((c) => (
        <CategoryResults key={c.category ?? '-'} category={c} name={categoryName(c.category)} results={results} byScore={byScore} />
      ))}
      {!results.published && !budget.imported && <Publish budget={budget} onPublished={onPublished} />}
    </>
  );
}

function CategoryResults({ category, name, results, byScore }: { category: Category; name: string; results: Results; byScore: boolean }) {
  const projects = results.projects.filter((p) => p.category === category.category);
  const measure = (p: { votes: number; score: number }) => (byScore ? p.score : p.votes);
  const rows = [...projects].sort((a, b) => measure(b) - measure(a)).map((p) => ({
    label: `${p.projectId}. ${p.title}`,
    value: measure(p),
    display: byScore ? t('console.budgetResults.points', { count: p.score }) : t('console.budgetResults.votes', { count: p.votes }),
    highlight: p.selected,
  }));
  const explanation = category.explanation as { kind?: string; decisions?: { projectId: string; decision: Decision }[] };
  const title = (id: string) => projects.find((p) => p.projectId === id)?.title ?? id;
  return (
    <section class="category-results" aria-label={name}>
      <h3>{name}</h3>
      <p>{t('console.budgetResults.categorySpent', { spent: formatMoney(category.spent, results.currency), budget: formatMoney(category.budget, results.currency) })}</p>
      <BarChart caption={t('console.budgetResults.chartCaption', { name })} rows={rows} labelHeader={t('console.budgets.project')}
        valueHeader={byScore ? t('console.budgetResults.pointsHeader') : t('console.budgetResults.votesHeader')} highlightLabel={t('console.budgetResults.winner')} />
      {explanation.kind === 'greedy' && explanation.decisions && (
        <details>
          <summary>{t('console.budgetResults.why')}</summary>
          <ol>
            {explanation.decisions.map((d) => <li key={d.projectId}>{d.projectId}. {title(d.projectId)}: {t(`console.greedy.${d.decision}`)}</li>)}
          </ol>
        </details>
      )}
      {explanation.kind === 'equal-shares' && <p>{t('console.budgetResults.equalSharesWhy')}</p>}
    </section>
  );
}

/** Publication is for good: asked twice, by two different buttons, never a browser dialog. */
function Publish({ budget, onPublished }: { budget: Budget; onPublished: (r: Results) => void }) {
  const [asking, setAsking] = useState(false);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const paperOpen = budget.schedule.paperCountEnds !== null && Date.now() < Date.parse(budget.schedule.paperCountEnds);
  const canPublish = budget.phase !== 'upcoming' && budget.phase !== 'voting' && Date.now() >= Date.parse(budget.schedule.results) && !paperOpen;
  async function publish() {
    if (sending) return;
    setSending(true);
    const result = await call('publishBudgetResults', { params: { id: budget.id } });
    setSending(false);
    if (result.ok) onPublished(result.data);
    else setError('offline' in result ? t('console.budgets.needsConnection') : (result.problem.detail ? `${result.problem.title}: ${result.problem.detail}` : result.problem.title));
  }
  if (!canPublish) return <p class="notice">{paperOpen ? t('console.budgetResults.paperWindow', { date: formatDate(budget.schedule.paperCountEnds!) }) : t('console.budgetResults.cannotPublishYet')}</p>;
  return (
    <div class="card publish">
      <h3>{t('console.budgetResults.publishTitle')}</h3>
      <p>{t('console.budgetResults.publishHint')}</p>
      {!asking
        ? <button type="button" class="primary" onClick={() => { setAsking(true); setTimeout(() => confirmButton.current?.focus(), 0); }}>{t('console.budgetResults.publish')}</button>
        : (
          <div class="actions">
            <button ref={confirmButton} type="button" class="primary" aria-disabled={sending ? 'true' : undefined} onClick={publish}>{sending ? t('console.budgetResults.publishing') : t('console.budgetResults.publishConfirm')}</button>
            <button type="button" class="secondary" onClick={() => setAsking(false)}>{t('console.budgets.cancel')}</button>
          </div>
        )}
      <div role="alert">{error && <p class="notice error">{error}</p>}</div>
    </div>
  );
}
