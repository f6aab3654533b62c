/// <reference lib="dom" />
import { createHash, randomUUID } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '#shared/data/client.ts';
import { budgetKeys } from '#shared/data/budgets.ts';
import { browserSuite, newPhone, screenshot } from './support/browser.ts';

/**
 * The citizens' web app in Debian's Chromium at 360×740 with touch, against the whole local
 * system (gateway, handlers, stream consumers, DynamoDB Local): what a resident does on a phone.
 * Every page is checked with axe-core (WCAG 2.1 A/AA) and photographed into test-results/web/.
 */

const { api, browser, phone, expectAccessible, keep } = browserSuite();

async function openPetition(title: string) {
  const author = await api.token();
  const moderator = await api.token({ sub: `moderator-${randomUUID()}`, roles: ['moderator'] });
  const created = await api.request('POST', '/v1/petitions', { token: author, body: { title, text: 'Просимо встановити двадцять нових лавок уздовж алей парку.' } });
  expect(created.status).toBe(201);
  expect((await api.request('POST', `/v1/petitions/${created.body.id}/moderation`, { token: moderator, body: { decision: 'publish' } })).status).toBe(200);
  return created.body.id as string;
}

/** A resident as the identity provider attests them (a national identifier derived from `sub`, for budget voting). */
const signInUrl = (sub: string, next: string) =>
  `/dev/sign-in?${new URLSearchParams({ sub, roles: 'citizen', community: 'ternopil', birthdate: '1990-05-01', name: 'Олена Коваль', email: 'olena@example.org', nationalId: nationalIdOf(sub), next })}`;
const nationalIdOf = (sub: string) => String(1_000_000_000 + (parseInt(createHash('sha256').update(sub).digest('hex').slice(0, 8), 16) % 9_000_000_000));

