import { useState } from 'preact/hooks';
import { call } from '../api.ts';
import { formatDate, t } from '../i18n.ts';
import { readReceipts, type KeptReceipt } from '../receipts-store.ts';
import { useTitle } from './common.tsx';

type Lookup =
  | { kind: 'idle' }
  | { kind: 'finding' }
  | { kind: 'found'; projects: string[] }
  | { kind: 'error'; message: string };

/** One kept receipt, and the ballot it finds among those cast (anonymous: receipt and choices only). */
function ReceiptItem({ kept }: { kept: KeptReceipt }) {
  const [lookup, setLookup] = useState<Lookup>({ kind: 'idle' });
  async function find() {
    setLookup({ kind: 'finding' });
    const [ballots, projects] = await Promise.all([
      call('listBudgetBallots', { params: { id: kept.budgetId }, query: { receipt: kept.receipt } }),
      call('listBudgetProjects', { params: { id: kept.budgetId } }),
    ]);
    if (!ballots.ok) {
      if ('offline' in ballots) return setLookup({ kind: 'error', message: t('common.offlineNoCopy') });
      return setLookup({ kind: 'error', message: ballots.status === 404 ? t('receipts.notFound') : (ballots.problem.detail ?? ballots.problem.title) });
    }
    const ballot = ballots.data.items[0];
    if (!ballot) return setLookup({ kind: 'error', message: t('receipts.notFound') });
    const titles = new Map(projects.ok ? projects.data.items.map((p) => [p.id, p.title]) : []);
    setLookup({ kind: 'found', projects: ballot.projects.map((id) => titles.get(id) ?? id) });
  }
  return (
    <li class="card">
      <h2><a href={`/budgets/${kept.budgetId}`}>{kept.budgetTitle ?? t('receipts.budget')}</a></h2>
      <p>{t('school.receipt')}: <strong class="receipt">{kept.receipt}</strong></p>
      <p class="muted">{t('receipts.savedOn', { date: formatDate(kept.savedAt) })}</p>
      <button type="button" class="secondary" onClick={find} disabled={lookup.kind === 'finding'}>
        {lookup.kind === 'finding' ? t('receipts.finding') : t('receipts.find')}
      </button>
      <div role="status">
        {lookup.kind === 'found' && (
          <div class="notice success">
            <p>{t('receipts.found')}</p>
            <ul>{lookup.projects.map((title) => <li key={title}>{title}</li>)}</ul>
          </div>
        )}
        {lookup.kind === 'error' && <p class="notice error">{lookup.message}</p>}
      </div>
    </li>
  );
}

/** The receipts kept on this device, newest first, each able to find its ballot. */
export function ReceiptsPage() {
  useTitle(t('receipts.title'));
  const kept = readReceipts().reverse();
  return (
    <section aria-labelledby="receipts-title">
      <h1 id="receipts-title">{t('receipts.title')}</h1>
      <p>{t('receipts.intro')}</p>
      {kept.length === 0 ? <p>{t('receipts.empty')}</p> : <ul class="hits">{kept.map((r) => <ReceiptItem key={`${r.budgetId}:${r.receipt}`} kept={r} />)}</ul>}
    </section>
  );
}
