import { call } from '../api.ts';
import { formatDate, t } from '../i18n.ts';
import { useLoad } from '../load.ts';
import { location$ } from '../router.ts';
import { LoadError, Loading, useTitle } from './common.tsx';

const states = ['open', 'upcoming', 'closed'] as const;
type State = (typeof states)[number];

/** Consultations and polls of the community, by state, with how many are in each. */
export function ConsultationsPage() {
  useTitle(t('consult.title'));
  const requested = new URLSearchParams(location$.value.search).get('status');
  const state: State = (states as readonly string[]).includes(requested ?? '') ? (requested as State) : 'open';
  const [loaded, retry] = useLoad(`consultations:${state}`, () => call('listConsultations', { query: { status: state, limit: 50 } }));
  const counts = loaded.state === 'done' && loaded.result.ok ? loaded.result.data.counts : null;
  return (
    <section aria-labelledby="consultations-title">
      <h1 id="consultations-title">{t('consult.title')}</h1>
      <p>{t('consult.intro')}</p>
      <nav aria-label={t('consult.state.label')} class="tabs">
        <ul>
          {states.map((s) => (
            <li key={s}>
              <a href={`/consultations?status=${s}`} aria-current={s === state ? 'page' : undefined}>
                {counts ? t('petitions.stateCount', { state: t(`consult.state.${s}`), count: counts[s] }) : t(`consult.state.${s}`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {loaded.state === 'loading' ? <Loading /> : !loaded.result.ok ? <LoadError result={loaded.result} retry={retry} /> : loaded.result.data.items.length === 0
        ? <p>{t('consult.empty')}</p>
        : (
          <div class="cards">
            {loaded.result.data.items.map((c) => (
              <article class="card" key={c.id}>
                <p class="status">{t(`consult.kind.${c.kind}`)}</p>
                <h2><a href={`/consultations/${c.id}`}>{c.title}</a></h2>
                <p class="muted">
                  {c.status === 'open' ? t('consult.closesOn', { date: formatDate(c.closesAt) })
                    : c.status === 'upcoming' ? t('consult.opensOn', { date: formatDate(c.opensAt) })
                      : t('consult.closedOn', { date: formatDate(c.closesAt) })}
                </p>
              </article>
            ))}
          </div>
        )}
    </section>
  );
}