describe('petitions', () => {
  let petitionId: string;
  beforeAll(async () => {
    petitionId = await openPetition('Більше лавок у парку Шевченка');
  });

  it('the list shows the open petitions with their count and progress, in Ukrainian', async () => {
    const page = await phone();
    await page.goto('/');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 30_000 }).toBe('Петиції');
    const card = page.getByRole('article').filter({ hasText: 'Більше лавок у парку Шевченка' });
    await card.waitFor();
    expect(await card.textContent()).toContain('0 підписів');
    expect(await card.getByRole('progressbar').count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('uk');
    await expectAccessible(page);
    await screenshot(page, 'petitions');
    await page.getByRole('link', { name: 'Найбільше підписів' }).tap();
    await page.waitForURL(/sort=most-signed/);
    await card.waitFor();
    await expectAccessible(page);
  });

  it('signs in from the local sign-in page, signs in one tap on a flaky network, and shows it signed on return: one signature', async () => {
    const page = await phone();
    await page.goto(`/petitions/${petitionId}`);
    await page.getByRole('link', { name: 'Увійдіть, щоб підписати' }).tap();
    await page.waitForURL(/\/sign-in\?next=/);
    await expectAccessible(page);
    await screenshot(page, 'sign-in');
    await page.getByRole('link', { name: 'Увійти як Олена Коваль' }).tap();
    await page.waitForURL(`**/petitions/${petitionId}`);
    expect(page.url()).not.toContain('token='); // the hand-over fragment is gone from the address
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => /token/i.test(k)))).toEqual([]);
    const sign = page.getByRole('button', { name: 'Підписати' });
    await sign.waitFor();
    await expectAccessible(page);
    await screenshot(page, 'petition');

    // The first answer is lost on the way back (the signature is stored): the app resends.
    let dropped = 0;
    await page.route('**/v1/petitions/*/signatures', async (route) => {
      if (dropped++ === 0) {
        await route.fetch();
        return route.abort('connectionreset');
      }
      return route.continue();
    });
    await sign.tap();
    const confirmation = page.getByRole('status').filter({ hasText: 'Ви підписали' });
    await confirmation.waitFor();
    expect(await confirmation.textContent()).toContain('1 підпис');
    expect(dropped).toBe(2);
    await expectAccessible(page);
    await screenshot(page, 'petition-signed');

    await api.waitForStreams();
    await page.reload();
    await page.getByText('Ви підписали цю петицію').waitFor();
    expect(await page.getByRole('button', { name: 'Підписати' }).count()).toBe(0);
    expect(await page.locator('.count.big').textContent()).toBe('1 підпис');
    const stored = await api.request('GET', `/v1/petitions/${petitionId}`);
    expect(stored.body.signatureCount).toBe(1);
    const mine = await api.request('GET', `/v1/petitions/${petitionId}/signatures/mine`, { token: await api.token({ sub: 'olena' }) });
    expect(mine.status).toBe(200);
  });

  it('signing again from another session of the same person still counts one signature', async () => {
    const page = await phone();
    await page.goto(signInUrl('olena-2', `/petitions/${petitionId}`));
    await page.getByRole('button', { name: 'Підписати' }).tap();
    await page.getByRole('status').filter({ hasText: 'Ви підписали' }).waitFor();
    const again = await phone();
    await again.goto(signInUrl('olena-2', `/petitions/${petitionId}`));
    await again.getByText('Ви підписали цю петицію').waitFor();
    const token = await api.token({ sub: 'olena-2' });
    expect((await api.request('POST', `/v1/petitions/${petitionId}/signatures`, { token })).status).toBe(200);
    await api.waitForStreams();
    expect((await api.request('GET', `/v1/petitions/${petitionId}`)).body.signatureCount).toBe(2);
  });

  it('creates a petition from a draft that survives a reload, and submits it for moderation', async () => {
    const page = await phone();
    await page.goto(signInUrl(`author-${randomUUID()}`, '/petitions/new'));
    const title = `Пітна доріжка в сквері ${randomUUID().slice(0, 6)}`.replace('Пітна', 'Пішохідна');
    await page.getByLabel('Назва').fill(title);
    await page.getByLabel('Текст петиції').fill('Просимо облаштувати пішохідну доріжку з освітленням через сквер біля школи.');
    await page.getByText('Чернетку збережено на цьому пристрої.').waitFor();
    await page.reload();
    await expect.poll(() => page.getByLabel('Назва').inputValue(), { timeout: 30_000 }).toBe(title);
    expect(await page.getByLabel('Текст петиції').inputValue()).toContain('пішохідну доріжку');
    await expectAccessible(page);
    await screenshot(page, 'petition-new');
    await page.getByRole('button', { name: 'Подати на модерацію' }).tap();
    await page.getByText('Петицію подано. Її статус: На модерації.').waitFor();
    await expectAccessible(page);
    const moderator = await api.token({ sub: `moderator-${randomUUID()}`, roles: ['moderator'] });
    const queue = await api.request('GET', '/v1/moderation/petitions', { token: moderator });
    expect(queue.body.items.map((p: { title: string }) => p.title)).toContain(title);
    await page.goto('/petitions/new');
    expect(await page.getByLabel('Назва').inputValue()).toBe(''); // the draft went with the submission
  });

  it('switches to English and keeps the choice on this device', async () => {
    const page = await phone();
    await page.goto(`/petitions/${petitionId}`);
    await page.getByRole('heading', { name: 'Більше лавок у парку Шевченка' }).waitFor();
    await page.getByRole('button', { name: 'English: switch to English' }).tap();
    await page.getByRole('link', { name: 'Sign in to sign' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.goto('/');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 30_000 }).toBe('Petitions');
    expect(await page.getByRole('article').first().textContent()).toMatch(/\d+ signatures?/);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Українська: перейти на українську' }).tap();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 30_000 }).toBe('Петиції');
  });

  it('fits 320 px without sideways scrolling, and signs by keyboard alone', async () => {
    const context = await browser.newContext({ baseURL: api.url, viewport: { width: 320, height: 640 }, locale: 'uk-UA', reducedMotion: 'reduce' });
    keep(context);
    const page = await context.newPage();
    for (const path of ['/', `/petitions/${petitionId}`, '/petitions/new', '/sign-in']) {
      await page.goto(path);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), path).toBe(true);
    }
    await page.goto(signInUrl('keyboard-user', `/petitions/${petitionId}`));
    await page.getByRole('button', { name: 'Підписати' }).waitFor();
    // The first Tab reaches the skip link; then on through the page until the Sign button.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Перейти до вмісту');
    for (let i = 0; i < 20 && (await page.evaluate(() => document.activeElement?.textContent)) !== 'Підписати'; i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Ви підписали' }).waitFor();
  });

  it('reads a visited petition offline, and says plainly that signing needs a connection', async () => {
    const context = await newPhone(browser, api.url);
    keep(context);
    const page = await context.newPage();
    await page.goto(`/petitions/${petitionId}`);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    // Once the worker controls the page, what the page reads passes through it and is kept.
    await page.reload();
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 30_000 }).toBe(true);
    await page.getByRole('heading', { name: 'Більше лавок у парку Шевченка' }).waitFor();
    await page.goto(signInUrl('offline-reader', `/petitions/${petitionId}`));
    await page.getByRole('button', { name: 'Підписати' }).waitFor();

    await context.setOffline(true);
    await page.reload();
    await page.getByRole('heading', { name: 'Більше лавок у парку Шевченка' }).waitFor();
    await page.getByText('Немає з’єднання з інтернетом').first().waitFor();
    await page.getByRole('button', { name: 'Підписати' }).tap();
    await page.getByText('Щоб підписати петицію, потрібне з’єднання з інтернетом.').first().waitFor();
    await expectAccessible(page);
    await screenshot(page, 'petition-offline');
    await context.setOffline(false);
    const stored = await api.request('GET', `/v1/petitions/${petitionId}/signatures/mine`, { token: await api.token({ sub: 'offline-reader' }) });
    expect(stored.status).toBe(404);
  });
});

