/**
 * Words that the web app and the e-mails both show, kept once so that a resident reads the same word
 * on the page and in the message: the council's decision on a petition, what a signature threshold
 * asks for, and the stage of a winning project's implementation. Sentence case as the web app shows
 * them; an e-mail lower-cases them inside a sentence (`inSentence`). The web app's catalogues
 * (web/src/messages) and the mail catalogue (shared/i18n/mail.ts) both read from here.
 */
export const termLanguages = ['uk', 'en'] as const;
export type TermLanguage = (typeof termLanguages)[number];

export const terms = {
  uk: {
    'decision.supported': 'Підтримано',
    'decision.partially-supported': 'Підтримано частково',
    'decision.not-supported': 'Не підтримано',
    'decision.noted': 'Взято до відома',
    'purpose.council-consideration': 'розгляд міською радою',
    'purpose.response': 'письмова відповідь',
    'purpose.debate': 'обговорення в раді',
    'implementation.planned': 'Заплановано',
    'implementation.in-progress': 'Виконується',
    'implementation.completed': 'Виконано',
    'implementation.cancelled': 'Скасовано',
  },
  en: {
    'decision.supported': 'Supported',
    'decision.partially-supported': 'Partially supported',
    'decision.not-supported': 'Not supported',
    'decision.noted': 'Noted',
    'purpose.council-consideration': 'consideration by the city council',
    'purpose.response': 'a written response',
    'purpose.debate': 'a debate in the council',
    'implementation.planned': 'Planned',
    'implementation.in-progress': 'In progress',
    'implementation.completed': 'Completed',
    'implementation.cancelled': 'Cancelled',
  },
} as const satisfies Record<TermLanguage, Record<string, string>>;

export type Term = keyof (typeof terms)['uk'];

/** The term as a word inside a sentence: lower-cased in the language's own rules. */
export const inSentence = (language: TermLanguage, term: Term): string =>
  terms[language][term].toLocaleLowerCase(language === 'uk' ? 'uk-UA' : 'en-GB');
