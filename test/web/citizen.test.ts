/// <reference lib="dom" />
import { createHash, randomUUID } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '#shared/data/client.ts';
import { budgetKeys } from '#shared/data/budgets.ts';
import { axeViolations, browserSuite, newPhone, screenshot } from './support/browser.ts';
import { setPetitionDeadline } from '../support/petition-deadline.ts';

/**
 * The rest of the citizens' app (issue 11) in Chromium at 360×740 with touch, against the whole
 * local system: petitions by state with counts, search, "my petitions", consultations and polls
 * (every question type, changed before closing, results as charts), budgets (projects by category,
 * the vote and its receipt found again, results with winners, implementation), and every page
 * at 320 px and at 200 % zoom. axe-core checks every page; screenshots go to test-results/web/.
 */

const { api, browser, phone, expectAccessible, keep } = browserSuite();

const DAY = 86_400_000;
const at = (days: number) => new Date(Date.now() + days * DAY).toISOString();

const nationalIdOf = (sub: string) => String(1_000_000_000 + (parseInt(createHash('sha256').update(sub).digest('hex').slice(0, 8), 16) % 9_000_000_000));
const signInUrl = (sub: string, next: string) =>
  `/dev/sign-in?${new URLSearchParams({ sub, roles: 'citizen', community: 'ternopil', birthdate: '1990-05-01', name: 'Олена Коваль', email: 'olena@example.org', nationalId: nationalIdOf(sub), next })}`;

const staff = (role: 'moderator' | 'council') => api.token({ sub: `${role}-${randomUUID()}`, roles: [role] });

async function createPetition(title: string, author?: string) {
  const created = await api.request('POST', '/v1/petitions', { token: author ?? (await api.token()), body: { title, text: `${title}: просимо раду розглянути це питання якнайшвидше.` } });
  expect(created.status, created.text).toBe(201);
  return created.body.id as string;
}
async function moderate(id: string, body: Record<string, unknown>) {
  const res = await api.request('POST', `/v1/petitions/${id}/moderation`, { token: await staff('moderator'), body });
  expect(res.status, res.text).toBe(200);
}

/** Moves a petition's deadline into the past, as the clock would: it is closed. */
async function closePetition(id: string) {
  const closesAt = new Date(Date.now() - 60_000).toISOString();
  const db = createDocumentClient();
  await setPetitionDeadline(db, api.tableName, id, closesAt);
  db.destroy();
}

/** The horizontal overflow of the page (0 when nothing scrolls sideways). */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

const paths: Record<string, string> = {};