describe('students vote with a code from their slip', () => {
  const DAY = 86_400_000;
  let budgetA: string;
  let codesA: string[];
  let codeB: string;

  /** A school budget with two admitted projects, moved into voting by rewriting its dates. */
  async function schoolBudgetInVoting(schoolId: string) {
    const council = await api.token({ sub: `council-${randomUUID()}`, roles: ['council'] });
    const admin = await api.token({ sub: `school-admin-${randomUUID()}`, roles: ['school-admin'], school: schoolId });
    const now = Date.now();
    const at = (days: number) => new Date(now + days * DAY).toISOString();
    const created = await api.request('POST', '/v1/budgets', {
      token: council,
      body: {
        kind: 'school', schoolId, students: 30, title: `Шкільний бюджет, ліцей ${schoolId}`,
        money: { total: 80_000 }, schedule: { submission: at(0), preSupport: null, review: at(1), voting: at(2), results: at(3), implementation: at(4) },
        ballotRules: { type: 'choose-1' }, rule: { name: 'greedy', rankBy: 'votes' },
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    for (const [title, description] of [['Спортивний майданчик', 'Нове покриття і ворота на шкільному стадіоні.'], ['Зелений клас', 'Клас просто неба з лавками і навісом у шкільному саду.']]) {
      expect((await api.request('POST', `/v1/budgets/${id}/projects`, { token: admin, body: { title, description, cost: 40_000 } })).status).toBe(201);
    }
    const db = createDocumentClient();
    const setSchedule = (schedule: Record<string, string | null>) =>
      db.send(new UpdateCommand({ TableName: api.tableName, Key: budgetKeys.budget(id), UpdateExpression: 'SET schedule = :s', ExpressionAttributeValues: { ':s': schedule } }));
    await setSchedule({ submission: at(-2), preSupport: null, review: at(-1), voting: at(1), results: at(2), implementation: at(3) });
    for (const projectId of ['1', '2']) {
      const reviewed = await api.request('POST', `/v1/budgets/${id}/projects/${projectId}/review`, { token: council, body: { feasible: true, reason: 'Погоджено школою.', finalCost: 40_000 } });
      expect(reviewed.status).toBe(200);
    }
    const codes = await api.request('POST', `/v1/budgets/${id}/codes`, { token: admin, body: { count: 3 } });
    expect(codes.status).toBe(201);
    await setSchedule({ submission: at(-3), preSupport: null, review: at(-2), voting: at(-1), results: at(1), implementation: at(2) });
    db.destroy();
    return { id, codes: (codes.body.codes as { code: string }[]).map((c) => c.code) };
  }

  beforeAll(async () => {
    ({ id: budgetA, codes: codesA } = await schoolBudgetInVoting('school-5'));
    codeB = (await schoolBudgetInVoting('school-12')).codes[0]!;
  });

  it('votes once with the code from the QR link and gets a receipt; the second use is refused', async () => {
    const page = await phone();
    await page.goto(`/school-vote?budget=${budgetA}&code=${codesA[0]}`);
    await page.getByRole('heading', { name: 'Шкільний бюджет, ліцей school-5' }).waitFor();
    await page.getByRole('radio').first().waitFor();
    expect(await page.getByRole('radio').count()).toBe(2);
    await expectAccessible(page);
    await screenshot(page, 'school-vote');
    await page.getByRole('radio', { name: /Зелений клас/ }).tap();
    await page.getByText('Обрано 1 проєкт').waitFor();
    await page.getByRole('button', { name: 'Проголосувати' }).tap();
    await page.getByRole('heading', { name: 'Ваш голос зараховано' }).waitFor();
    const receipt = await page.locator('.receipt').textContent();
    expect(receipt?.length).toBeGreaterThan(8);
    expect(await page.evaluate(() => localStorage.getItem('hromada.receipts'))).toContain(receipt!);
    await expectAccessible(page);
    await screenshot(page, 'school-vote-receipt');
    const ballots = await api.request('GET', `/v1/budgets/${budgetA}/codes`, { token: await api.token({ roles: ['school-admin'], school: 'school-5' }) });
    expect(ballots.body).toMatchObject({ issued: 3, used: 1 });

    const second = await phone();
    await second.goto(`/school-vote?budget=${budgetA}&code=${codesA[0]}`);
    await second.getByRole('radio', { name: /Спортивний майданчик/ }).tap();
    await second.getByRole('button', { name: 'Проголосувати' }).tap();
    await second.getByRole('alert').filter({ hasText: 'Цим кодом уже проголосували' }).waitFor();
    await expectAccessible(second);
    await screenshot(second, 'school-vote-used');
  });

  it('catches a mistyped code before sending, and refuses another school’s code', async () => {
    const page = await phone();
    const original = codesA[1]!;
    const symbols = original.replace(/-/g, '');
    const swapped = symbols[0] === 'A' ? 'B' : 'A';
    const typo = swapped + symbols.slice(1);
    const sent: string[] = [];
    page.on('request', (r) => { if (r.method() === 'POST') sent.push(r.url()); });
    await page.goto(`/school-vote?budget=${budgetA}&code=${typo}`);
    await page.getByRole('radio', { name: /Зелений клас/ }).tap();
    await page.getByRole('button', { name: 'Проголосувати' }).tap();
    await page.getByRole('alert').filter({ hasText: 'У коді помилка' }).waitFor();
    expect(sent).toEqual([]);
    await expectAccessible(page);

    await page.getByLabel('Код із картки').fill(codeB);
    await page.getByRole('button', { name: 'Проголосувати' }).tap();
    await page.getByRole('alert').filter({ hasText: 'Цей код не належить до цього бюджету' }).waitFor();
    // The refused code still votes in its own school, and this code still here.
    await page.getByLabel('Код із картки').fill(original.toLowerCase());
    await page.getByRole('button', { name: 'Проголосувати' }).tap();
    await page.getByRole('heading', { name: 'Ваш голос зараховано' }).waitFor();
  });
});

describe('residents vote in a city budget within its limits', () => {
  it('shows each category’s limit live, refuses what the rules refuse before sending, and gives a receipt', async () => {
    const council = await api.token({ sub: `council-${randomUUID()}`, roles: ['council'] });
    const now = Date.now();
    const at = (days: number) => new Date(now + days * 86_400_000).toISOString();
    const created = await api.request('POST', '/v1/budgets', {
      token: council,
      body: {
        kind: 'public', title: 'Громадський бюджет Тернополя 2027',
        money: { currency: 'UAH', total: 3_000_000, categories: [{ id: 'large', name: 'Великі', amount: 2_000_000 }, { id: 'small', name: 'Малі', amount: 1_000_000 }] },
        schedule: { submission: at(0), preSupport: null, review: at(1), voting: at(2), results: at(3), implementation: at(4) },
        preSupport: { required: 0 },
        ballotRules: { type: 'approval', perCategory: { large: { min: 1, max: 1 }, small: { min: 1, max: 1 } } },
        rule: { name: 'greedy', rankBy: 'votes' },
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const author = await api.token();
    const projects: [string, string, number][] = [['Сквер на Східному масиві', 'large', 1_500_000], ['Стадіон школи № 5', 'large', 1_200_000], ['Лавки на Бульварі', 'small', 300_000]];
    for (const [title, category, cost] of projects) {
      const res = await api.request('POST', `/v1/budgets/${id}/projects`, { token: author, body: { title, description: `${title}: опис проєкту для мешканців міста.`, cost, category } });
      expect(res.status, res.text).toBe(201);
    }
    const db = createDocumentClient();
    const setSchedule = (schedule: Record<string, string | null>) =>
      db.send(new UpdateCommand({ TableName: api.tableName, Key: budgetKeys.budget(id), UpdateExpression: 'SET schedule = :s', ExpressionAttributeValues: { ':s': schedule } }));
    await setSchedule({ submission: at(-2), preSupport: null, review: at(-1), voting: at(1), results: at(2), implementation: at(3) });
    for (const [i, [, , cost]] of projects.entries()) {
      expect((await api.request('POST', `/v1/budgets/${id}/projects/${i + 1}/review`, { token: council, body: { feasible: true, reason: 'Реалізовно.', finalCost: cost } })).status).toBe(200);
    }
    await setSchedule({ submission: at(-3), preSupport: null, review: at(-2), voting: at(-1), results: at(1), implementation: at(2) });
    db.destroy();

    const page = await phone();
    const sent: string[] = [];
    page.on('request', (r) => { if (r.method() === 'POST') sent.push(r.url()); });
    await page.goto(signInUrl(`resident-${randomUUID()}`, `/budgets/${id}/vote`));
    await page.getByRole('checkbox').first().waitFor();
    // The three projects (beside them, the "tell me the result" checkbox of issue 13).
    expect(await page.getByRole('group', { name: 'Проєкти' }).getByRole('checkbox').count()).toBe(3);
    await expectAccessible(page);
    await page.getByRole('checkbox', { name: /Сквер на Східному масиві/ }).tap();
    await page.getByRole('checkbox', { name: /Стадіон школи/ }).tap();
    await page.getByText('Великі: обрано 2 з 1').waitFor();
    await page.getByRole('button', { name: 'Проголосувати' }).tap();
    await page.getByRole('alert').filter({ hasText: 'Забагато' }).waitFor();
    expect(sent).toEqual([]);
    await page.getByRole('checkbox', { name: /Стадіон школи/ }).tap();
    await page.getByRole('checkbox', { name: /Лавки на Бульварі/ }).tap();
    await page.getByText('Малі: обрано 1 з 1').waitFor();
    await screenshot(page, 'budget-vote');
    await page.getByRole('button', { name: 'Проголосувати' }).tap();
    await page.getByRole('heading', { name: 'Ваш голос зараховано' }).waitFor();
    const receipt = await page.locator('.receipt').textContent();
    expect(await page.evaluate(() => localStorage.getItem('hromada.receipts'))).toContain(receipt!);
    expect(sent).toHaveLength(1);
    await expectAccessible(page);
  });
});
