import { describe, expect, it } from 'vitest';
import { audienceOf, kindFor, petitionEvents, withBudget } from '#shared/domain/notifications.ts';
import { personMail } from '#shared/i18n/mail.ts';

/** A submitted project's item as the table's stream shows it (shared/data/budgets.ts projectItem). */
const project = {
  pk: 'BUDGET#b1', sk: 'PROJECT#7', type: 'budget-project', budgetId: 'b1', id: '7', ord: 7, community: 'ternopil', authorSub: 'author-1',
  title: 'Лавки в парку', description: 'Опис', cost: 120_000, category: null, submittedAt: '2027-02-01T10:00:00.000Z', supportCount: 12,
  review: null, implementation: null, pabulibColumns: null,
};
const admitted = { feasible: true, reason: 'Можна виконати.', finalCost: 150_000, reviewedAt: '2027-03-10T09:00:00.000Z' };
const rejected = { feasible: false, reason: 'Земля не належить громаді.', finalCost: null, reviewedAt: '2027-03-10T09:00:00.000Z' };

describe('a budget project\'s review, from the table\'s stream', () => {
  it('admitted: one event to the author alone (`own`), with the cost the reviewers set', () => {
    const events = petitionEvents(project, { ...project, review: admitted });
    expect(events).toEqual([{
      type: 'budget-project-reviewed', key: 'budget-project-reviewed:b1:7:admitted:2027-03-10T09:00:00.000Z', budgetId: 'b1', projectId: '7', title: 'Лавки в парку',
      authorSub: 'author-1', community: 'ternopil', admitted: true, reason: 'Можна виконати.', finalCost: 150_000,
    }]);
    expect(audienceOf(events[0]!)).toEqual({ followers: false, author: 'author-1', subject: { type: 'budget', id: 'b1' } });
    expect(kindFor(events[0]!, 'author-1')).toBe('own');
  });

  it('rejected: one event with the reviewers\' reason and no cost', () => {
    const [event] = petitionEvents(project, { ...project, review: rejected });
    expect(event).toMatchObject({ type: 'budget-project-reviewed', key: 'budget-project-reviewed:b1:7:rejected:2027-03-10T09:00:00.000Z', admitted: false, reason: 'Земля не належить громаді.', finalCost: null });
  });

  it('a changed decision is a new event; the same decision again (new reason, new cost) is none', () => {
    const [changed] = petitionEvents({ ...project, review: admitted }, { ...project, review: { ...rejected, reviewedAt: '2027-03-11T09:00:00.000Z' } });
    expect(changed?.key).toBe('budget-project-reviewed:b1:7:rejected:2027-03-11T09:00:00.000Z');
    const again = { ...admitted, reason: 'Виконано кошторис.', finalCost: 140_000, reviewedAt: '2027-03-11T09:00:00.000Z' };
    expect(petitionEvents({ ...project, review: admitted }, { ...project, review: again })).toEqual([]);
  });

  it('a decision reversed and then restored is told again: the author\'s last message is the decision that stands', () => {
    const [first] = petitionEvents(project, { ...project, review: admitted });
    const reversed = { ...rejected, reviewedAt: '2027-03-11T09:00:00.000Z' };
    const restored = { ...admitted, reviewedAt: '2027-03-12T09:00:00.000Z' };
    const [again] = petitionEvents({ ...project, review: reversed }, { ...project, review: restored });
    expect(again).toMatchObject({ type: 'budget-project-reviewed', admitted: true });
    expect(again?.key).not.toBe(first?.key);
  });

  it('no review change, no event: a support counted, an implementation update, an unreviewed project', () => {
    expect(petitionEvents(project, { ...project, supportCount: 13 })).toEqual([]);
    expect(petitionEvents({ ...project, review: admitted }, { ...project, review: admitted, supportCount: 13 })).toEqual([]);
    const implementation = { status: 'planned', progress: 0, note: null, updatedAt: '2027-06-01T10:00:00.000Z' };
    expect(petitionEvents({ ...project, review: admitted }, { ...project, review: admitted, implementation }).map((e) => e.type)).toEqual(['budget-implementation']);
  });

  it('a redelivered record makes the same event with the same key (the job is written once per key)', () => {
    const first = petitionEvents(project, { ...project, review: admitted });
    const redelivered = petitionEvents(project, { ...project, review: admitted });
    expect(redelivered).toEqual(first);
    expect(redelivered[0]!.key).toBe(first[0]!.key);
  });

  it('nobody to tell: an imported project (arrives reviewed, no author), a project without an author, a PROJECT# key outside a budget', () => {
    expect(petitionEvents(undefined, { ...project, authorSub: null, review: admitted })).toEqual([]);
    expect(petitionEvents({ ...project, authorSub: null }, { ...project, authorSub: null, review: admitted })).toEqual([]);
    expect(petitionEvents({ ...project, pk: 'OTHER#1' }, { ...project, pk: 'OTHER#1', review: admitted })).toEqual([]);
  });

  it('the budget\'s title and currency are added from the budget item', () => {
    const [event] = petitionEvents(project, { ...project, review: admitted });
    expect(withBudget(event!, { title: 'Бюджет участі 2027', money: { currency: 'UAH', total: 1_000_000 } })).toMatchObject({ budgetTitle: 'Бюджет участі 2027', currency: 'UAH' });
    expect(withBudget(event!, undefined)).toEqual(event);
  });
});

