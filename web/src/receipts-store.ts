import type { Receipt } from './api.ts';

/**
 * Ballot receipts kept on this device (localStorage): they say nothing of who voted, and let the
 * voter find their own ballot among the published ones later. The newest 50 are kept.
 */
const RECEIPTS_KEY = 'hromada.receipts';

export interface KeptReceipt {
  budgetId: string;
  receipt: string;
  verifyAt: string;
  savedAt: string;
  /** The budget's title when the ballot was cast (shown in the list; older entries may lack it). */
  budgetTitle?: string;
}

export function readReceipts(): KeptReceipt[] {
  try {
    const list = JSON.parse(localStorage.getItem(RECEIPTS_KEY) ?? '[]') as unknown;
    if (!Array.isArray(list)) return [];
    return list.filter((r): r is KeptReceipt => typeof r === 'object' && r !== null && typeof (r as KeptReceipt).budgetId === 'string' && typeof (r as KeptReceipt).receipt === 'string');
  } catch {
    return [];
  }
}

export function keepReceipt(receipt: Receipt, budgetTitle?: string): void {
  try {
    // A resend answers with the same receipt: kept once.
    const list = readReceipts().filter((r) => !(r.budgetId === receipt.budgetId && r.receipt === receipt.receipt));
    list.push({ budgetId: receipt.budgetId, receipt: receipt.receipt, verifyAt: receipt.verifyAt, savedAt: new Date().toISOString(), ...(budgetTitle ? { budgetTitle } : {}) });
    localStorage.setItem(RECEIPTS_KEY, JSON.stringify(list.slice(-50)));
  } catch {
    // shown on screen anyway
  }
}
