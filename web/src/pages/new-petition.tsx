import { useState } from 'preact/hooks';
import { call } from '../api.ts';
import { person, signInHref } from '../auth.ts';
import { t } from '../i18n.ts';
import { useTitle } from './common.tsx';

/** The draft lives on this device until it is submitted (petition text, no credentials). */
const DRAFT_KEY = 'hromada.petition-draft';
interface Draft {
  title: string;
  text: string;
}

function readDraft(): Draft {
  try {
    const parsed = JSON.parse(localStorage.getItem(DRAFT_KEY) ?? '{}') as Partial<Draft>;
    return { title: typeof parsed.title === 'string' ? parsed.title : '', text: typeof parsed.text === 'string' ? parsed.text : '' };
  } catch {
    return { title: '', text: '' };
  }
}

function saveDraft(draft: Draft | null) {
  try {
    if (draft) localStorage.setItem(DRAFT_KEY, JSON.stringify(draft));
    else localStorage.removeItem(DRAFT_KEY);
  } catch {
    // not kept: storage blocked or full
  }
}

type Outcome = { kind: 'none' } | { kind: 'sending' } | { kind: 'error'; message: string } | { kind: 'submitted'; status: string };

export function NewPetitionPage() {
  useTitle(t('create.title'));
  const [draft, setDraft] = useState<Draft>(readDraft);
  const [saved, setSaved] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'none' });
  const me = person.value;

  function update(field: keyof Draft, value: string) {
    const next = { ...draft, [field]: value };
    setDraft(next);
    saveDraft(next);
    setSaved(true);
  }

  async function submit(event: Event) {
    event.preventDefault();
    const title = draft.title.trim();
    const text = draft.text.trim();
    if (title.length < 10) return setOutcome({ kind: 'error', message: t('create.tooShort', { field: t('create.titleLabel'), min: 10 }) });
    if (text.length < 20) return setOutcome({ kind: 'error', message: t('create.tooShort', { field: t('create.textLabel'), min: 20 }) });
    if (!navigator.onLine) return setOutcome({ kind: 'error', message: t('create.needsConnection') });
    setOutcome({ kind: 'sending' });
    const result = await call('createPetition', { body: { title, text } });
    if (result.ok) {
      saveDraft(null);
      setDraft({ title: '', text: '' });
      setSaved(false);
      setOutcome({ kind: 'submitted', status: t(`petitions.status.${result.data.status}`) });
    } else if ('offline' in result) {
      setOutcome({ kind: 'error', message: t('create.needsConnection') });
    } else {
      setOutcome({ kind: 'error', message: result.problem.detail ?? result.problem.title });
    }
  }

  if (outcome.kind === 'submitted') {
    return (
      <section>
        <h1>{t('create.title')}</h1>
        <div class="notice success" role="status"><p>{t('create.submitted', { status: outcome.status })}</p></div>
        <p><a href="/petitions">{t('petition.back')}</a></p>
      </section>
    );
  }

  return (
    <section>
      <h1>{t('create.title')}</h1>
      <p>{t('create.intro')}</p>
      {!me && <p class="notice"><a href={signInHref('/petitions/new')}>{t('create.needsSignIn')}</a></p>}
      <form onSubmit={submit} noValidate>
        <label for="petition-title">{t('create.titleLabel')}</label>
        <input id="petition-title" name="title" value={draft.title} maxLength={200} required aria-describedby="petition-title-hint"
          onInput={(e) => update('title', e.currentTarget.value)} />
        <p id="petition-title-hint" class="hint">{t('create.titleHint')}</p>
        <label for="petition-text">{t('create.textLabel')}</label>
        <textarea id="petition-text" name="text" rows={10} value={draft.text} maxLength={10_000} required aria-describedby="petition-text-hint"
          onInput={(e) => update('text', e.currentTarget.value)} />
        <p id="petition-text-hint" class="hint">{t('create.textHint')}</p>
        <p role="status" class="muted">{saved ? t('create.draftSaved') : ''}</p>
        {outcome.kind === 'error' && <p class="notice error" role="alert">{outcome.message}</p>}
        <button type="submit" class="primary" disabled={!me || outcome.kind === 'sending'}>
          {outcome.kind === 'sending' ? t('create.submitting') : t('create.submit')}
        </button>
      </form>
    </section>
  );
}
