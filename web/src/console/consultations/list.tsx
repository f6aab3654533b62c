import { call } from '../../api.ts';
import { person } from '../../auth.ts';
import { formatDate, t } from '../../i18n.ts';
import { useLoad } from '../../load.ts';
import { LoadError, Loading, useTitle } from '../../pages/common.tsx';

/** /console/consultations: the community's consultations and polls, latest opening first. */
export function ConsultationsPage() {
  useTitle(t('staff.consult.title'));
  const community = person.value?.community;
  const [loaded, retry] = useLoad(`consultations:${community ?? ''}`, () => call('listConsultations', { query: { limit: 100, ...(community ? { community } : {}) } }));
  return (
    <section>
      <h1>{t('staff.consult.title')}</h1>
      <p><a class="button" href="/console/consultations/new">{t('staff.consult.new')}</a></p>
      {loaded.state === 'loading' && <Loading />}
      {loaded.state === 'done' && !loaded.result.ok && <LoadError result={loaded.result} retry={retry} />}
      {loaded.state === 'done' && loaded.result.ok && loaded.result.data.items.length === 0 && <p>{t('staff.consult.empty')}</p>}
      {loaded.state === 'done' && loaded.result.ok && loaded.result.data.items.length > 0 && (
        <ul class="cards plain">
          {loaded.result.data.items.map((c) => (
            <li key={c.id} class="card">
              <h2><a href={`/console/consultations/${c.id}`}>{c.title}</a></h2>
              <p>
                <span class="status">{t(`staff.consult.status.${c.status}`)}</span> {t(`staff.consult.kind.${c.kind}`)} · {t('staff.consult.period', { from: formatDate(c.opensAt), to: formatDate(c.closesAt) })}
              </p>
              {c.reportPublishedAt && <p class="muted">{t('staff.consult.reported', { date: formatDate(c.reportPublishedAt) })}</p>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
