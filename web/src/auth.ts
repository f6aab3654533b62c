import { computed, signal } from '@preact/signals';
import { roles as allRoles, type Role } from '../../shared/auth/roles.ts';

/**
 * Who is signed in. The ID token lives in memory and in sessionStorage (this tab only, gone when
 * it closes), never in localStorage. Locally, /dev/sign-in hands it over in the URL fragment,
 * which the app takes and removes from the address at once; in AWS, Cognito's managed login
 * with the authorization-code flow and PKCE does (see cognito.ts).
 */
const STORAGE_KEY = 'hromada.token';

declare const __AUTH_MODE__: 'local' | 'cognito';
export const authMode = __AUTH_MODE__;

function readStored(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export const token = signal<string | null>(readStored());

interface Claims {
  sub: string;
  name?: string;
  email?: string;
  exp?: number;
  'cognito:groups'?: string[] | string;
  'custom:community'?: string;
  'custom:school'?: string;
}

function decode(jwt: string): Claims | null {
  try {
    const payload = jwt.split('.')[1] ?? '';
    const json = decodeURIComponent(
      [...atob(payload.replace(/-/g, '+').replace(/_/g, '/'))].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join(''),
    );
    return JSON.parse(json) as Claims;
  } catch {
    return null;
  }
}

/** The signed-in person, or null (also when the token has expired). */
export const person = computed(() => {
  const jwt = token.value;
  if (!jwt) return null;
  const claims = decode(jwt);
  if (!claims || (claims.exp !== undefined && claims.exp * 1000 < Date.now())) return null;
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
    if (jwt) sessionStorage.setItem(STORAGE_KEY, jwt);
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // memory only
  }
}

/** Takes a token handed over in the fragment (`#token=…`) and removes it from the address. */
export function takeTokenFromUrl(): void {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (!match?.[1]) return;
  setToken(decodeURIComponent(match[1]));
  history.replaceState(history.state, '', location.pathname + location.search);
}

/** Where "Sign in" goes, coming back to `next` afterwards. */
export const signInHref = (next: string) => `/sign-in?next=${encodeURIComponent(next)}`;
