import { signal } from '@preact/signals';
import { dropPrefetched } from './api.ts';

/** A small client-side router: the address is the state; links inside the app do not reload. */
export const location$ = signal({ path: window.location.pathname, search: window.location.search });

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const url = new URL(to, window.location.origin);
  if (options.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  // Answers the boot script fetched were for the page it saw, not for the next one.
  dropPrefetched();
  location$.value = { path: url.pathname, search: url.search };
  window.scrollTo(0, 0);
}

/** Paths the server answers itself (sign-in hand-over, API): never routed in the app. */
const serverPaths = /^\/(v1|dev)\//;

export function startRouter(): void {
  window.addEventListener('popstate', () => {
    dropPrefetched();
    location$.value = { path: window.location.pathname, search: window.location.search };
  });
  document.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = (event.target as Element | null)?.closest('a');
    if (!anchor || anchor.target || anchor.hasAttribute('download')) return;
    const url = new URL(anchor.href, window.location.href);
    if (url.origin !== window.location.origin || serverPaths.test(url.pathname)) return;
    event.preventDefault();
    navigate(url.pathname + url.search);
  });
}

export type Match = { page: 'petitions' } | { page: 'petition'; id: string } | { page: 'new-petition' } | { page: 'school-vote' } | { page: 'sign-in' } | { page: 'auth-callback' } | { page: 'budget-vote'; id: string } | { page: 'console' }
  | { page: 'search' } | { page: 'my-petitions' } | { page: 'consultations' } | { page: 'consultation'; id: string }
  | { page: 'budgets' } | { page: 'budget'; id: string } | { page: 'receipts' } | { page: 'notifications' } | { page: 'not-found' };

const uuid = '([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})';

export function match(path: string): Match {
  if (path === '/' || path === '/petitions') return { page: 'petitions' };
  if (path === '/petitions/new') return { page: 'new-petition' };
  const petition = /^\/petitions\/([0-9a-f-]{36})$/i.exec(path);
  if (petition?.[1]) return { page: 'petition', id: petition[1] };
  if (path === '/school-vote') return { page: 'school-vote' };
  const budget = /^\/budgets\/([0-9a-f-]{36})\/vote$/i.exec(path);
  if (budget?.[1]) return { page: 'budget-vote', id: budget[1] };
  if (path === '/search') return { page: 'search' };
  if (path === '/me/petitions') return { page: 'my-petitions' };
  if (path === '/me/notifications') return { page: 'notifications' };
  if (path === '/consultations') return { page: 'consultations' };
  const consultation = new RegExp(`^/consultations/${uuid}$`, 'i').exec(path);
  if (consultation?.[1]) return { page: 'consultation', id: consultation[1] };
  if (path === '/budgets') return { page: 'budgets' };
  const budgetPage = new RegExp(`^/budgets/${uuid}$`, 'i').exec(path);
  if (budgetPage?.[1]) return { page: 'budget', id: budgetPage[1] };
  if (path === '/receipts') return { page: 'receipts' };
  if (/^\/(council|moderation|console)(\/|$)/.test(path)) return { page: 'console' };
  if (path === '/sign-in') return { page: 'sign-in' };
  if (path === '/auth/callback') return { page: 'auth-callback' };
  return { page: 'not-found' };
}
