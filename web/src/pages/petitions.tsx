import { useRef, useState } from 'preact/hooks';
import { call, type Petition } from '../api.ts';
import { formatDate, t, timeLeft } from '../i18n.ts';
import { useLoad } from '../load.ts';
import { location$ } from '../router.ts';
import { LoadError, Loading, useTitle } from './common.tsx';

const sorts = ['newest', 'most-signed', 'ending-soon'] as const;
type Sort = (typeof sorts)[number];

/** Progress towards each threshold: a native progress bar with its numbers in words. */
export function Thresholds({ petition }: { petition: Petition }) {
  return (
    <ul class="thresholds">
      {petition.thresholds.map((th) => {
        const purpose = t(`petitions.purpose.${th.purpose}` as 'petitions.purpose.response');
        const label = t('petitions.progress', { count: petition.signatureCount, goal: th.signatures, purpose });
        return (
          <li key={th.signatures}>
            <span>{label}{th.reachedAt ? ` (${t('petitions.thresholdReached', { date: formatDate(th.reachedAt) })})` : ''}</span>
            <progress max={th.signatures} value={Math.min(petition.signatureCount, th.signatures)} aria-label={label} />
          </li>
        );
      })}
    </ul>
  );
}

export function PetitionCard({ petition }: { petition: Petition }) {
  return (
    <article class="card">
      <h2><a href={`/petitions/${petition.id}`}>{petition.title ?? t('petition.withheldTitle')}</a></h2>
      {petition.status !== 'open' && <p class="status">{t(`petitions.status.${petition.status}`)}</p>}
      {petition.status !== 'rejected' && <p class="count">{t('petitions.signatures', { count: petition.signatureCount })}</p>}
      {(petition.status === 'open' || petition.status === 'closed') && <Thresholds petition={petition} />}
      {petition.closesAt && petition.status === 'open' && <p class="muted">{t('petition.timeLeft', { time: timeLeft(petition.closesAt) })}</p>}
      {petition.response && (
        <p>{t('petitions.answeredOn', {
          date: formatDate(petition.response.decidedAt),
          decision: t(`petition.decision.${petition.response.decision}` as 'petition.decision.noted'),
        })}</p>
      )}
      {petition.status === 'rejected' && petition.rejection && <p class="muted">{t('petitions.rejectedBecause', { explanation: petition.rejection.explanation })}</p>}
    </article>
  );
}

const states = ['open', 'closed', 'answered', 'rejected'] as const;
type State = (typeof states)[number];
/** The orders the API offers for each state. */
const sortsOf: Record<State, readonly Sort[]> = { open: sorts, closed: ['newest', 'most-signed'], answered: ['newest'], rejected: ['newest'] };

const pick = <T extends string>(value: string | null, allowed: readonly T[], fallback: T): T => ((allowed as readonly string[]).includes(value ?? '') ? (value as T) : fallback);

export function PetitionsPage() {
  useTitle(t('petitions.title'));
  const query = new URLSearchParams(location$.value.search);
  const state = pick(query.get('status'), states, 'open');
  const sort = pick(query.get('sort'), sortsOf[state], 'newest');
  const [loaded, retry] = useLoad(`petitions:${state}:${sort}`, () => call('listPetitions', { query: { status: state, sort, limit: 20 } }));
  const [more, setMore] = useState<{ key: string; items: Petition[]; cursor: string | null; loading: boolean }>({ key: '', items: [], cursor: null, loading: false });
  const key = `${state}:${sort}`;
  const data = loaded.state === 'done' && loaded.result.ok ? loaded.result.data : null;
  // Counts come with the first page; kept while another state's list loads.
  const lastCounts = useRef<Record<State, number> | null>(null);
  if (data?.counts) lastCounts.current = data.counts;
  const counts = lastCounts.current;
  // Pages after the first, for this state and order only.
  const extra = more.key === key ? more : { key, items: [] as Petition[], cursor: data?.nextCursor ?? null, loading: false };
  const cursor = extra.cursor;
  const href = (s: State, o?: Sort) => `/petitions?status=${s}${o && o !== 'newest' ? `&sort=${o}` : ''}`;

  async function loadMore() {
    if (!cursor) return;
    setMore({ ...extra, loading: true });
    const result = await call('listPetitions', { query: { status: state, sort, limit: 20, cursor } });
    if (result.ok) setMore({ key, items: [...extra.items, ...result.data.items], cursor: result.data.nextCursor, loading: false });
    else setMore({ ...extra, loading: false });
  }

  return (
    <section aria-labelledby="petitions-title">
      <h1 id="petitions-title">{t('petitions.title')}</h1>
      <p>{t('petitions.intro')}</p>
      <nav aria-label={t('petitions.state.label')} class="tabs">
        <ul>
          {states.map((s) => (
            <li key={s}>
              <a href={href(s)} aria-current={s === state ? 'page' : undefined}>
                {counts ? t('petitions.stateCount', { state: t(`petitions.state.${s}`), count: counts[s] }) : t(`petitions.state.${s}`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {sortsOf[state].length > 1 && (
        <nav aria-label={t('petitions.sort.label')} class="tabs small">
          <ul>
            {sortsOf[state].map((s) => (
              <li key={s}><a href={href(state, s)} aria-current={s === sort ? 'page' : undefined}>{t(`petitions.sort.${s}`)}</a></li>
            ))}
          </ul>
        </nav>
      )}
      {loaded.state === 'loading' ? <Loading /> : !loaded.result.ok ? <LoadError result={loaded.result} retry={retry} /> : loaded.result.data.items.length === 0
        ? <p>{state === 'open' ? t('petitions.empty') : t('petitions.emptyState')}</p>
        : <div class="cards">{[...loaded.result.data.items, ...extra.items].map((p) => <PetitionCard key={p.id} petition={p} />)}</div>}
      {cursor && loaded.state === 'done' && (
        <p><button type="button" class="secondary" onClick={loadMore} disabled={extra.loading}>{extra.loading ? t('common.loading') : t('petitions.more')}</button></p>
      )}
    </section>
  );
}
