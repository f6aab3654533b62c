import { computed, signal } from '@preact/signals';
import { roles as allRoles, type Role } from '#shared/auth/roles.ts';
import { claimsOf, isCurrent, storedToken, TOKEN_KEY, tokenInFragment } from './device.ts';

/**
 * Who is signed in. The ID token lives in memory and in sessionStorage (this tab only, gone when
 * it closes), never in localStorage. Locally, /dev/sign-in hands it over in the URL fragment,
 * which the app takes and removes from the address at once; in AWS, Cognito's managed login
 * with the authorization-code flow and PKCE does (see cognito.ts).
 */
declare const __AUTH_MODE__: 'local' | 'cognito';
export const authMode = __AUTH_MODE__;

export const token = signal<string | null>(storedToken());

/** The signed-in person, or null (also when the token has expired). */
export const person = computed(() => {
  const jwt = token.value;
  if (!jwt) return null;
  const claims = claimsOf(jwt);
  if (!isCurrent(claims)) return null;
  const groups = claims['cognito:groups'];
  const roles = (Array.isArray(groups) ? groups : typeof groups === 'string' ? groups.split(',') : []).filter((r): r is Role => (allRoles as readonly string[]).includes(r));
  return {
    sub: claims.sub,
    name: claims.name ?? claims.sub,
    roles,
    ...(claims.email ? { email: claims.email } : {}),
    ...(claims['custom:community'] ? { community: claims['custom:community'] } : {}),
    ...(claims['custom:school'] ? { school: claims['custom:school'] } : {}),
  };
});

export function setToken(jwt: string | null): void {
  token.value = jwt;
  try {
    if (jwt) sessionStorage.setItem(TOKEN_KEY, jwt);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // memory only
  }
}

/** Takes a token handed over in the fragment (`#token=…`) and removes it from the address. */
export function takeTokenFromUrl(): void {
  const handedOver = tokenInFragment(location.hash);
  if (!handedOver) return;
  setToken(handedOver);
  history.replaceState(history.state, '', location.pathname + location.search);
}

/** Where "Sign in" goes, coming back to `next` afterwards. */
export const signInHref = (next: string) => `/sign-in?next=${encodeURIComponent(next)}`;
