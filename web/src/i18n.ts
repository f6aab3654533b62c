import { signal } from '@preact/signals';
import { en } from './messages/en.ts';
import { uk, type Catalogue, type MessageKey, type Plural } from './messages/uk.ts';
import { dateFormat, LANGUAGE_KEY, locales, storedLanguage } from './device.ts';

/**
 * Ukrainian first, English too. Every text comes from a catalogue; plural forms follow the
 * language's CLDR rules through Intl.PluralRules (uk: one/few/many/other: 1 підпис, 2 підписи,
 * 5 підписів). The language is a preference of the person on this device (localStorage).
 */
export const languages = ['uk', 'en'] as const;
export type Language = (typeof languages)[number];
const catalogues: Record<Language, Catalogue> = { uk, en };
export const lang = signal<Language>(storedLanguage());

export function setLanguage(next: Language): void {
  lang.value = next;
  try {
    localStorage.setItem(LANGUAGE_KEY, next);
  } catch {
    // kept for this visit only
  }
  document.documentElement.lang = next;
}

const pluralRules = new Map<Language, Intl.PluralRules>();
const plurals = (l: Language) => {
  let rules = pluralRules.get(l);
  if (!rules) pluralRules.set(l, (rules = new Intl.PluralRules(locales[l])));
  return rules;
};

type Params = Record<string, string | number>;

function interpolate(text: string, params: Params | undefined, l: Language): string {
  return text.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined) return `{${name}}`;
    return typeof value === 'number' ? formatNumber(value, l) : value;
  });
}

/** Catalogues of code loaded on demand (the staff console's), added when it loads. */
const added: Record<Language, Record<string, string | Plural>> = { uk: {}, en: {} };

export function addMessages(more: Record<Language, Readonly<Record<string, string | Plural>>>): void {
  for (const l of languages) Object.assign(added[l], more[l]);
}

/** Whether `key` names a message (for keys built from data, e.g. an audit action). */
export const hasMessage = (key: string): key is MessageKey => key in catalogues.uk || key in added.uk;

/** A message in the current language; a plural message takes its form from `params.count`. */
export function t(key: MessageKey, params?: Params): string {
  const l = lang.value;
  const message = ((catalogues[l] as Record<string, string | Plural>)[key] ?? added[l][key] ?? key) as string | Plural;
  if (typeof message === 'string') return interpolate(message, params, l);
  const count = Number(params?.count ?? 0);
  const form = plurals(l).select(count) as keyof Plural;
  return interpolate(message[form] ?? message.other, params, l);
}

/** Intl formatters are costly to make on a slow phone: one of each per language and kind. */
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function formatter<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let f = formatters.get(key) as T | undefined;
  if (!f) formatters.set(key, (f = make()));
  return f;
}

export const formatNumber = (n: number, l: Language = lang.value) =>
  formatter(`n:${l}`, () => new Intl.NumberFormat(locales[l])).format(n);

export const formatDate = (iso: string, l: Language = lang.value) =>
  formatter(`d:${l}`, () => new Intl.DateTimeFormat(locales[l], dateFormat)).format(new Date(iso));

/**
 * Makes this language's number, plural-rule and date formatters ahead of need. A phone spends long
 * on its first Intl object (the locale's data loads then: 30 ms on a laptop, four times that on the
 * phone of the web figure; the boot script has usually set that up already); made while a page
 * waits for its data, the render that follows is quick.
 */
export function prepareFormatters(l: Language = lang.value): void {
  formatNumber(0, l);
  plurals(l).select(0);
  formatDate('2000-01-01T00:00:00Z', l);
}

export const formatMoney = (amount: number, currency: string, l: Language = lang.value) =>
  formatter(`m:${l}:${currency}`, () => new Intl.NumberFormat(locales[l], { style: 'currency', currency, maximumFractionDigits: 0 })).format(amount);

/** "3 дні", "5 годин", "less than an hour": how long until `iso`. */
export function timeLeft(iso: string, now = Date.now()): string {
  const ms = new Date(iso).getTime() - now;
  if (ms <= 0) return t('time.ended');
  const hours = Math.floor(ms / 3_600_000);
  if (hours >= 48) return t('time.daysLeft', { count: Math.floor(hours / 24) });
  if (hours >= 1) return t('time.hoursLeft', { count: hours });
  return t('time.lessThanHour');
}

export const localeOf = (l: Language = lang.value) => locales[l];
