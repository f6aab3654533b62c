import { useEffect, useState } from 'preact/hooks';
import { setToken } from '../auth.ts';
import { t } from '../i18n.ts';
import { navigate } from '../router.ts';
import { loadCognitoConfig } from './sign-in.tsx';
import { Loading, useTitle } from './common.tsx';

/** Where Cognito's managed login returns (AWS only): the code is exchanged, then on to `next`. */
export function AuthCallbackPage() {
  useTitle(t('signIn.title'));
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    (async () => {
      const config = await loadCognitoConfig();
      const { completeSignIn } = await import('../cognito.ts');
      const { idToken, next } = await completeSignIn(config);
      setToken(idToken);
      navigate(next, { replace: true });
    })().catch(() => setFailed(true));
  }, []);
  return failed ? <p class="notice error" role="alert">{t('signIn.failed')}</p> : <Loading />;
}
