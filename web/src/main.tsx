import { render } from 'preact';
import type { ComponentType } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { online } from './net.ts';
import './styles.css';
import { person, setToken, signInHref, takeTokenFromUrl } from './auth.ts';
import { lang, prepareFormatters, setLanguage, t } from './i18n.ts';
import { location$, match, startRouter } from './router.ts';
import { consoleRoutes } from './console/routes.ts';
import { PetitionsPage } from './pages/petitions.tsx';
import { PetitionPage } from './pages/petition.tsx';
import { NewPetitionPage } from './pages/new-petition.tsx';
import { SignInPage } from './pages/sign-in.tsx';
import { AuthCallbackPage } from './pages/auth-callback.tsx';


/** The current path starts with one of these sections (the link's aria-current). */
const current = (path: string, ...prefixes: string[]) => (prefixes.some((p) => path === p || path.startsWith(`${p}/`)) ? 'page' : undefined);

function Header() {
  const me = person.value;
  const here = location$.value.path + location$.value.search;
  const path = location$.value.path;
  const other = lang.value === 'uk' ? 'en' : 'uk';
  // Staff get a way into their console: its first page their roles open (the console's code loads only there).
  const staffHome = me ? consoleRoutes.find((r) => r.nav && r.roles.some((role) => me.roles.includes(role)))?.nav?.href : undefined;
  return (
    <header class="top">
      <div class="row">
        <a class="brand" href="/">{t('app.name')}</a>
        <button type="button" class="link lang" lang={other} aria-label={t('lang.switchLabel')} onClick={() => setLanguage(other)}>{t('lang.switch')}</button>
      </div>
      <nav aria-label={t('nav.main')}>
        <ul>
          <li><a href="/petitions" aria-current={location$.value.path.startsWith('/petitions') && location$.value.path !== '/petitions/new' ? 'page' : undefined}>{t('nav.petitions')}</a></li>
          <li><a href="/consultations" aria-current={current(path, '/consultations')}>{t('nav.consultations')}</a></li>
          <li><a href="/budgets" aria-current={current(path, '/budgets', '/receipts')}>{t('nav.budgets')}</a></li>
          <li><a href="/search" aria-current={current(path, '/search')}>{t('nav.search')}</a></li>
          <li><a href="/petitions/new" aria-current={location$.value.path === '/petitions/new' ? 'page' : undefined}>{t('nav.newPetition')}</a></li>
          {me && <li><a href="/me/petitions" aria-current={current(path, '/me/petitions')}>{t('nav.myPetitions')}</a></li>}
          {me && <li><a href="/me/notifications" aria-current={current(path, '/me/notifications')}>{t('notify.nav')}</a></li>}
          {staffHome && <li><a href={staffHome} aria-current={match(location$.value.path).page === 'console' ? 'page' : undefined}>{t('nav.console')}</a></li>}
          <li>
            {me
              ? <button type="button" class="link" onClick={() => setToken(null)} title={t('nav.signedInAs', { name: me.name })}>{t('nav.signOut')}</button>
              : <a href={signInHref(here)}>{t('nav.signIn')}</a>}
          </li>
        </ul>
      </nav>
    </header>
  );
}

/** A page loaded on demand: students' voting, consultations, budgets are not code a petition page downloads. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function Lazy<P extends Record<string, any>>({ load, props }: { load: () => Promise<ComponentType<P>>; props?: P }) {
  const [Component, setComponent] = useState<ComponentType<P> | null>(null);
  useEffect(() => {
    load().then((c) => setComponent(() => c));
  }, [load]);
  return Component ? <Component {...(props ?? ({} as P))} /> : <p class="muted" role="status">{t('common.loading')}</p>;
}
const loadSearch = () => import('./pages/search.tsx').then((m) => m.SearchPage);
const loadMyPetitions = () => import('./pages/my-petitions.tsx').then((m) => m.MyPetitionsPage);
const loadConsultations = () => import('./pages/consultations.tsx').then((m) => m.ConsultationsPage);
const loadConsultation = () => import('./pages/consultation.tsx').then((m) => m.ConsultationPage);
const loadBudgets = () => import('./pages/budgets.tsx').then((m) => m.BudgetsPage);
const loadBudget = () => import('./pages/budgets.tsx').then((m) => m.BudgetPage);
const loadNotifications = () => import('./pages/notifications.tsx').then((m) => m.NotificationsPage);
const loadReceipts = () => import('./pages/receipts.tsx').then((m) => m.ReceiptsPage);
const loadSchoolVote = () => import('./pages/school-vote.tsx').then((m) => m.SchoolVotePage);
/** The staff console: its own chunk, never part of a citizen's page. */
const loadConsole = () => import('./console/index.tsx').then((m) => m.ConsolePage);
const budgetVotePages = new Map<string, () => Promise<ComponentType>>();
/** One loader per budget, so the lazy page is not reloaded on every render. */
const loadBudgetVote = (id: string) => {
  let load = budgetVotePages.get(id);
  if (!load) budgetVotePages.set(id, (load = () => import('./pages/budget-vote.tsx').then((m) => () => <m.BudgetVotePage id={id} />)));
  return load;
};

function Page() {
  const { path } = location$.value;
  const m = match(path);
  switch (m.page) {
    case 'petitions': return <PetitionsPage />;
    case 'petition': return <PetitionPage id={m.id} />;
    case 'new-petition': return <NewPetitionPage />;
    case 'school-vote': return <Lazy load={loadSchoolVote} />;
    case 'budget-vote': return <Lazy load={loadBudgetVote(m.id)} />;
    case 'console': return <Lazy load={loadConsole} />;
    case 'search': return <Lazy load={loadSearch} />;
    case 'my-petitions': return <Lazy load={loadMyPetitions} />;
    case 'consultations': return <Lazy load={loadConsultations} />;
    case 'consultation': return <Lazy load={loadConsultation} props={{ id: m.id }} />;
    case 'budgets': return <Lazy load={loadBudgets} />;
    case 'budget': return <Lazy load={loadBudget} props={{ id: m.id }} />;
    case 'receipts': return <Lazy load={loadReceipts} />;
    case 'notifications': return <Lazy load={loadNotifications} />;
    case 'sign-in': return <SignInPage />;
    case 'auth-callback': return <AuthCallbackPage />;
    default:
      return (
        <section>
          <h1>{t('common.notFound')}</h1>
          <p><a href="/">{t('common.home')}</a></p>
        </section>
      );
  }
}

function App() {
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  const path = location$.value.path;
  useEffect(() => {
    // After an in-app navigation, screen readers and keyboards start at the new page's content.
    if (first.current) first.current = false;
    else main.current?.focus();
  }, [path]);
  useEffect(() => {
    document.documentElement.lang = lang.value;
  }, [lang.value]);
  return (
    <>
      <a class="skip" href="#main">{t('app.skip')}</a>
      <Header />
      {!online.value && <p class="banner" role="status">{t('common.offline')}</p>}
      <main id="main" tabIndex={-1} ref={main}>
        <Page />
      </main>
    </>
  );
}

performance.mark('hromada:app');
takeTokenFromUrl();
startRouter();
render(<App />, document.getElementById('app')!);
// The first render shows a page waiting for its data: meanwhile, what its next render formats with.
setTimeout(() => prepareFormatters(), 0);

if ('serviceWorker' in navigator && location.protocol !== 'file:') {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch(() => undefined);
  });
}
