import { call } from '../../api.ts';
import { person } from '../../auth.ts';
import { formatDate, formatMoney, t } from '../../i18n.ts';
import { useLoad } from '../../load.ts';
import { LoadError, Loading, useTitle } from '../../pages/common.tsx';

/** The community's budgets, latest voting first, each with its phase and the council's next step. */
export function BudgetsPage() {
  useTitle(t('console.budgets.title'));
  const me = person.value!;
  const [list, retry] = useLoad(`console-budgets:${me.community ?? ''}`, () =>
    call('listBudgets', { query: { ...(me.community ? { community: me.community } : {}), limit: 100 }, fresh: true }));
  let body;
  if (list.state === 'loading') body = <Loading />;
  else if (!list.result.ok) body = <LoadError result={list.result} retry={retry} />;
  else if (list.result.data.items.length === 0) body = <p class="notice">{t('console.budgets.empty')}</p>;
  else {
    body = (
      <ul class="cards">
        {list.result.data.items.map((b) => (
          <li key={b.id} class="card">
            <h2><a href={`/console/budgets/${b.id}`}>{b.title}</a></h2>
            <p class="muted">
              <span class="status">{t(`console.budgets.phase.${b.phase}`)}</span>{' '}
              {b.kind === 'school' ? t('console.budgets.school', { school: b.schoolId ?? '' }) : t('console.budgets.public')} · {formatMoney(b.total, b.currency)}
              {' · '}{t('console.school.votingDates', { from: formatDate(b.votingOpensAt), to: formatDate(b.votingClosesAt) })}
            </p>
            {b.phase === 'voting' && b.kind === 'public' && !b.imported && <p><a href={`/console/budgets/${b.id}/paper`}>{t('console.budgets.tab.paper')}</a></p>}
            {(b.phase === 'results' || b.phase === 'implementation') && (
              <p><a href={`/console/budgets/${b.id}/results`}>{b.resultsPublishedAt ? t('console.budgets.tab.results') : t('console.budgets.toPublish')}</a></p>
            )}
          </li>
        ))}
      </ul>
    );
  }
  return (
    <section>
      <h1>{t('console.budgets.title')}</h1>
      <p class="actions">
        <a class="button" href="/console/budgets/new">{t('console.budgets.create')}</a>{' '}
        <a class="button" href="/console/budgets/import">{t('console.budgets.import')}</a>
      </p>
      {body}
    </section>
  );
}