describe('the e-mail to the project\'s author', () => {
  const links = { origin: 'https://hromada.example', unsubscribeUrl: 'https://hromada.example/v1/notifications/unsubscribe?token=t' };
  const base = { type: 'budget-project-reviewed' as const, title: 'Лавки <в парку>', budgetId: 'b1', projectId: '7', budgetTitle: 'Бюджет участі 2027', currency: 'UAH' };

  it('admitted, in Ukrainian: the decision, the budget, the final cost, a link to the project', () => {
    const mail = personMail('uk', { ...base, admitted: true, reason: 'Можна виконати.', finalCost: 150_000 }, links);
    expect(mail.subject).toBe('Ваш проєкт допущено до голосування: Лавки <в парку>');
    expect(mail.text).toContain('Рада розглянула ваш проєкт «Лавки <в парку>» і допустила його до голосування за бюджет участі.');
    expect(mail.text).toContain('Бюджет участі: «Бюджет участі 2027».');
    expect(mail.text).toMatch(/Вартість проєкту за результатами розгляду: 150\s000\s₴\./);
    expect(mail.text).not.toContain('Можна виконати');
    expect(mail.text).toContain('https://hromada.example/budgets/b1?project=7');
    expect(mail.text).toContain(links.unsubscribeUrl);
    expect(mail.html).toContain('Лавки &lt;в парку&gt;');
    expect(mail.html).toContain('href="https://hromada.example/budgets/b1?project=7"');
  });

  it('rejected, in English: the decision and the reviewers\' reason, no cost', () => {
    const mail = personMail('en', { ...base, admitted: false, reason: 'The land is not the community\'s.', finalCost: null }, links);
    expect(mail.subject).toBe('Your project was not admitted to the ballot: Лавки <в парку>');
    expect(mail.text).toContain('The council reviewed your project "Лавки <в парку>" and did not admit it to the participatory budget vote.');
    expect(mail.text).toContain('The reason for the decision: The land is not the community\'s.');
    expect(mail.text).not.toContain('cost');
    expect(mail.html).toContain('The reason for the decision: The land is not the community&#39;s.');
  });

  it('without the budget item\'s title and currency: no budget line, the plain number', () => {
    const mail = personMail('en', { type: 'budget-project-reviewed', title: 'Benches', budgetId: 'b1', projectId: '7', admitted: true, reason: '', finalCost: 1500 }, links);
    expect(mail.subject).toBe('Your project is on the ballot: Benches');
    expect(mail.text).not.toContain('Participatory budget:');
    expect(mail.text).toContain('The project\'s cost as set in the review: 1,500.');
  });
});
