import { signal } from '@preact/signals';
import { useEffect, useId, useState } from 'preact/hooks';
import { call } from '../api.ts';
import { person } from '../auth.ts';
import { t } from '../i18n.ts';

/**
 * Hearing back (issue 13) on a citizen's pages: a "Follow" toggle button (aria-pressed) for a
 * petition, consultation or budget, and the "Tell me the result" checkbox beside Sign, the ballot
 * and answering. What the person follows is read once per sign-in (GET /v1/me/following).
 */
export type Followable = 'petition' | 'consultation' | 'budget';

const following$ = signal<{ sub: string; keys: Set<string> } | null>(null);
let loading: Promise<void> | null = null;

function loadFollowing(sub: string): Promise<void> {
  if (following$.value?.sub === sub) return Promise.resolve();
  if (!loading) {
    loading = call('getMyFollowing', {}).then((result) => {
      following$.value = { sub, keys: new Set(result.ok ? result.data.items.map((i) => `${i.type}:${i.id}`) : []) };
      loading = null;
    });
  }
  return loading;
}

/** Records a follow made elsewhere (signing, answering or voting with the checkbox ticked). */
export function rememberFollow(type: Followable, id: string): void {
  const current = following$.value;
  if (current) following$.value = { ...current, keys: new Set([...current.keys, `${type}:${id}`]) };
}

const routesOf = {
  petition: ['followPetition', 'unfollowPetition'],
  consultation: ['followConsultation', 'unfollowConsultation'],
  budget: ['followBudget', 'unfollowBudget'],
} as const;

export function FollowButton({ type, id }: { type: Followable; id: string }) {
  const me = person.value;
  const hintId = useId();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  useEffect(() => {
    if (me) void loadFollowing(me.sub);
  }, [me?.sub]);
  if (!me) return null;
  const known = following$.value?.sub === me.sub ? following$.value : null;
  const on = known?.keys.has(`${type}:${id}`) ?? false;

  async function toggle() {
    setBusy(true);
    setMessage(null);
    const [follow, unfollow] = routesOf[type];
    const result = await call(on ? unfollow : follow, { params: { id }, retries: 2 });
    setBusy(false);
    if (!result.ok) {
      setMessage({ text: 'offline' in result ? t('common.offlineNoCopy') : (result.problem.detail ?? result.problem.title), error: true });
      return;
    }
    const keys = new Set(known?.keys ?? []);
    if (result.data.following) keys.add(`${type}:${id}`);
    else keys.delete(`${type}:${id}`);
    following$.value = { sub: me!.sub, keys };
    setMessage({ text: result.data.following ? (me!.email ? t('notify.following', { email: me!.email }) : t('notify.followingNoEmail')) : t('notify.notFollowing'), error: false });
  }

  return (
    <div class="follow">
      <button type="button" class="secondary" aria-pressed={on ? 'true' : 'false'} aria-describedby={hintId} disabled={busy || !known} onClick={toggle}>
        {t('notify.follow')}
      </button>
      <p id={hintId} class="hint">{t(`notify.followHint.${type}`)}</p>
      <div role="status">{message && <p class={message.error ? 'notice error' : 'muted'}>{message.text}</p>}</div>
    </div>
  );
}

/** "Tell me the result": shown to a signed-in person; `secret` for the ballot (says the wish is not linked to it). */
export function AskResult({ checked, onChange, secret = false }: { checked: boolean; onChange: (on: boolean) => void; secret?: boolean }) {
  const id = useId();
  if (!person.value) return null;
  return (
    <div class="ask">
      <input type="checkbox" id={id} checked={checked} aria-describedby={`${id}-hint`} onChange={(e) => onChange(e.currentTarget.checked)} />
      <label for={id}>
        {t('notify.askResult')}
        <span id={`${id}-hint`} class="hint">{t(secret ? 'notify.askResultHint' : 'notify.askResultHintPlain')}</span>
      </label>
    </div>
  );
}
