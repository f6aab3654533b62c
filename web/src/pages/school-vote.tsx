import { AskResult } from '../ui/notify.tsx';
import { useState } from 'preact/hooks';
import { readCode } from '#shared/domain/budget-process/codes.ts';
import { validateBallot, projectCountLimits, type BallotRules, type BallotViolation } from '#shared/domain/budget/ballot.ts';
import { call, type Budget, type BudgetProject, type Receipt } from '../api.ts';
import { formatMoney, t } from '../i18n.ts';
import { useLoad } from '../load.ts';
import { keepReceipt } from '../receipts-store.ts';
import { location$ } from '../router.ts';
import { LoadError, Loading, useTitle } from './common.tsx';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One ballot id per (budget, code) on this device, so a resend is the same ballot, never a second one. */
function ballotIdFor(budgetId: string, code: string): string {
  const key = `hromada.ballot:${budgetId}:${code}`;
  try {
    const existing = sessionStorage.getItem(key);
    if (existing) return existing;
    const id = crypto.randomUUID();
    sessionStorage.setItem(key, id);
    return id;
  } catch {
    return crypto.randomUUID();
  }
}

function ruleMessage(rule: BallotViolation, rules: BallotRules): string {
  const limits = projectCountLimits(rules);
  switch (rule) {
    case 'too-many-projects':
    case 'too-many-in-category':
      return t('school.tooMany', { max: limits.max });
    case 'too-few-projects':
    case 'too-few-in-category':
      return t('school.tooFew', { min: limits.min });
    case 'over-cost-limit':
      return t('school.overMoney');
    default:
      return t('common.error');
  }
}

const costOf = (p: BudgetProject) => p.finalCost ?? p.cost;

type Voter = { kind: 'code'; initialCode: string } | { kind: 'account' };

/** Category limits of an approval ballot, as chosen / allowed (Ternopil: one large and one small project). */
function categoryLimits(rules: BallotRules): [string, { min?: number; max?: number }][] {
  return rules.type === 'approval' && rules.perCategory ? Object.entries(rules.perCategory) : [];
}

