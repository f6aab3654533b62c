/**
 * People hear back: the author of a participatory-budget project hears the council's review
 * (admitted to the ballot with its final cost, or not with the reason), once per decision, in their
 * language, when they chose `own` messages. On DynamoDB Local and the local SMTP server, through the
 * real stream consumers (events -> fan-out -> sender).
 */
import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '#shared/data/client.ts';
import { ternopil } from '#shared/domain/community.ts';
import { budgetScheduleAt, setBudgetPhase, type BudgetPhase } from '../support/budget-schedule.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';

let api: TestSystem;
let db: DynamoDBDocumentClient;

beforeAll(async () => {
  api = await startTestSystem({ communities: [ternopil] });
  db = createDocumentClient(api.dynamoEndpoint);
});
afterAll(async () => {
  await api?.stop();
  db.destroy();
});

const scheduleAt = (phase: BudgetPhase) => budgetScheduleAt(phase);
const setPhase = (id: string, phase: BudgetPhase) => setBudgetPhase(db, api.tableName, id, phase);

const council = () => api.token({ sub: `council-${randomUUID()}`, roles: ['council'] });
const nationalId = () => String(Math.floor(1e9 + Math.random() * 9e9));
const email = (name: string) => `${name}-${randomUUID().slice(0, 8)}@example.com`;
const mailOf = (address: string) => api.mail.messages(address);

describe('a budget project\'s author hears the council\'s review', () => {
  it('once per decision, in their language, with the final cost or the reason; nothing without a contact, nothing for the same decision again', async () => {
    const created = await api.request('POST', '/v1/budgets', {
      token: await council(),
      body: {
        kind: 'public', title: 'Бюджет участі 2027: Дружба',
        money: { total: 200_000 }, schedule: scheduleAt('submission'), preSupport: { required: 0 },
        ballotRules: { type: 'approval', projects: { min: 1, max: 2 } }, rule: { name: 'greedy', rankBy: 'votes' },
      },
    });
    expect(created.status, created.text).toBe(201);
    const id = created.body.id as string;

    const author = async (name: string, language?: 'uk' | 'en') => {
      const address = email(name);
      const token = await api.token({ nationalId: nationalId(), email: address });
      if (language) {
        const saved = await api.request('PUT', '/v1/me/notifications', { token, body: { language, kinds: ['own'] } });
        expect(saved.status, saved.text).toBe(200);
      }
      return { address, token };
    };
    const uk = await author('author-uk', 'uk');
    const en = await author('author-en', 'en');
    const silent = await author('author-without-contact');

    const projects: [typeof uk, string][] = [[uk, 'Лавки в парку'], [en, 'Ліхтарі на Руській'], [silent, 'Дерева на Дружбі']];
    for (const [who, title] of projects) {
      const res = await api.request('POST', `/v1/budgets/${id}/projects`, { token: who.token, body: { title, description: 'Опис проєкту для мешканців мікрорайону.', cost: 100_000 } });
      expect(res.status, res.text).toBe(201);
    }
    // Submitting tells nobody anything.
    await api.waitForStreams(30_000);
    for (const who of [uk, en, silent]) expect(mailOf(who.address), who.address).toEqual([]);

    await setPhase(id, 'review');
    const reviewer = await council();
    const review = async (projectId: string, body: Record<string, unknown>) => {
      const res = await api.request('POST', `/v1/budgets/${id}/projects/${projectId}/review`, { token: reviewer, body });
      expect(res.status, res.text).toBe(200);
    };
    await review('1', { feasible: true, reason: 'Можна виконати.', finalCost: 150_000 });
    await review('2', { feasible: false, reason: 'Вулиця не належить громаді.' });
    await review('3', { feasible: true, reason: 'Можна виконати.', finalCost: 90_000 });
    await api.waitForStreams(30_000);

    const [toUk, ...moreUk] = mailOf(uk.address);
    expect(moreUk).toEqual([]);
    expect(toUk!.subject).toBe('Ваш проєкт допущено до голосування: Лавки в парку');
    expect(toUk!.text).toContain('Рада розглянула ваш проєкт «Лавки в парку» і допустила його до голосування за бюджет участі.');
    expect(toUk!.text).toContain('Бюджет участі: «Бюджет участі 2027: Дружба».');
    expect(toUk!.text).toMatch(/Вартість проєкту за результатами розгляду: 150\s000\s₴\./);
    expect(toUk!.text).toContain(`${api.url}/budgets/${id}?project=1`);
    expect(toUk!.html).toContain(`href="${api.url}/budgets/${id}?project=1"`);
    expect(toUk!.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');

    const [toEn, ...moreEn] = mailOf(en.address);
    expect(moreEn).toEqual([]);
    expect(toEn!.subject).toBe('Your project was not admitted to the ballot: Ліхтарі на Руській');
    expect(toEn!.text).toContain('The council reviewed your project "Ліхтарі на Руській" and did not admit it to the participatory budget vote.');
    expect(toEn!.text).toContain('The reason for the decision: Вулиця не належить громаді.');
    expect(toEn!.text).toContain('Participatory budget: "Бюджет участі 2027: Дружба".');
    expect(toEn!.text).toContain(`${api.url}/budgets/${id}?project=2`);
    expect(toEn!.html).toContain('The reason for the decision: Вулиця не належить громаді.');

    // No contact: no message, though the token carries an address.
    expect(mailOf(silent.address)).toEqual([]);

    // Reviewed again with the same decisions (a new reason, a new cost): nothing new to tell.
    await review('1', { feasible: true, reason: 'Кошторис уточнено.', finalCost: 140_000 });
    await review('2', { feasible: false, reason: 'Вулиця належить області.' });
    await api.waitForStreams(30_000);
    expect(mailOf(uk.address)).toHaveLength(1);
    expect(mailOf(en.address)).toHaveLength(1);
    expect(mailOf(silent.address)).toEqual([]);

    // The project pages show no author (the message was the only place the author is named: to themselves).
    const listed = await api.request('GET', `/v1/budgets/${id}/projects`);
    expect(JSON.stringify(listed.body)).not.toContain('authorSub');
  }, 180_000);
});
