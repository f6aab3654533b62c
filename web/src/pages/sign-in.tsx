import { authMode } from '../auth.ts';
import { t } from '../i18n.ts';
import { location$ } from '../router.ts';
import { useTitle } from './common.tsx';

/** Ready people to sign in as on this machine (the local runtime's /dev/sign-in mints their tokens). */
const personas = [
  { sub: 'olena', name: 'Олена Коваль', birthdate: '1988-04-12', email: 'olena@example.org' },
  { sub: 'taras', name: 'Тарас Мельник', birthdate: '1995-09-30', email: 'taras@example.org' },
  { sub: 'iryna', name: 'Ірина Бондар', birthdate: '1962-01-05', email: 'iryna@example.org' },
];

/** Only app paths: an open redirect is refused by the server too. */
const safeNext = (next: string | null) => (next && /^\/(?![/\\])/.test(next) ? next : '/');

export function SignInPage() {
  useTitle(t('signIn.title'));
  const next = safeNext(new URLSearchParams(location$.value.search).get('next'));
  if (authMode !== 'local') {
    // Cognito's managed login (authorization code + PKCE) is configured per deployment.
    return <section><h1>{t('signIn.title')}</h1></section>;
  }
  return (
    <section>
      <h1>{t('signIn.title')}</h1>
      <p>{t('signIn.intro')}</p>
      <ul class="personas">
        {personas.map((p) => {
          const query = new URLSearchParams({ sub: p.sub, roles: 'citizen', community: 'ternopil', birthdate: p.birthdate, name: p.name, email: p.email, next });
          return <li key={p.sub}><a class="button secondary" href={`/dev/sign-in?${query}`}>{t('signIn.as', { name: p.name })}</a></li>;
        })}
      </ul>
    </section>
  );
}
