import { useState } from 'preact/hooks';
import { call, type Petition } from '../api.ts';
import { person, signInHref } from '../auth.ts';
import { formatDate, t, timeLeft } from '../i18n.ts';
import { useLoad, type Loaded } from '../load.ts';
import { online } from '../net.ts';
import { LoadError, Loading, useTitle } from './common.tsx';
import { Thresholds } from './petitions.tsx';
import { AskResult, FollowButton, rememberFollow } from '../ui/notify.tsx';

type SignState =
  | { kind: 'idle' }
  | { kind: 'signing' }
  | { kind: 'signed'; signedAt: string; just: boolean }
  | { kind: 'refused'; message: string };

type Mine = Loaded<'mySignature'>;

function SignBox({ petition, mine, onCount }: { petition: Petition; mine: Mine; onCount: (count: number) => void }) {
  const me = person.value;
  const path = `/petitions/${petition.id}`;
  const [state, setState] = useState<SignState>({ kind: 'idle' });
  const [notify, setNotify] = useState(false);

  if (petition.status !== 'open') return null;
  if (!me) return <p><a class="button" href={signInHref(path)}>{t('petition.signInToSign')}</a></p>;

  const already = mine.state === 'done' && mine.result.ok ? mine.result.data : null;
  if (state.kind === 'signed' || already) {
    const signedAt = state.kind === 'signed' ? state.signedAt : already!.signedAt;
    return (
      <div class="notice success" role="status">
        <p>{state.kind === 'signed' && state.just
          ? t('petition.signedNow', { signatures: t('petitions.signatures', { count: petition.signatureCount }) })
          : t('petition.signed', { date: formatDate(signedAt) })}</p>
      </div>
    );
  }

  async function sign() {
    if (!navigator.onLine) return setState({ kind: 'refused', message: t('petition.signNeedsConnection') });
    setState({ kind: 'signing' });
    // Safe to resend: the API keeps one signature per person and petition (201, then 200 with the same).
    const result = await call('signPetition', { params: { id: petition.id }, ...(notify ? { body: { notify: true } } : {}), retries: 3 });
    if (result.ok) {
      if (notify) rememberFollow('petition', petition.id);
      // New (201), or not signed when the page loaded (a resent request answers 200): the shown
      // count did not include this signature, and the stream may not have counted it yet.
      const notSignedBefore = result.status === 201 || (mine.state === 'done' && !mine.result.ok);
      onCount(notSignedBefore ? Math.max(result.data.signatureCount, petition.signatureCount + 1) : result.data.signatureCount);
      setState({ kind: 'signed', signedAt: result.data.signedAt, just: true });
    } else if ('offline' in result) {
      setState({ kind: 'refused', message: t('petition.signNeedsConnection') });
    } else {
      setState({ kind: 'refused', message: result.problem.detail ?? result.problem.title });
    }
  }

  return (
    <div class="sign">
      <AskResult checked={notify} onChange={setNotify} />
      <button type="button" class="primary" onClick={sign} disabled={state.kind === 'signing'} aria-describedby="sign-feedback">
        {state.kind === 'signing' ? t('petition.signing') : t('petition.sign')}
      </button>
      <div id="sign-feedback" role="status">
        {state.kind === 'refused' && <p class="notice error">{state.message}</p>}
        {!online.value && state.kind !== 'refused' && <p class="muted">{t('petition.signNeedsConnection')}</p>}
      </div>
    </div>
  );
}

function Share({ petition }: { petition: Petition }) {
  const [copied, setCopied] = useState(false);
  async function share() {
    const url = `${location.origin}/petitions/${petition.id}`;
    if (navigator.share) {
      await navigator.share({ title: petition.title ?? t('petition.withheldTitle'), url }).catch(() => undefined);
      return;
    }
    await navigator.clipboard?.writeText(url).catch(() => undefined);
    setCopied(true);
  }
  return (
    <p>
      <button type="button" class="secondary" onClick={share}>{t('petition.share')}</button>
      <span role="status" class="muted">{copied ? ` ${t('petition.linkCopied')}` : ''}</span>
    </p>
  );
}

const notSignedIn = { ok: false, status: 401, problem: { type: '', code: 'unauthorized', title: '', status: 401 } } as const;

export function PetitionPage({ id }: { id: string }) {
  // Both at once: the petition, and whether this person signed it (no waterfall on a slow network).
  const [loaded, retry] = useLoad(`petition:${id}`, () => call('getPetition', { params: { id } }));
  const me = person.value;
  const [mine] = useLoad(`mine:${id}:${me?.sub ?? ''}`, () => (me ? call('mySignature', { params: { id } }) : Promise.resolve(notSignedIn)));
  const [count, setCount] = useState<number | null>(null);
  const petition = loaded.state === 'done' && loaded.result.ok ? loaded.result.data : null;
  useTitle(petition?.title ?? t('petitions.title'));
  if (loaded.state === 'loading') return <Loading />;
  if (!loaded.result.ok) return <LoadError result={loaded.result} retry={retry} />;
  const shown = { ...loaded.result.data, signatureCount: Math.max(count ?? 0, loaded.result.data.signatureCount) };
  return (
    <article class="petition">
      <p><a href="/petitions">← {t('petition.back')}</a></p>
      <h1>{shown.title ?? t('petition.withheldTitle')}</h1>
      <p class="status">{t(`petitions.status.${shown.status}`)}</p>
      <p class="count big">{t('petitions.signatures', { count: shown.signatureCount })}</p>
      <Thresholds petition={shown} />
      {shown.closesAt && shown.status === 'open' && (
        <p class="muted">{t('petitions.closesOn', { date: formatDate(shown.closesAt) })} · {t('petition.timeLeft', { time: timeLeft(shown.closesAt) })}</p>
      )}
      <SignBox petition={shown} mine={mine} onCount={setCount} />
      {shown.status === 'open' && <FollowButton type="petition" id={shown.id} />}
      {shown.text === null ? (
        <p class="notice">{t('petition.withheld', { explanation: shown.rejection?.explanation ?? '' })}</p>
      ) : (
        <div class="text">{shown.text.split(/\n{2,}/).map((para, i) => <p key={i}>{para}</p>)}</div>
      )}
      {shown.response && (
        <section class="response" aria-labelledby="response-title">
          <h2 id="response-title">{t('petition.response')}</h2>
          <p><strong>{t(`petition.decision.${shown.response.decision}` as 'petition.decision.noted')}</strong> · {formatDate(shown.response.decidedAt)}</p>
          {shown.response.text.split(/\n{2,}/).map((para, i) => <p key={i}>{para}</p>)}
        </section>
      )}
      <Share petition={shown} />
    </article>
  );
}
