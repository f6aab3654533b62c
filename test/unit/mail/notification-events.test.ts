import { describe, expect, it } from 'vitest';
import { audienceOf, contactForFollowing, kindFor, languageFromHeader, petitionEvents, withWinners } from '#shared/domain/notifications.ts';
import { personMail } from '#shared/i18n/mail.ts';

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

  it('a petition closing: one event per closing record (its INSERT), to the author and the followers, with the final count', () => {
    const closed = { pk: 'PETITION#p1', sk: 'CLOSED', type: 'petition-closed', petitionId: 'p1', title: 'Лавки', authorSub: 'a1', community: 'ternopil', signatureCount: 412, closesAt: '2026-04-01T10:00:00.000Z', recordedAt: '2026-04-01T10:05:00.000Z' };
    const [event] = petitionEvents(undefined, closed);
    expect(event).toEqual({
      type: 'petition-closed', key: 'petition-closed:p1', petitionId: 'p1', title: 'Лавки', authorSub: 'a1', community: 'ternopil', signatureCount: 412, closesAt: '2026-04-01T10:00:00.000Z',
    });
    expect(audienceOf(event!)).toEqual({ followers: true, author: 'a1', subject: { type: 'petition', id: 'p1' } });
    expect(kindFor(event!, 'a1')).toBe('own');
    expect(kindFor(event!, 'signer')).toBe('followed');
    // A change of the record (never made, but a redelivered or later image) is no new closing.
    expect(petitionEvents(closed, { ...closed, recordedAt: 'x' })).toEqual([]);
    // The same sort key outside a petition's partition is not a closing.
    expect(petitionEvents(undefined, { ...closed, pk: 'CONSULTATION#c1' })).toEqual([]);
  });

  it('a consultation report, once', () => {
    const c = { pk: 'CONSULTATION#c1', sk: 'CONSULTATION', id: 'c1', title: 'Парк', community: 'ternopil' };
    expect(petitionEvents({ ...c, report: null }, { ...c, report: { summary: 's' } })).toMatchObject([{ type: 'consultation-report', key: 'consultation-report:c1' }]);
    expect(petitionEvents({ ...c, report: { summary: 's' } }, { ...c, report: { summary: 's' } })).toEqual([]);
  });
});

