import { describe, expect, it } from 'vitest';
import { personMail } from '#shared/i18n/mail.ts';
import { inSentence, termLanguages, terms } from '#shared/i18n/terms.ts';
import { en } from '../../../web/src/messages/en.ts';
import { uk } from '../../../web/src/messages/uk.ts';

/**
 * A resident reads the same word on the page and in the e-mail: the council's decision, what a
 * threshold asks for, a winning project's stage. Both catalogues take them from shared/i18n/terms.ts.
 */
const web = { uk, en } as const;
const links = { origin: 'https://petitions.example', unsubscribeUrl: 'https://petitions.example/v1/notifications/unsubscribe?token=t' };
const decisions = ['supported', 'partially-supported', 'not-supported', 'noted'] as const;
const stages = ['planned', 'in-progress', 'completed', 'cancelled'] as const;

describe('the words the web app and the e-mails share', () => {
  for (const lang of termLanguages) {
    it(`${lang}: the web app shows the shared words`, () => {
      for (const d of decisions) expect(web[lang][`petition.decision.${d}`]).toBe(terms[lang][`decision.${d}`]);
      for (const p of ['council-consideration', 'response', 'debate'] as const) expect(web[lang][`petitions.purpose.${p}`]).toBe(terms[lang][`purpose.${p}`]);
      for (const s of stages) expect(web[lang][`budgets.implementation.${s}`]).toBe(terms[lang][`implementation.${s}`]);
    });

    it(`${lang}: the council's response e-mail names the decision in the page's word`, () => {
      for (const decision of decisions) {
        const mail = personMail(lang, { type: 'petition-response', title: 'T', petitionId: 'p1', decision, text: 'ok' }, links);
        expect(mail.text).toContain(`${lang === 'uk' ? 'Рішення' : 'Decision'}: ${inSentence(lang, `decision.${decision}`)}.`);
        expect(inSentence(lang, `decision.${decision}`)).toBe(String(web[lang][`petition.decision.${decision}`]).toLocaleLowerCase(lang === 'uk' ? 'uk-UA' : 'en-GB'));
      }
    });
  }
});
