/**
 * What this device keeps for the app (the sign-in token, the chosen language and its locale) and how it is read:
 * shared by the app (auth.ts, i18n.ts) and the boot script (boot.ts), so both send the same
 * headers. No imports: the boot script must stay tiny.
 */
export const TOKEN_KEY = 'hromada.token';
export const LANGUAGE_KEY = 'hromada.lang';

export type Language = 'uk' | 'en';

/** Each language's locale for Intl (numbers, dates, plural rules). */
export const locales: Record<Language, string> = { uk: 'uk-UA', en: 'en-GB' };

/** Dates as the app writes them (30 грудня 2026 р.). */
export const dateFormat: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'long', year: 'numeric' };

/** The token kept for this tab (sessionStorage), or null. */
export function storedToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

/** A token handed over in the address's fragment (`#token=…`, local sign-in), or null. */
export function tokenInFragment(hash: string): string | null {
  const match = /(?:^#|&)token=([^&]+)/.exec(hash);
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}

/** The language chosen on this device, Ukrainian by default. */
export function storedLanguage(): Language {
  try {
    const stored = localStorage.getItem(LANGUAGE_KEY);
    if (stored === 'uk' || stored === 'en') return stored;
  } catch {
    // storage blocked: the default
  }
  return 'uk';
}

export interface Claims {
  sub: string;
  name?: string;
  email?: string;
  exp?: number;
  'cognito:groups'?: string[] | string;
  'custom:community'?: string;
  'custom:school'?: string;
}

/** A JWT's claims (not verified: the API does that), or null when it is not one. */
export function claimsOf(jwt: string): Claims | null {
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

/** Whether a token names someone and has not expired (what makes the app treat them as signed in). */
export function isCurrent(claims: Claims | null, now = Date.now()): claims is Claims {
  return !!claims && !(claims.exp !== undefined && claims.exp * 1000 < now);
}