describe('budget events', () => {
  const budget = { pk: 'BUDGET#b1', sk: 'BUDGET', id: 'b1', title: 'Бюджет участі 2027', community: 'ternopil' };
  const project = { pk: 'BUDGET#b1', sk: 'PROJECT#p1', budgetId: 'b1', id: 'p1', title: 'Сквер', community: 'ternopil', implementation: null };
  const done = { status: 'in-progress', progress: 40, note: 'Закуплено лавки', updatedAt: '2027-06-01T10:00:00.000Z' };

  it('results published: once, when the stamp goes from null to a time; never for an import that arrives published', () => {
    const [results] = petitionEvents({ ...budget, resultsPublishedAt: null }, { ...budget, resultsPublishedAt: '2027-05-01T09:00:00.000Z' });
    expect(results).toEqual({ type: 'budget-results', key: 'budget-results:b1', budgetId: 'b1', title: 'Бюджет участі 2027', community: 'ternopil' });
    expect(audienceOf(results!)).toEqual({ followers: true, author: undefined, subject: { type: 'budget', id: 'b1' } });
    expect(kindFor(results!, 'anyone')).toBe('followed');
    const published = { ...budget, resultsPublishedAt: '2027-05-01T09:00:00.000Z' };
    expect(petitionEvents(published, { ...published, paperVoters: 3 })).toEqual([]);
    expect(petitionEvents(undefined, published)).toEqual([]);
    expect(petitionEvents({ ...budget, resultsPublishedAt: null }, { ...budget, resultsPublishedAt: null, countingStartedAt: 'x' })).toEqual([]);
  });

  it('names the winners in selection order, from the stored results', () => {
    const [results] = petitionEvents({ ...budget, resultsPublishedAt: null }, { ...budget, resultsPublishedAt: '2027-05-01T09:00:00.000Z' });
    const stored = { winners: ['3', '1'], projects: [{ projectId: '1', title: 'Сквер' }, { projectId: '2', title: 'Лавки' }, { projectId: '3', title: 'Ліхтарі' }] };
    expect(withWinners(results!, stored)).toMatchObject({ type: 'budget-results', winners: ['Ліхтарі', 'Сквер'] });
    expect(withWinners(results!, undefined)).toEqual(results);
  });

  it('each implementation update of a winner is one event, keyed by its time; other project changes none', () => {
    const [update] = petitionEvents(project, { ...project, implementation: done });
    expect(update).toEqual({
      type: 'budget-implementation', key: 'budget-implementation:b1:p1:2027-06-01T10:00:00.000Z', budgetId: 'b1', projectId: 'p1',
      title: 'Сквер', community: 'ternopil', status: 'in-progress', progress: 40, note: 'Закуплено лавки',
    });
    expect(audienceOf(update!).subject).toEqual({ type: 'budget', id: 'b1' });
    expect(petitionEvents({ ...project, implementation: done }, { ...project, implementation: done, supportCount: 9 })).toEqual([]);
    expect(petitionEvents(project, { ...project, supportCount: 9 })).toEqual([]);
    const next = { ...done, status: 'completed', progress: 100, updatedAt: '2027-09-01T10:00:00.000Z' };
    expect(petitionEvents({ ...project, implementation: done }, { ...project, implementation: next })[0]?.key).toBe('budget-implementation:b1:p1:2027-09-01T10:00:00.000Z');
    // A consultation or petition item with a PROJECT# key elsewhere is not a budget's.
    expect(petitionEvents({ ...project, pk: 'OTHER#1' }, { ...project, pk: 'OTHER#1', implementation: done })).toEqual([]);
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
  it('budget results and implementation updates link to the budget page, in the reader\'s language', () => {
    const results = personMail('uk', { type: 'budget-results', title: 'Бюджет участі 2027', budgetId: 'b1' }, links);
    expect(results.subject).toBe('Оголошено результати бюджету участі: Бюджет участі 2027');
    expect(results.text).toContain('https://petitions.example/budgets/b1');
    expect(results.text).toContain(links.unsubscribeUrl);
    expect(results.text).not.toContain('Перемогли');
    const named = personMail('uk', { type: 'budget-results', title: 'Б', budgetId: 'b1', winners: ['Ліхтарі', 'Сквер', 'Лавки'] }, links);
    expect(named.text).toContain('Перемогли проєкти: «Ліхтарі», «Сквер» і «Лавки».');
    const many = personMail('en', { type: 'budget-results', title: 'B', budgetId: 'b1', winners: Array.from({ length: 23 }, (_, i) => `P${i + 1}`) }, links);
    expect(many.text).toContain('"P19", "P20" and 3 more.');
    expect(many.text).not.toContain('P21');
    const update = personMail('en', { type: 'budget-implementation', title: 'Square', budgetId: 'b1', status: 'in-progress', progress: 40, note: 'Benches bought' }, links);
    expect(update.subject).toBe('Implementation news of a project: Square');
    expect(update.text).toContain('The winning participatory budget project "Square": in progress, 40% done.');
    expect(update.text).toContain('The council\'s note: Benches bought');
    const uk = personMail('uk', { type: 'budget-implementation', title: 'Сквер', budgetId: 'b1', status: 'completed', progress: 100, note: '' }, links);
    expect(uk.text).toMatch(/Проєкт-переможець бюджету участі «Сквер»: виконано, готовність 100\s?%\./);
    expect(uk.text).not.toContain('Коментар');
  });

  it('a petition closing names the final count in the reader\'s language and links to the petition', () => {
    const uk = personMail('uk', { type: 'petition-closed', title: 'Лавки', petitionId: 'p1', signatureCount: 412 }, links);
    expect(uk.subject).toBe('Збір підписів завершено: Лавки');
    expect(uk.text).toContain('Збір підписів під петицією «Лавки» завершено. Остаточний підсумок: 412 підписів.');
    expect(uk.text).toContain('https://petitions.example/petitions/p1');
    expect(uk.html).toContain('Остаточний підсумок: 412 підписів.');
    expect(uk.html).toContain('href="https://petitions.example/petitions/p1"');
    const en = personMail('en', { type: 'petition-closed', title: 'Benches', petitionId: 'p1', signatureCount: 1 }, links);
    expect(en.subject).toBe('Signing has closed: Benches');
    expect(en.text).toContain('Signing of the petition "Benches" has closed. The final count: 1 signature.');
    expect(en.html).toContain('The final count: 1 signature.');
  });

  it('localize the council decision', () => {
    expect(personMail('en', { type: 'petition-response', title: 'T', petitionId: 'p1', decision: 'partially-supported', text: 'ok' }, links).text).toContain('Decision: partially supported.');
    expect(personMail('uk', { type: 'petition-rejected', title: 'T', petitionId: 'p1', explanation: 'Поза повноваженнями' }, links).text).toContain('Пояснення модератора: Поза повноваженнями');
  });
});
