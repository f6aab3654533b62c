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
      <h2><a href={`/petitions/${petition.id}`}>{petition.title}</a></h2>
      <p class="count">{t('petitions.signatures', { count: petition.signatureCount })}</p>
      <Thresholds petition={petition} />
      {petition.closesAt && petition.status === 'open' && <p class="muted">{t('petition.timeLeft', { time: timeLeft(petition.closesAt) })}</p>}
    </article>
  );
}

export function PetitionsPage() {
  useTitle(t('petitions.title'));
  const requested = new URLSearchParams(location$.value.search).get('sort');
  const sort: Sort = (sorts as readonly string[]).includes(requested ?? '') ? (requested as Sort) : 'newest';
  const [loaded, retry] = useLoad(`petitions:${sort}`, () => call('listPetitions', { query: { sort, limit: 20 } }));
  return (
    <section aria-labelledby="petitions-title">
      <h1 id="petitions-title">{t('petitions.title')}</h1>
      <p>{t('petitions.intro')}</p>
      <nav aria-label={t('petitions.sort.label')} class="tabs">
        <ul>
          {sorts.map((s) => (
            <li key={s}><a href={`/petitions?sort=${s}`} aria-current={s === sort ? 'page' : undefined}>{t(`petitions.sort.${s}`)}</a></li>
          ))}
        </ul>
      </nav>
      {loaded.state === 'loading' ? <Loading /> : !loaded.result.ok ? <LoadError result={loaded.result} retry={retry} /> : loaded.result.data.items.length === 0
        ? <p>{t('petitions.empty')}</p>
        : <div class="cards">{loaded.result.data.items.map((p) => <PetitionCard key={p.id} petition={p} />)}</div>}
    </section>
  );
}