describe('petitions by state, search and my petitions', () => {
  const authorSub = `author-${randomUUID()}`;
  beforeAll(async () => {
    paths.open = await createPetition('Велодоріжка на вулиці Микулинецькій');
    await moderate(paths.open, { decision: 'publish' });
    paths.closed = await createPetition('Ліхтарі на вулиці Тарнавського');
    await moderate(paths.closed, { decision: 'publish' });
    await closePetition(paths.closed);
    paths.answered = await createPetition('Ремонт тротуару на Замковій');
    await moderate(paths.answered, { decision: 'publish' });
    await closePetition(paths.answered);
    const answered = await api.request('POST', `/v1/petitions/${paths.answered}/response`, {
      token: await staff('council'), body: { decision: 'partially-supported', text: 'Ремонт включено до плану робіт на наступний рік.' },
    });
    expect(answered.status, answered.text).toBe(200);
    paths.rejected = await createPetition('Перейменувати річку Серет');
    await moderate(paths.rejected, { decision: 'reject', reasonCode: 'not-in-competence', explanation: 'Назви річок не належать до повноважень міської ради.' });
    // The author's own: one waiting for a moderator.
    paths.mine = await createPetition('Фонтан у сквері Кобзаря', await api.token({ sub: authorSub }));
    await api.waitForStreams();
  });

  it('lists closed, answered and rejected petitions beside open ones, with the count of each', async () => {
    const page = await phone();
    await page.goto('/petitions');
    const states = page.getByRole('navigation', { name: 'Стан петицій' });
    await states.getByRole('link', { name: 'Збирають підписи (1)' }).waitFor();
    for (const name of ['Завершені (2)', 'З відповіддю ради (1)', 'Відхилені (1)']) await states.getByRole('link', { name }).waitFor();
    await page.getByRole('article').filter({ hasText: 'Велодоріжка на вулиці Микулинецькій' }).waitFor();

    await states.getByRole('link', { name: 'Завершені (2)' }).tap();
    await page.waitForURL(/status=closed/);
    const closed = page.getByRole('article').filter({ hasText: 'Ліхтарі на вулиці Тарнавського' });
    await closed.waitFor();
    expect(await closed.textContent()).toContain('Збір підписів завершено');
    expect(await page.getByRole('article').count()).toBe(2);
    // Closed petitions are sorted by newest or most signed; "ending soon" is not offered.
    expect(await page.getByRole('link', { name: 'Скоро завершуються' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Найбільше підписів' }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'petitions-closed');

    await states.getByRole('link', { name: /З відповіддю ради/ }).tap();
    const answered = page.getByRole('article').filter({ hasText: 'Ремонт тротуару на Замковій' });
    await answered.waitFor();
    expect(await answered.textContent()).toContain('Підтримано частково');
    expect(await page.getByRole('article').count()).toBe(1);
    await expectAccessible(page);
    await screenshot(page, 'petitions-answered');

    await states.getByRole('link', { name: /Відхилені/ }).tap();
    const rejected = page.getByRole('article').filter({ hasText: 'Перейменувати річку Серет' });
    await rejected.waitFor();
    expect(await rejected.textContent()).toContain('Назви річок не належать до повноважень міської ради.');
    await expectAccessible(page);
  });

  it('search finds a petition by an inflected word and opens it', async () => {
    const page = await phone();
    await page.goto('/search');
    await page.getByRole('heading', { name: 'Пошук', level: 1 }).waitFor();
    await expectAccessible(page);
    await page.getByLabel('Що шукаєте?').fill('ліхтар');
    await page.getByRole('button', { name: 'Шукати' }).tap();
    await page.waitForURL(/\/search\?q=/);
    const hit = page.getByRole('link', { name: 'Ліхтарі на вулиці Тарнавського' });
    await hit.waitFor();
    await page.getByText(/Знайдено \d+ результат/).waitFor();
    expect(await page.locator('mark').count()).toBeGreaterThan(0);
    await expectAccessible(page);
    await screenshot(page, 'search');
    await hit.tap();
    await page.waitForURL(`**/petitions/${paths.closed}`);
    await page.getByRole('heading', { name: 'Ліхтарі на вулиці Тарнавського' }).waitFor();

    await page.goto('/search?q=%D0%B6%D0%B8%D1%80%D0%B0%D1%84%D0%B0');
    await page.getByText('Нічого не знайдено. Спробуйте інші слова.').waitFor();
  });

  it('my petitions shows the author’s own, with the moderation state', async () => {
    const page = await phone();
    await page.goto('/me/petitions');
    await page.getByRole('link', { name: 'Увійдіть, щоб побачити свої петиції.' }).waitFor();
    await page.goto(signInUrl(authorSub, '/me/petitions'));
    const mine = page.getByRole('article').filter({ hasText: 'Фонтан у сквері Кобзаря' });
    await mine.waitFor();
    expect(await mine.textContent()).toContain('На модерації');
    expect(await page.getByRole('article').count()).toBe(1);
    await page.getByRole('link', { name: 'Мої петиції' }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'my-petitions');
  });

  it('shares a petition: a copied link where the Web Share API is missing', async () => {
    const context = await newPhone(browser, api.url);
    keep(context);
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const page = await context.newPage();
    await page.addInitScript(() => {
      Object.defineProperty(navigator, 'share', { value: undefined });
    });
    await page.goto(`/petitions/${paths.open}`);
    await page.getByRole('button', { name: 'Поділитися' }).tap();
    await page.getByText('Посилання скопійовано.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${api.url}/petitions/${paths.open}`);
  });
});

describe('a poll with every question type, answered and changed before closing', () => {
  let id: string;
  beforeAll(async () => {
    const created = await api.request('POST', '/v1/consultations', {
      token: await staff('council'),
      body: {
        title: 'Яким буде парк над Ставом?',
        draftText: 'Проєкт рішення про облаштування парку над Ставом.\n\nМіська рада пропонує оновити алеї, освітлення й дитячі майданчики.',
        documents: [{ title: 'Пояснювальна записка', url: 'https://ternopil.example/docs/park.pdf' }],
        opensAt: at(-1), closesAt: at(7), resultsVisibility: 'live',
        questions: [
          { id: 'support', type: 'single', text: 'Чи підтримуєте ви проєкт?', options: [{ id: 'yes', text: 'Так' }, { id: 'no', text: 'Ні' }] },
          { id: 'features', type: 'multiple', text: 'Що має бути в парку?', maxChoices: 2, options: [{ id: 'benches', text: 'Лавки' }, { id: 'light', text: 'Освітлення' }, { id: 'playground', text: 'Дитячий майданчик' }] },
          { id: 'priority', type: 'ranked', text: 'Що робити спочатку?', options: [{ id: 'paths', text: 'Алеї' }, { id: 'lamps', text: 'Ліхтарі' }, { id: 'toilets', text: 'Туалети' }] },
          { id: 'ideas', type: 'open', text: 'Ваші ідеї для парку', required: false },
        ],
      },
    });
    expect(created.status, created.text).toBe(201);
    id = created.body.id as string;
  });

  it('answers every question type (the ranking by buttons), then changes the answer; results as charts with a table', async () => {
    const page = await phone();
    await page.goto('/consultations');
    const card = page.getByRole('article').filter({ hasText: 'Яким буде парк над Ставом?' });
    await card.waitFor();
    expect(await card.textContent()).toContain('Консультація');
    await page.getByRole('link', { name: 'Тривають (1)' }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'consultations');

    const sub = `resident-${randomUUID()}`;
    await page.goto(signInUrl(sub, `/consultations/${id}`));
    await page.getByRole('heading', { name: 'Проєкт рішення' }).waitFor();
    await page.getByRole('link', { name: 'Пояснювальна записка' }).waitFor();
    await page.getByRole('radio', { name: 'Так' }).tap();
    await page.getByRole('checkbox', { name: 'Лавки' }).tap();
    await page.getByRole('checkbox', { name: 'Освітлення' }).tap();
    await page.getByRole('checkbox', { name: 'Дитячий майданчик' }).tap();
    // Three where two are allowed: refused before sending.
    const sent: string[] = [];
    page.on('request', (r) => { if (r.method() === 'PUT') sent.push(r.url()); });
    await page.getByRole('button', { name: 'Надіслати відповіді' }).tap();
    await page.getByRole('alert').filter({ hasText: 'У питанні «Що має бути в парку?» обрано забагато варіантів.' }).waitFor();
    expect(sent).toEqual([]);
    await page.getByRole('checkbox', { name: 'Дитячий майданчик' }).tap();
    // Ranking by buttons: Туалети to the top.
    await page.getByRole('button', { name: 'Підняти «Туалети» вище' }).tap();
    await page.getByRole('button', { name: 'Підняти «Туалети» вище' }).tap();
    await page.getByText('«Туалети» тепер на 1 місці.').waitFor();
    await page.getByLabel('Ваша відповідь').fill('Більше тіні: посадіть дерева вздовж алей.');
    await expectAccessible(page);
    await screenshot(page, 'consultation-answer');
    await page.getByRole('button', { name: 'Надіслати відповіді' }).tap();
    await page.getByText('Ваші відповіді збережено.').waitFor();
    expect(sent).toHaveLength(1);
    const token = await api.token({ sub });
    const first = await api.request('GET', `/v1/consultations/${id}/response`, { token });
    expect(first.body.answers).toEqual([
      { questionId: 'support', optionIds: ['yes'] },
      { questionId: 'features', optionIds: ['benches', 'light'] },
      { questionId: 'priority', optionIds: ['toilets', 'paths', 'lamps'] },
      { questionId: 'ideas', text: 'Більше тіні: посадіть дерева вздовж алей.' },
    ]);

    // Back later: the answers are there, and changed.
    await page.reload();
    await page.getByText(/Ваші відповіді від .* збережено/).waitFor();
    expect(await page.getByRole('radio', { name: 'Так' }).isChecked()).toBe(true);
    expect(await page.locator('.ranking li .option').allTextContents()).toEqual(['Туалети', 'Алеї', 'Ліхтарі']);
    await page.getByRole('radio', { name: 'Ні' }).tap();
    await page.getByRole('button', { name: 'Опустити «Туалети» нижче' }).tap();
    await page.getByRole('button', { name: 'Змінити відповіді' }).tap();
    await page.getByText('Ваші відповіді збережено.').waitFor();
    const changed = await api.request('GET', `/v1/consultations/${id}/response`, { token });
    expect(changed.body.answers.find((a: { questionId: string }) => a.questionId === 'support')).toEqual({ questionId: 'support', optionIds: ['no'] });
    expect(changed.body.answers.find((a: { questionId: string }) => a.questionId === 'priority').optionIds).toEqual(['paths', 'toilets', 'lamps']);

    // Live results, asked again after the change: one participant, the changed answer counted once, numbers in a table.
    const chart = page.getByRole('table', { name: 'Чи підтримуєте ви проєкт?' });
    await expect.poll(() => chart.getByRole('row', { name: /Ні/ }).textContent(), { timeout: 20_000 }).toContain('1');
    expect(await chart.getByRole('row', { name: /Так/ }).textContent()).toContain('0');
    await page.getByText('Взяла участь 1 особа').waitFor();
    await page.getByRole('table', { name: 'Що робити спочатку?' }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'consultation-results');
  });

  it('ranks by keyboard alone, and by dragging', async () => {
    const context = await browser.newContext({ baseURL: api.url, viewport: { width: 1280, height: 900 }, locale: 'uk-UA' });
    keep(context);
    const page = await context.newPage();
    await page.goto(signInUrl(`keyboard-${randomUUID()}`, `/consultations/${id}`));
    const up = page.getByRole('button', { name: 'Підняти «Ліхтарі» вище' });
    await up.waitFor();
    await up.focus();
    await page.keyboard.press('Enter');
    // Focus stays on the moved option's button: pressing again moves it again.
    await page.keyboard.press('Enter');
    expect(await page.locator('.ranking li .option').allTextContents()).toEqual(['Ліхтарі', 'Алеї', 'Туалети']);
    await page.locator('.ranking li').filter({ hasText: 'Туалети' }).dragTo(page.locator('.ranking li').filter({ hasText: 'Ліхтарі' }));
    expect(await page.locator('.ranking li .option').allTextContents()).toEqual(['Туалети', 'Ліхтарі', 'Алеї']);
  });
});

async function setSchedule(id: string, schedule: Record<string, string | null>) {
  const db = createDocumentClient();
  await db.send(new UpdateCommand({ TableName: api.tableName, Key: budgetKeys.budget(id), UpdateExpression: 'SET schedule = :s', ExpressionAttributeValues: { ':s': schedule } }));
  db.destroy();
}

describe('offline', () => {
  it('reads a visited consultation offline (its page chunk and the answers read kept by the service worker)', async () => {
    const id = await firstConsultation();
    const context = await newPhone(browser, api.url);
    keep(context);
    const page = await context.newPage();
    await page.goto('/');
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.reload();
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 30_000 }).toBe(true);
    await page.goto(`/consultations/${id}`);
    await page.getByRole('heading', { name: 'Проєкт рішення' }).waitFor();
    await page.getByRole('table').first().waitFor();
    // The page's chunk is kept by the worker itself, not left to the browser's HTTP cache.
    const kept = await page.evaluate(async () => (await (await caches.open('chunks-v1')).keys()).map((r) => new URL(r.url).pathname));
    expect(kept.some((path) => path.startsWith('/assets/'))).toBe(true);

    await context.setOffline(true);
    await page.reload();
    await page.getByRole('heading', { name: 'Яким буде парк над Ставом?' }).waitFor();
    await page.getByRole('heading', { name: 'Проєкт рішення' }).waitFor();
    await page.getByText('Немає з’єднання з інтернетом').first().waitFor();
    await expectAccessible(page);
    await context.setOffline(false);
  });
});

/** A city budget with projects in two categories, moved into voting by rewriting its dates (as app.test.ts does). */
async function cityBudgetInVoting(title: string) {
  const council = await staff('council');
  const created = await api.request('POST', '/v1/budgets', {
    token: council,
    body: {
      kind: 'public', title, description: 'Громадський бюджет міста: проєкти мешканців.',
      money: { currency: 'UAH', total: 3_000_000, categories: [{ id: 'large', name: 'Великі', amount: 2_000_000 }, { id: 'small', name: 'Малі', amount: 1_000_000 }] },
      schedule: { submission: at(0), preSupport: null, review: at(1), voting: at(2), results: at(3), implementation: at(4) },
      preSupport: { required: 0 },
      ballotRules: { type: 'approval', perCategory: { large: { min: 1, max: 1 }, small: { min: 1, max: 1 } } },
      rule: { name: 'greedy', rankBy: 'votes' },
    },
  });
  expect(created.status, created.text).toBe(201);
  const id = created.body.id as string;
  const author = await api.token();
  const projects: [string, string, number][] = [['Сквер на Східному масиві', 'large', 1_500_000], ['Стадіон школи № 5', 'large', 1_200_000], ['Лавки на Бульварі', 'small', 300_000]];
  for (const [name, category, cost] of projects) {
    const res = await api.request('POST', `/v1/budgets/${id}/projects`, { token: author, body: { title: name, description: `${name}: опис проєкту для мешканців міста.`, cost, category } });
    expect(res.status, res.text).toBe(201);
  }
  await setSchedule(id, { submission: at(-2), preSupport: null, review: at(-1), voting: at(1), results: at(2), implementation: at(3) });
  for (const [i, [, , cost]] of projects.entries()) {
    expect((await api.request('POST', `/v1/budgets/${id}/projects/${i + 1}/review`, { token: council, body: { feasible: true, reason: 'Реалізовно.', finalCost: cost } })).status).toBe(200);
  }
  await setSchedule(id, { submission: at(-3), preSupport: null, review: at(-2), voting: at(-1), results: at(1), implementation: at(2) });
  return id;
}

describe('participatory budgets', () => {
  let voting: string;
  let finished: string;
  beforeAll(async () => {
    voting = await cityBudgetInVoting('Громадський бюджет Тернополя 2027');
    // A finished one: three residents voted, voting closed, the council published the results.
    finished = await cityBudgetInVoting('Громадський бюджет Тернополя 2026');
    for (const [i, projects] of [['1', '3'], ['1', '3'], ['2', '3']].entries()) {
      const sub = `voter-2026-${i}-${randomUUID()}`;
      const token = await api.token({ sub, nationalId: nationalIdOf(sub) });
      const cast = await api.request('POST', `/v1/budgets/${finished}/ballots`, { token, body: { ballotId: randomUUID(), ballot: { projects } } });
      expect(cast.status, cast.text).toBe(201);
    }
    await setSchedule(finished, { submission: at(-6), preSupport: null, review: at(-5), voting: at(-4), results: at(-1), implementation: at(30) });
    const council = await staff('council');
    const published = await api.request('POST', `/v1/budgets/${finished}/results`, { token: council });
    expect(published.status, published.text).toBe(201);
    const progress = await api.request('PUT', `/v1/budgets/${finished}/projects/1/implementation`, { token: council, body: { status: 'in-progress', progress: 40, note: 'Висаджено дерева, тривають роботи з освітлення.' } });
    expect(progress.status, progress.text).toBe(200);
  });

  it('lists budgets by phase and browses a budget’s projects by category', async () => {
    const page = await phone();
    await page.goto('/budgets');
    await page.getByRole('link', { name: 'Голосування (1)' }).waitFor();
    await page.getByRole('link', { name: 'Результати (1)' }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'budgets');
    await page.getByRole('link', { name: 'Голосування (1)' }).tap();
    await page.waitForURL(/phase=voting/);
    await page.getByRole('link', { name: 'Громадський бюджет Тернополя 2027' }).tap();
    await page.waitForURL(`**/budgets/${voting}`);
    await page.getByRole('heading', { name: 'Громадський бюджет Тернополя 2027' }).waitFor();
    await page.getByText('3 проєкти').waitFor();
    // Search finds a project and opens it on its budget's page, focused.
    await api.waitForStreams();
    await page.goto('/search?q=%D1%81%D1%82%D0%B0%D0%B4%D1%96%D0%BE%D0%BD&type=project');
    await page.getByRole('link', { name: 'Стадіон школи № 5' }).first().waitFor();
    await page.locator(`a[href="/budgets/${voting}?project=2"]`).tap();
    await page.waitForURL(`**/budgets/${voting}?project=2`);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('project-2');
    await page.getByLabel('Категорія').waitFor();
    await page.getByLabel('Категорія').selectOption({ label: 'Малі' });
    await page.getByText('1 проєкт', { exact: true }).waitFor();
    expect(await page.locator('article.card').filter({ hasText: 'Лавки на Бульварі' }).textContent()).toMatch(/300\s000/);
    expect(await page.locator('article.card').filter({ hasText: 'Сквер на Східному масиві' }).count()).toBe(0);
    await expectAccessible(page);
    await screenshot(page, 'budget');
  });

  it('votes within the limits, keeps the receipt on the device, and finds that ballot again', async () => {
    const page = await phone();
    await page.goto(signInUrl(`voter-${randomUUID()}`, `/budgets/${voting}`));
    await page.getByRole('link', { name: 'Проголосувати' }).tap();
    await page.waitForURL(`**/budgets/${voting}/vote`);
    await page.getByRole('checkbox', { name: /Стадіон школи/ }).tap();
    await page.getByRole('checkbox', { name: /Лавки на Бульварі/ }).tap();
    await page.getByText('Малі: обрано 1 з 1').waitFor();
    await page.getByRole('button', { name: 'Проголосувати' }).tap();
    await page.getByRole('heading', { name: 'Ваш голос зараховано' }).waitFor();
    const receipt = (await page.locator('.receipt').textContent())!;

    await page.getByRole('link', { name: 'Мої квитанції' }).tap();
    await page.waitForURL('**/receipts');
    const item = page.getByRole('listitem').filter({ hasText: receipt });
    await item.waitFor();
    expect(await item.textContent()).toContain('Громадський бюджет Тернополя 2027');
    await expectAccessible(page);
    await item.getByRole('button', { name: 'Знайти мій бюлетень' }).tap();
    await item.getByText('Бюлетень знайдено серед поданих.').waitFor();
    expect(await item.getByRole('listitem').allTextContents()).toEqual(['Стадіон школи № 5', 'Лавки на Бульварі']);
    await expectAccessible(page);
    await screenshot(page, 'receipts');

    // On another device, without the kept receipt: the number typed in (lower case, as read off a screen) finds it too.
    const other = await phone();
    await other.goto('/receipts');
    await other.getByText('На цьому пристрої ще немає квитанцій.').waitFor();
    await other.getByLabel('Бюджет').selectOption({ label: 'Громадський бюджет Тернополя 2027' });
    await other.getByLabel('Номер квитанції').fill('НЕМАЄ-ТАКОЇ');
    await other.getByRole('button', { name: 'Знайти мій бюлетень' }).tap();
    await other.getByText('Бюлетеня з таким номером у цьому бюджеті немає.').waitFor();
    await other.getByLabel('Номер квитанції').fill(receipt.toLowerCase());
    await other.getByRole('button', { name: 'Знайти мій бюлетень' }).tap();
    await other.getByText('Бюлетень знайдено серед поданих.').waitFor();
    expect(await other.getByRole('region', { name: 'Знайти бюлетень за номером квитанції' }).getByRole('listitem').allTextContents()).toEqual(['Стадіон школи № 5', 'Лавки на Бульварі']);
    await expectAccessible(other);
  });

  it('shows the results with winners and a chart, and how the winners are being built', async () => {
    const page = await phone();
    await page.goto(`/budgets/${finished}`);
    await page.getByRole('heading', { name: 'Результати' }).waitFor();
    const winners = page.locator('.winners li');
    await winners.first().waitFor();
    // Greedy by votes within each category: the square (2 votes) fills the large category, the stadium (1) no longer fits; the benches (3) win the small one.
    expect((await winners.allTextContents()).map((w) => w.split(' · ')[0])).toEqual(['Сквер на Східному масиві', 'Лавки на Бульварі']);
    const chart = page.getByRole('table', { name: 'Голоси за проєкти' });
    expect(await chart.getByRole('row', { name: /Лавки на Бульварі/ }).textContent()).toContain('3 голоси');
    expect(await chart.getByRole('row', { name: /Стадіон школи/ }).textContent()).toContain('1 голос');
    expect(await chart.getByRole('row', { name: /переможець/ }).count()).toBe(2);
    await page.getByText('Подано 3 бюлетені').waitFor();
    const implementation = page.getByRole('region', { name: 'Виконання проєктів-переможців' });
    const square = implementation.getByRole('listitem').filter({ hasText: 'Сквер на Східному масиві' });
    expect(await square.getByRole('progressbar').getAttribute('value')).toBe('40');
    expect(await square.textContent()).toContain('Виконується: 40 %');
    expect(await square.textContent()).toContain('Висаджено дерева');
    await expectAccessible(page);
    await screenshot(page, 'budget-results');
  });
});

describe('every new page at 320 px and at 200 % zoom', () => {
  it('nothing scrolls sideways, and axe finds nothing', async () => {
    const pages = ['/petitions?status=closed', '/search?q=ліхтар', '/me/petitions', '/consultations', `/consultations/${await firstConsultation()}`, '/budgets', '/receipts'];
    // 320 CSS px (WCAG 1.4.10), and a 1280 px wide window zoomed to 200 % (640 CSS px, text twice as large).
    for (const [width, height, scale] of [[320, 640, 1], [640, 400, 2]] as const) {
      const context = await browser.newContext({ baseURL: api.url, viewport: { width, height }, deviceScaleFactor: scale, locale: 'uk-UA' });
      keep(context);
      const page = await context.newPage();
      await page.goto(signInUrl(`zoom-${randomUUID()}`, '/'));
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      for (const path of pages) {
        await page.goto(path);
        await page.getByRole('heading', { level: 1 }).first().waitFor();
        await expect.poll(() => page.getByRole('status').filter({ hasText: 'Завантаження…' }).count(), { timeout: 30_000 }).toBe(0);
        expect(await overflow(page), `${path} at ${width} px`).toBeLessThanOrEqual(0);
        expect(await axeViolations(page), `${path} at ${width} px`).toEqual([]);
      }
    }
  }, 240_000);
});

async function firstConsultation(): Promise<string> {
  const list = await api.request('GET', '/v1/consultations?community=ternopil');
  return list.body.items[0].id as string;
}
