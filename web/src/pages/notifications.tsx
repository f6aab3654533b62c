import { useEffect, useState } from 'preact/hooks';
import { call } from '../api.ts';
import { person, signInHref } from '../auth.ts';
import { t } from '../i18n.ts';
import { useLoad } from '../load.ts';
import { LoadError, Loading, useTitle } from './common.tsx';

type Kind = 'own' | 'followed';
type Language = 'uk' | 'en';
const kinds: readonly Kind[] = ['own', 'followed'];
const languages: readonly Language[] = ['uk', 'en'];

/** "Сповіщення": what a signed-in resident hears about by e-mail, and in which language (GET/PUT /v1/me/notifications). */
export function NotificationsPage() {
  useTitle(t('notify.title'));
  const me = person.value;
  const [loaded, retry] = useLoad(`notifications:${me?.sub ?? ''}`, () =>
    me ? call('getMyNotifications', {}) : Promise.resolve({ ok: false, status: 401, problem: { type: '', code: 'unauthorized', title: '', status: 401 } } as const));
  const [language, setLanguage] = useState<Language>('uk');
  const [chosen, setChosen] = useState<Kind[]>([]);
  const [email, setEmail] = useState<string | null>(null);
  const [state, setState] = useState<{ kind: 'idle' | 'saving' } | { kind: 'saved'; none: boolean } | { kind: 'error'; message: string }>({ kind: 'idle' });
  useEffect(() => {
    if (loaded.state === 'done' && loaded.result.ok) {
      setLanguage(loaded.result.data.language);
      setChosen(loaded.result.data.kinds);
      setEmail(loaded.result.data.email);
    }
  }, [loaded]);

  if (!me) {
    return (
      <section>
        <h1>{t('notify.title')}</h1>
        <p><a class="button" href={signInHref('/me/notifications')}>{t('nav.signIn')}</a></p>
      </section>
    );
  }
  if (loaded.state === 'loading') return <Loading />;
  if (!loaded.result.ok) return <LoadError result={loaded.result} retry={retry} />;

  async function save(event: Event) {
    event.preventDefault();
    setState({ kind: 'saving' });
    // PUT: the same preferences again are the same preferences; safe to resend.
    const result = await call('putMyNotifications', { body: { language, kinds: chosen }, retries: 2 });
    if (result.ok) {
      setEmail(result.data.email);
      setState({ kind: 'saved', none: result.data.kinds.length === 0 });
    } else setState({ kind: 'error', message: 'offline' in result ? t('common.offlineNoCopy') : (result.problem.detail ?? result.problem.title) });
  }
  const address = email ?? me.email ?? null;
  const edit = () => {
    if (state.kind !== 'saving') setState({ kind: 'idle' });
  };

  return (
    <section aria-labelledby="notify-title">
      <h1 id="notify-title">{t('notify.title')}</h1>
      <p>{t('notify.intro')}</p>
      {address
        ? <p>{email ? t('notify.email', { email: address }) : t('notify.emailFromAccount', { email: address })}</p>
        : <p class="notice">{t('notify.noEmail')}</p>}
      <form onSubmit={save} noValidate>
        <fieldset>
          <legend>{t('notify.kinds')}</legend>
          {kinds.map((kind) => (
            <div class="choice" key={kind}>
              <input type="checkbox" id={`kind-${kind}`} name="kinds" value={kind} checked={chosen.includes(kind)}
                onChange={(e) => { const on = e.currentTarget.checked; setChosen((list) => (on ? [...list.filter((k) => k !== kind), kind] : list.filter((k) => k !== kind))); edit(); }} />
              <label for={`kind-${kind}`}>{t(`notify.kind.${kind}`)}</label>
            </div>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t('notify.language')}</legend>
          {languages.map((l) => (
            <div class="choice" key={l}>
              <input type="radio" id={`language-${l}`} name="language" value={l} checked={language === l} onChange={() => { setLanguage(l); edit(); }} />
              <label for={`language-${l}`} lang={l}>{t(`notify.language.${l}`)}</label>
            </div>
          ))}
        </fieldset>
        <div role="status">
          {state.kind === 'saved' && <p class="notice success">{state.none ? t('notify.savedNone') : t('notify.saved')}</p>}
        </div>
        {state.kind === 'error' && <p class="notice error" role="alert">{state.message}</p>}
        <button type="submit" class="primary" disabled={state.kind === 'saving'}>{state.kind === 'saving' ? t('notify.saving') : t('notify.save')}</button>
      </form>
    </section>
  );
}
