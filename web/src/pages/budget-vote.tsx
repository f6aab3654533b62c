import { call } from '../api.ts';
import { person, signInHref } from '../auth.ts';
import { t } from '../i18n.ts';
import { useLoad } from '../load.ts';
import { LoadError, Loading, useTitle } from './common.tsx';
import { Ballot } from './school-vote.tsx';

/** A resident's secret ballot in a city budget, with the rules' limits shown and checked live. */
export function BudgetVotePage({ id }: { id: string }) {
  useTitle(t('budget.title'));
  const me = person.value;
  const [budget, retryBudget] = useLoad(`budget:${id}`, () => call('getBudget', { params: { id } }));
  const [projects, retryProjects] = useLoad(`projects:${id}`, () => call('listBudgetProjects', { params: { id } }));
  let body;
  if (budget.state === 'loading' || projects.state === 'loading') body = <Loading />;
  else if (!budget.result.ok) body = <LoadError result={budget.result} retry={retryBudget} />;
  else if (!projects.result.ok) body = <LoadError result={projects.result} retry={retryProjects} />;
  else if (budget.result.data.eligibility.method === 'school-code') body = <p class="notice">{t('budget.accountOnly')}</p>;
  else if (budget.result.data.phase !== 'voting') body = <p class="notice">{t('school.notVoting')}</p>;
  else if (!me) body = <p><a class="button" href={signInHref(`/budgets/${id}/vote`)}>{t('budget.signIn')}</a></p>;
  else body = <Ballot budget={budget.result.data} projects={projects.result.data.items.filter((p) => p.status === 'admitted')} voter={{ kind: 'account' }} />;
  return (
    <section>
      <h1>{budget.state === 'done' && budget.result.ok ? budget.result.data.title : t('budget.title')}</h1>
      <p>{t('budget.intro')}</p>
      {body}
    </section>
  );
}
