import { call } from '../api.ts';
import { person, signInHref } from '../auth.ts';
import { formatDate, t } from '../i18n.ts';
import { useLoad } from '../load.ts';
import { LoadError, Loading, useTitle } from './common.tsx';
import { PetitionCard } from './petitions.tsx';

const notSignedIn = Promise.resolve({ ok: false, status: 401, problem: { type: '', code: 'unauthorized', title: '', status: 401 } } as const);

/** The petitions the signed-in person created, with where each stands (draft, moderation, rejected, open, closed). */
export function MyPetitionsPage() {
  useTitle(t('mine.title'));
  const me = person.value;
  const [loaded, retry] = useLoad(`my-petitions:${me?.sub ?? ''}`, () => (me ? call('myPetitions', { query: { limit: 100 } }) : notSignedIn));
  let body;
  if (!me) body = <p><a class="button" href={signInHref('/me/petitions')}>{t('mine.signIn')}</a></p>;
  else if (loaded.state === 'loading') body = <Loading />;
  else if (!loaded.result.ok) body = <LoadError result={loaded.result} retry={retry} />;
  else if (loaded.result.data.items.length === 0) body = <p>{t('mine.empty')}</p>;
  else {
    body = (
      <div class="cards">
        {loaded.result.data.items.map((p) => {
          if (p.status === 'open' || p.status === 'closed') return <PetitionCard key={p.id} petition={p} />;
          // Not public (yet): no link to a page others cannot open; its state in words.
          return (
            <article class="card" key={p.id}>
              <h2>{p.title}</h2>
              <p class="status">{t(`petitions.status.${p.status}`)}</p>
              <p class="muted">{formatDate(p.createdAt)}</p>
              {p.status === 'moderation' && <p>{t('mine.moderation')}</p>}
              {p.status === 'draft' && <p>{t('mine.draft')}</p>}
              {p.status === 'rejected' && p.rejection && <p>{t('petitions.rejectedBecause', { explanation: p.rejection.explanation })}</p>}
            </article>
          );
        })}
      </div>
    );
  }
  return (
    <section aria-labelledby="mine-title">
      <h1 id="mine-title">{t('mine.title')}</h1>
      <p>{t('mine.intro')}</p>
      {body}
      <p><a href="/petitions/new">{t('mine.create')}</a></p>
    </section>
  );
}
