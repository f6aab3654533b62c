import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { person, signInHref } from '../auth.ts';
import { addMessages, t } from '../i18n.ts';
import { consoleEn } from './messages/en.ts';
import { consoleUk } from './messages/uk.ts';
import { location$ } from '../router.ts';
import { useTitle } from '../pages/common.tsx';
import { consoleRoutes, matchConsole } from './routes.ts';

// The console's texts come with its code: a citizen's page never downloads them.
addMessages({ uk: consoleUk, en: consoleEn });

/** The staff console: role-aware navigation and the page for the path, each page loaded on demand. */
export function ConsolePage() {
  const { path, search } = location$.value;
  const me = person.value;
  const found = matchConsole(path);
  const [Page, setPage] = useState<{ path: string; component: ComponentType<Record<string, string>> } | null>(null);
  useEffect(() => {
    let current = true;
    if (found && me && found.route.roles.some((r) => me.roles.includes(r))) {
      found.route.load().then((component) => {
        if (current) setPage({ path, component });
      });
    }
    return () => {
      current = false;
    };
  }, [path, me?.sub]);
  useTitle(t('console.title'));

  if (!me) {
    return (
      <section>
        <h1>{t('console.title')}</h1>
        <p><a class="button" href={signInHref(path + search)}>{t('nav.signIn')}</a></p>
      </section>
    );
  }
  const mine = consoleRoutes.filter((r) => r.nav && r.roles.some((role) => me.roles.includes(role)));
  // The current section: the longest nav entry the path is in (/council/audit is not /council).
  const current = mine
    .map((r) => r.nav!.href)
    .filter((href) => path === href || path.startsWith(`${href}/`))
    .sort((a, b) => b.length - a.length)[0];
  let body;
  if (!found) body = <p>{t('common.notFound')}</p>;
  else if (!found.route.roles.some((r) => me.roles.includes(r))) body = <p class="notice" role="alert">{t('console.forbidden')}</p>;
  else if (!Page || Page.path !== path) body = <p class="muted" role="status">{t('common.loading')}</p>;
  else body = <Page.component {...found.props} />;
  return (
    <div class="console">
      {mine.length > 0 && (
        <nav aria-label={t('console.nav.label')} class="console-nav">
          <ul>
            {mine.map((r) => (
              <li key={r.nav!.href}>
                <a href={r.nav!.href} aria-current={r.nav!.href === current ? 'page' : undefined}>{t(r.nav!.label)}</a>
              </li>
            ))}
          </ul>
        </nav>
      )}
      {body}
    </div>
  );
}
