import type { ComponentChildren } from 'preact';
import type { Budget } from '../../api.ts';
import { formatDate, formatMoney, t } from '../../i18n.ts';
import { location$ } from '../../router.ts';

/** A budget's pages in the console: its overview (projects, review, implementation), paper ballots, results. */
export function BudgetHeader({ budget, children }: { budget: Budget; children?: ComponentChildren }) {
  const base = `/console/budgets/${budget.id}`;
  const here = location$.value.path;
  const tabs: [string, string][] = [
    [base, t('console.budgets.tab.overview')],
    ...(budget.kind === 'public' && !budget.imported ? [[`${base}/paper`, t('console.budgets.tab.paper')] as [string, string]] : []),
    [`${base}/results`, t('console.budgets.tab.results')],
  ];
  return (
    <>
      <p class="crumbs"><a href="/console/budgets">{t('console.budgets.title')}</a></p>
      <h1>{budget.title}</h1>
      <p class="muted">
        <span class="status">{t(`console.budgets.phase.${budget.phase}`)}</span>{' '}
        {formatMoney(budget.money.total, budget.money.currency)}
        {budget.phaseEndsAt ? ` · ${t('console.budgets.phaseEnds', { date: formatDate(budget.phaseEndsAt) })}` : ''}
      </p>
      {children}
      <nav class="tabs" aria-label={t('console.budgets.tabs')}>
        <ul>
          {tabs.map(([href, label]) => <li key={href}><a href={href} aria-current={here === href ? 'page' : undefined}>{label}</a></li>)}
        </ul>
      </nav>
    </>
  );
}