export function Ballot({ budget, projects, voter }: { budget: Budget; projects: BudgetProject[]; voter: Voter }) {
  const [code, setCode] = useState(voter.kind === 'code' ? voter.initialCode : '');
  const [chosen, setChosen] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [codeError, setCodeError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const [notify, setNotify] = useState(false);
  const rules = budget.ballotRules as BallotRules;
  const limits = projectCountLimits(rules);
  const single = limits.max === 1;
  const spent = chosen.reduce((sum, id) => sum + costOf(projects.find((p) => p.id === id)!), 0);
  const cap = rules.type === 'knapsack' ? rules.maxTotalCost : budget.money.total;
  // With a maximum in every category, no more than their sum can be chosen.
  const perCategory = categoryLimits(rules);
  const categoryMax = perCategory.length && perCategory.every(([, l]) => l.max !== undefined) ? perCategory.reduce((sum, [, l]) => sum + l.max!, 0) : undefined;

  if (receipt) {
    return (
      <div class="notice success" role="status">
        <h2>{t('school.receiptTitle')}</h2>
        <p>{t('school.receipt')}: <strong class="receipt">{receipt.receipt}</strong></p>
        <p class="muted">{t('school.receiptHint')}</p>
        <p><a href="/receipts">{t('budgets.myReceipts')}</a></p>
      </div>
    );
  }

  function toggle(id: string, on: boolean) {
    setError(null);
    setChosen((list) => (single ? (on ? [id] : []) : on ? [...list, id] : list.filter((x) => x !== id)));
  }

  async function vote(event: Event) {
    event.preventDefault();
    const checked = voter.kind === 'code' ? readCode(code) : ({ ok: true, code: '' } as const);
    if (!checked.ok) return setCodeError(checked.code === 'code-mistyped' ? t('school.codeMistyped') : t('school.codeMalformed'));
    setCodeError(null);
    const ballot = { projects: chosen };
    const validation = validateBallot(rules, projects.map((p) => ({ id: p.id, cost: costOf(p), ...(p.category ? { category: p.category } : {}) })), ballot);
    if (!validation.ok) return setError(ruleMessage(validation.rule, rules));
    if (spent > cap) return setError(t('school.overMoney'));
    if (!navigator.onLine) return setError(t('school.needsConnection'));
    setSending(true);
    // The same ballotId on a resend: the API answers with the same receipt, never a second ballot.
    const result = voter.kind === 'code'
      ? await call('castBudgetCodeBallot', { params: { id: budget.id }, body: { code: checked.code, ballotId: ballotIdFor(budget.id, checked.code), ballot }, retries: 3 })
      : await call('castBudgetBallot', { params: { id: budget.id }, body: { ballotId: ballotIdFor(budget.id, 'account'), ballot, ...(notify ? { notify: true } : {}) }, retries: 3 });
    setSending(false);
    if (result.ok) {
      keepReceipt(result.data, budget.title);
      setReceipt(result.data);
    } else if ('offline' in result) setError(t('school.needsConnection'));
    else setError(result.problem.detail ?? result.problem.title);
  }

  return (
    <form onSubmit={vote} noValidate>
      {voter.kind === 'code' && (
        <>
          <label for="code">{t('school.codeLabel')}</label>
          <input id="code" name="code" value={code} autoComplete="off" autoCapitalize="characters" spellcheck={false}
            aria-describedby="code-hint" aria-invalid={codeError ? 'true' : undefined} onInput={(e) => { setCode(e.currentTarget.value); setCodeError(null); }} />
          <p id="code-hint" class="hint">{t('school.codeHint')}</p>
          {codeError && <p class="notice error" role="alert">{codeError}</p>}
        </>
      )}
      <fieldset>
        <legend>{t('school.projects')}</legend>
        <p class="hint">{t('school.choose', { count: Math.min(limits.max, categoryMax ?? Infinity, projects.length) })}</p>
        {projects.length === 0 && <p>{t('school.noProjects')}</p>}
        {projects.map((p) => (
          <div class="choice" key={p.id}>
            <input type={single ? 'radio' : 'checkbox'} name="project" id={`p-${p.id}`} value={p.id} checked={chosen.includes(p.id)}
              onChange={(e) => toggle(p.id, e.currentTarget.checked)} aria-describedby={`p-${p.id}-cost`} />
            <label for={`p-${p.id}`}>
              <strong>{p.title}</strong>
              {p.category && <span class="muted">{budget.money.categories.find((c) => c.id === p.category)?.name ?? p.category}</span>}
              {p.description && <span class="desc">{p.description}</span>}
              <span id={`p-${p.id}-cost`} class="muted">{t('school.cost', { money: formatMoney(costOf(p), budget.money.currency) })}</span>
            </label>
          </div>
        ))}
      </fieldset>
      <div class="live" role="status">
        <p>{t('school.chosen', { count: chosen.length })} · {t('school.left', { money: formatMoney(cap - spent, budget.money.currency) })}</p>
        {categoryLimits(rules).length > 0 && (
          <ul>
            {categoryLimits(rules).map(([id, limit]) => {
              const n = chosen.filter((c) => projects.find((p) => p.id === c)?.category === id).length;
              const name = budget.money.categories.find((c) => c.id === id)?.name ?? id;
              return <li key={id}>{t('budget.categoryChosen', { name, count: n, max: limit.max ?? '∞' })}</li>;
            })}
          </ul>
        )}
      </div>
      {voter.kind === 'account' && <AskResult checked={notify} onChange={setNotify} secret />}
      {error && <p class="notice error" role="alert">{error}</p>}
      <button type="submit" class="primary" disabled={sending}>{sending ? t('school.voting') : t('school.vote')}</button>
    </form>
  );
}

export function SchoolVotePage() {
  useTitle(t('school.title'));
  const query = new URLSearchParams(location$.value.search);
  const budgetId = query.get('budget') ?? '';
  const code = query.get('code') ?? '';
  const valid = uuidPattern.test(budgetId);
  const [budget, retryBudget] = useLoad(`budget:${budgetId}`, () => (valid ? call('getBudget', { params: { id: budgetId } }) : Promise.resolve({ ok: false, status: 0, offline: true } as const)));
  const [projects, retryProjects] = useLoad(`projects:${budgetId}`, () => (valid ? call('listBudgetProjects', { params: { id: budgetId } }) : Promise.resolve({ ok: false, status: 0, offline: true } as const)));
  let body;
  if (!valid) body = <p class="notice error" role="alert">{t('school.missing')}</p>;
  else if (budget.state === 'loading' || projects.state === 'loading') body = <Loading />;
  else if (!budget.result.ok) body = <LoadError result={budget.result} retry={retryBudget} />;
  else if (!projects.result.ok) body = <LoadError result={projects.result} retry={retryProjects} />;
  else if (budget.result.data.phase !== 'voting') body = <p class="notice">{t('school.notVoting')}</p>;
  else {
    const onBallot = projects.result.data.items.filter((p) => p.status === 'admitted');
    body = <Ballot budget={budget.result.data} projects={onBallot} voter={{ kind: 'code', initialCode: code }} />;
  }
  return (
    <section>
      <h1>{budget.state === 'done' && budget.result.ok ? budget.result.data.title : t('school.title')}</h1>
      <p>{t('school.intro')}</p>
      {body}
    </section>
  );
}
