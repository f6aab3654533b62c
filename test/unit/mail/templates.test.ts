import { describe, expect, it } from 'vitest';
import { councilAlertMail, escapeHtml, mailCatalogues, mailLanguage, mailPlural, mailText } from '#shared/i18n/mail.ts';
import { checkedHeaders } from '#shared/mail/mailer.ts';

const alert = {
  title: 'Лавки <у> парку & "сквер"',
  threshold: 300,
  purpose: 'council-consideration',
  reachedAt: '2026-11-30T14:05:00.000Z',
  signatureCount: 1302,
  idempotencyKey: 'petition-threshold:p1:300',
  timeZone: 'Europe/Kyiv',
  consoleUrl: 'https://petitions.ternopil.example/council',
};

describe('mail catalogue', () => {
  it('has the same keys in both languages, each text non-empty', () => {
    expect(Object.keys(mailCatalogues.en).sort()).toEqual(Object.keys(mailCatalogues.uk).sort());
    for (const lang of ['uk', 'en'] as const) for (const text of Object.values(mailCatalogues[lang])) expect(text.trim()).not.toBe('');
  });

  it('chooses uk or en from a tag or a list of tags, Ukrainian by default', () => {
    expect(mailLanguage(['uk', 'en'])).toBe('uk');
    expect(mailLanguage(['de', 'en-GB'])).toBe('en');
    expect(mailLanguage('EN')).toBe('en');
    expect(mailLanguage(['fr'])).toBe('uk');
    expect(mailLanguage(undefined)).toBe('uk');
  });

  it('puts Ukrainian plurals right and formats numbers by language', () => {
    expect(mailPlural('uk', 'signatures', 1)).toBe('1 підпис');
    expect(mailPlural('uk', 'signatures', 3)).toBe('3 підписи');
    expect(mailPlural('uk', 'signatures', 11)).toBe('11 підписів');
    expect(mailPlural('uk', 'signatures', 21)).toBe('21 підпис');
    expect(mailPlural('uk', 'signatures', 10000)).toBe('10\u00a0000 підписів');
    expect(mailPlural('en', 'signatures', 1)).toBe('1 signature');
    expect(mailPlural('en', 'signatures', 10000)).toBe('10,000 signatures');
    expect(mailText('en', 'mail.alert.count', { count: 1302 })).toBe('Signatures when recorded: 1,302.');
  });
});

describe('council alert e-mail', () => {
  it('in Ukrainian: title, threshold, purpose, local time, count and the console link', () => {
    const mail = councilAlertMail('uk', alert);
    expect(mail.subject).toBe('Петиція набрала 300 підписів: Лавки <у> парку & "сквер"');
    expect(mail.text).toContain('Електронна петиція «Лавки <у> парку & "сквер"» набрала 300 підписів (розгляд міською радою) 30 листопада 2026');
    expect(mail.text).toContain('16:05'); // 14:05 UTC is 16:05 in Kyiv
    expect(mail.text).toContain('Підписів на момент фіксації: 1\u00a0302.');
    expect(mail.text).toContain('https://petitions.ternopil.example/council');
    expect(mail.html).toContain('<html lang="uk">');
    expect(mail.html).toContain('<a href="https://petitions.ternopil.example/council">Відкрити робочий кабінет</a>');
  });

  it('in English', () => {
    const mail = councilAlertMail('en', { ...alert, threshold: 1, purpose: 'response' });
    expect(mail.subject).toBe('Petition reached 1 signature: Лавки <у> парку & "сквер"');
    expect(mail.text).toContain('reached 1 signature (a written response) on 30 November 2026');
  });

  it('escapes every value in the HTML part and keeps the subject on one line', () => {
    const mail = councilAlertMail('en', { ...alert, title: '<script>alert(1)</script>\r\nBcc: x@y.example' });
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(escapeHtml(`a&b<c>"d"'e`)).toBe('a&amp;b&lt;c&gt;&quot;d&quot;&#39;e');
  });
});

describe('mail headers', () => {
  const base = { to: 'a@b.example', subject: 's', text: 't', html: '<p>t</p>' };
  it('passes RFC 8058 one-click headers', () => {
    expect(checkedHeaders({ ...base, headers: { 'List-Unsubscribe': '<https://x.example/u?t=1>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } }))
      .toEqual([['List-Unsubscribe', '<https://x.example/u?t=1>'], ['List-Unsubscribe-Post', 'List-Unsubscribe=One-Click']]);
  });
  it('refuses header injection', () => {
    expect(() => checkedHeaders({ ...base, headers: { 'X-A': 'v\r\nBcc: evil@x.example' } })).toThrow(/Refused/);
    expect(() => checkedHeaders({ ...base, headers: { 'X A:': 'v' } })).toThrow(/Refused/);
    expect(() => checkedHeaders({ ...base, subject: 'a\nBcc: b' })).toThrow(/Refused/);
  });
});
