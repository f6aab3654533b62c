import { useEffect, useState } from 'preact/hooks';
import { authMode } from '../auth.ts';
import type { CognitoConfig } from '../cognito.ts';
import { t } from '../i18n.ts';
import { location$ } from '../router.ts';
import { useTitle } from './common.tsx';

/** Ready people to sign in as on this machine (the local runtime's /dev/sign-in mints their tokens). */
const personas = [
  { sub: 'olena', name: 'Олена Коваль', birthdate: '1988-04-12', email: 'olena@example.org', nationalId: '3234500011' },
  { sub: 'taras', name: 'Тарас Мельник', birthdate: '1995-09-30', email: 'taras@example.org', nationalId: '3476800022' },
  { sub: 'iryna', name: 'Ірина Бондар', birthdate: '1962-01-05', email: 'iryna@example.org', nationalId: '2272300033' },
];

/** Only app paths: an open redirect is refused by the server too. */
const safeNext = (next: string | null) => (next && /^\/(?![/\\])/.test(next) ? next : '/');

/** The deployment's sign-in settings (AWS), written beside the app as /config.json. */
export async function loadCognitoConfig(): Promise<CognitoConfig> {
  const response = await fetch('/config.json', { cache: 'no-cache' });
  const config = (await response.json()) as Partial<CognitoConfig>;
  if (!config.issuer || !config.clientId) throw new Error('/config.json names no issuer and client');
  return { issuer: config.issuer, clientId: config.clientId };
}

function CognitoSignIn({ next }: { next: string }) {
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    (async () => {
      const { startSignIn } = await import('../cognito.ts');
      await startSignIn(await loadCognitoConfig(), next);
    })().catch(() => setFailed(true));
  }, [next]);
  return failed ? <p class="notice error" role="alert">{t('signIn.failed')}</p> : <p role="status">{t('signIn.redirecting')}</p>;
}

export function SignInPage() {
  useTitle(t('signIn.title'));
  const next = safeNext(new URLSearchParams(location$.value.search).get('next'));
  if (authMode === 'cognito') {
    return <section><h1>{t('signIn.title')}</h1><CognitoSignIn next={next} /></section>;
  }
  return (
    <section>
      <h1>{t('signIn.title')}</h1>
      <p>{t('signIn.intro')}</p>
      <ul class="personas">
        {personas.map((p) => {
          const query = new URLSearchParams({ sub: p.sub, roles: 'citizen', community: 'ternopil', birthdate: p.birthdate, name: p.name, email: p.email, nationalId: p.nationalId, next });
          return <li key={p.sub}><a class="button secondary" href={`/dev/sign-in?${query}`}>{t('signIn.as', { name: p.name })}</a></li>;
        })}
      </ul>
    </section>
  );
}
