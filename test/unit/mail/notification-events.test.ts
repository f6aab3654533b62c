import { describe, expect, it } from 'vitest';
import { audienceOf, contactForFollowing, kindFor, languageFromHeader, petitionEvents } from '../../../shared/domain/notifications.ts';
import { personMail } from '../../../shared/i18n/mail.ts';

const petition = { pk: 'PETITION#p1', sk: 'PETITION', id: 'p1', title: 'Лавки', authorSub: 'a1', community: 'ternopil', response: null, rejection: null };

describe('events from the stream', () => {
  it('publication and rejection go to the author only', () => {
    const [published] = petitionEvents({ ...petition, status: 'moderation' }, { ...petition, status: 'open' });
    expect(published).toMatchObject({ type: 'petition-published', key: 'petition-published:p1' });
    expect(audienceOf(published!)).toEqual({ followers: false, author: 'a1', subject: { type: 'petition', id: 'p1' } });
    const [rejected] = petitionEvents({ ...petition, status: 'moderation' }, { ...petition, status: 'rejected', rejection: { reasonCode: 'x', explanation: 'Не стосується міста' } });
    expect(rejected).toMatchObject({ type: 'petition-rejected', explanation: 'Не стосується міста' });
  });

  it('a change that is not one (a count update, a redelivered record) makes no event', () => {
    expect(petitionEvents({ ...petition, status: 'open' }, { ...petition, status: 'open', signatureCount: 5 })).toEqual([]);
    expect(petitionEvents({ ...petition, status: 'open', response: { decision: 'noted' } }, { ...petition, status: 'open', response: { decision: 'noted' } })).toEqual([]);
    expect(petitionEvents({ ...petition, status: 'open' }, undefined)).toEqual([]);
  });

  it('a response goes to followers and the author; a threshold alert to followers', () => {
    const [response] = petitionEvents({ ...petition, status: 'open' }, { ...petition, status: 'open', response: { decision: 'supported', text: 'Так' } });
    expect(audienceOf(response!)).toMatchObject({ followers: true, author: 'a1' });
    expect(kindFor(response!, 'a1')).toBe('own');
    expect(kindFor(response!, 'someone')).toBe('followed');
    const [threshold] = petitionEvents(undefined, { pk: 'PETITION#p1', sk: 'ALERT#0000000300', petitionId: 'p1', title: 'Лавки', community: 'ternopil', threshold: 300 });
    expect(threshold).toMatchObject({ type: 'petition-threshold', key: 'petition-threshold:p1:300' });
    expect(petitionEvents({ sk: 'ALERT#0000000300' }, { sk: 'ALERT#0000000300', deliveredAt: 'x' })).toEqual([]);
  });

  it('a consultation report, once', () => {
    const c = { pk: 'CONSULTATION#c1', sk: 'CONSULTATION', id: 'c1', title: 'Парк', community: 'ternopil' };
    expect(petitionEvents({ ...c, report: null }, { ...c, report: { summary: 's' } })).toMatchObject([{ type: 'consultation-report', key: 'consultation-report:c1' }]);
    expect(petitionEvents({ ...c, report: { summary: 's' } }, { ...c, report: { summary: 's' } })).toEqual([]);
  });
});

describe('contacts', () => {
  const now = new Date('2026-11-30T12:00:00Z');
  it('adds `followed`, keeps the chosen language, takes the current address; no write when nothing changes', () => {
    expect(contactForFollowing(undefined, 'a@b.example', 'en', now)).toEqual({ email: 'a@b.example', language: 'en', kinds: ['followed'], updatedAt: now.toISOString() });
    const existing = { email: 'a@b.example', language: 'uk' as const, kinds: ['own' as const], updatedAt: 'x' };
    expect(contactForFollowing(existing, 'new@b.example', 'en', now)).toMatchObject({ email: 'new@b.example', language: 'uk', kinds: ['own', 'followed'] });
    expect(contactForFollowing({ ...existing, kinds: ['followed'] }, 'a@b.example', 'en', now)).toBeUndefined();
  });
  it('language from Accept-Language, Ukrainian when it names neither', () => {
    expect(languageFromHeader('en-GB,en;q=0.9')).toBe('en');
    expect(languageFromHeader('de,uk;q=0.5,en;q=0.4')).toBe('uk');
    expect(languageFromHeader(undefined)).toBe('uk');
    expect(languageFromHeader('fr')).toBe('uk');
  });
});

describe('person e-mails', () => {
  const links = { origin: 'https://petitions.example', unsubscribeUrl: 'https://petitions.example/v1/notifications/unsubscribe?token=t' };
  it('carry the unsubscribe link in both parts, and the petition link', () => {
    const mail = personMail('uk', { type: 'petition-threshold', title: 'Лавки', petitionId: 'p1', threshold: 300 }, links);
    expect(mail.subject).toBe('Петиція набрала 300 підписів: Лавки');
    expect(mail.text).toContain(links.unsubscribeUrl);
    expect(mail.html).toContain(`href="${links.unsubscribeUrl.replace(/&/g, '&amp;')}"`);
    expect(mail.text).toContain('https://petitions.example/petitions/p1');
  });
  it('localize the council decision', () => {
    expect(personMail('en', { type: 'petition-response', title: 'T', petitionId: 'p1', decision: 'partially-supported', text: 'ok' }, links).text).toContain('Decision: partially supported.');
    expect(personMail('uk', { type: 'petition-rejected', title: 'T', petitionId: 'p1', explanation: 'Поза повноваженнями' }, links).text).toContain('Пояснення модератора: Поза повноваженнями');
  });
});
