import { useState } from 'preact/hooks';
import { call } from '../api.ts';
import { formatDate, t } from '../i18n.ts';
import { useLoad } from '../load.ts';
import { readReceipts, type KeptReceipt } from '../receipts-store.ts';
import { useTitle } from './common.tsx';

type Lookup =
  | { kind: 'idle' }
  | { kind: 'finding' }
  | { kind: 'found'; projects: string[] }
  | { kind: 'error'; message: string };

/** Finds the anonymous ballot with this receipt in a budget, with its projects' titles. */
async function findBallot(budgetId: string, receipt: string): Promise<Lookup> {
  const [ballots, projects] = await Promise.all([
    call('listBudgetBallots', { params: { id: budgetId }, query: { receipt } }),
    call('listBudgetProjects', { params: { id: budgetId } }),
  ]);
  if (!ballots.ok) {
    if ('offline' in ballots) return { kind: 'error', message: t('common.offlineNoCopy') };
    return { kind: 'error', message: ballots.status === 404 ? t('receipts.notFound') : (ballots.problem.detail ?? ballots.problem.title) };
  }
  const ballot = ballots.data.items[0];
  if (!ballot) return { kind: 'error', message: t('receipts.notFound') };
  const titles = new Map(projects.ok ? projects.data.items.map((p) => [p.id, p.title]) : []);
  return { kind: 'found', projects: ballot.projects.map((id) => titles.get(id) ?? id) };
}

function Found({ lookup }: { lookup: Lookup }) {
  return (
    <div role="status">
      {lookup.kind === 'found' && (
        <div class="notice success">
          <p>{t('receipts.found')}</p>
          <ul>{lookup.projects.map((title) => <li key={title}>{title}</li>)}</ul>
        </div>
      )}
      {lookup.kind === 'error' && <p class="notice error">{lookup.message}</p>}
    </div>
  );
}

/** One kept receipt, and the ballot it finds among those cast (anonymous: receipt and choices only). */
function ReceiptItem({ kept }: { kept: KeptReceipt }) {
  const [lookup, setLookup] = useState<Lookup>({ kind: 'idle' });
  async function find() {
    setLookup({ kind: 'finding' });
    setLookup(await findBallot(kept.budgetId, kept.receipt));
  }
  return (
    <li class="card">
      <h2><a href={`/budgets/${kept.budgetId}`}>{kept.budgetTitle ?? t('receipts.budget')}</a></h2>
      <p>{t('school.receipt')}: <strong class="receipt">{kept.receipt}</strong></p>
      <p class="muted">{t('receipts.savedOn', { date: formatDate(kept.savedAt) })}</p>
      <button type="button" class="secondary" onClick={find} disabled={lookup.kind === 'finding'}>
        {lookup.kind === 'finding' ? t('receipts.finding') : t('receipts.find')}
      </button>
      <Found lookup={lookup} />
    </li>
  );
}

/** A receipt from elsewhere (another device, a photo of the screen): the budget and the number typed in. */
function FindByNumber() {
  const [budgets] = useLoad('receipts:budgets', () => call('listBudgets', { query: { limit: 50 } }));
  const [budgetId, setBudgetId] = useState('');
  const [receipt, setReceipt] = useState('');
  const [lookup, setLookup] = useState<Lookup>({ kind: 'idle' });
  const list = budgets.state === 'done' && budgets.result.ok ? budgets.result.data.items.filter((b) => b.phase === 'voting' || b.phase === 'results' || b.phase === 'implementation') : [];
  async function submit(event: Event) {
    event.preventDefault();
    const id = budgetId || list[0]?.id;
    if (!id || !receipt.trim()) return setLookup({ kind: 'error', message: t('receipts.notFound') });
    setLookup({ kind: 'finding' });
    setLookup(await findBallot(id, receipt.trim()));
  }
  if (list.length === 0) return null;
  return (
    <section aria-labelledby="find-title">
      <h2 id="find-title">{t('receipts.byNumber')}</h2>
      <form onSubmit={submit} noValidate>
        <label for="receipt-budget">{t('receipts.budget')}</label>
        <select id="receipt-budget" value={budgetId || list[0]?.id} onChange={(e) => setBudgetId(e.currentTarget.value)}>
          {list.map((b) => <option key={b.id} value={b.id}>{b.title}</option>)}
        </select>
        <label for="receipt-number">{t('school.receipt')}</label>
        <input id="receipt-number" value={receipt} autoComplete="off" autoCapitalize="characters" spellcheck={false} maxLength={300}
          onInput={(e) => setReceipt(e.currentTarget.value)} />
        <p><button type="submit" class="secondary" disabled={lookup.kind === 'finding'}>{lookup.kind === 'finding' ? t('receipts.finding') : t('receipts.find')}</button></p>
      </form>
      <Found lookup={lookup} />
    </section>
  );
}

/** The receipts kept on this device, newest first, each able to find its ballot; or one typed in. */
export function ReceiptsPage() {
  useTitle(t('receipts.title'));
  const kept = readReceipts().reverse();
  return (
    <section aria-labelledby="receipts-title">
      <h1 id="receipts-title">{t('receipts.title')}</h1>
      <p>{t('receipts.intro')}</p>
      {kept.length === 0 ? <p>{t('receipts.empty')}</p> : <ul class="hits">{kept.map((r) => <ReceiptItem key={`${r.budgetId}:${r.receipt}`} kept={r} />)}</ul>}
      <FindByNumber />
    </section>
  );
}
