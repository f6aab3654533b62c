/// <reference lib="dom" />
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '#shared/data/client.ts';
import { putCommunity } from '#shared/data/communities.ts';
import { ternopil, type CommunityConfig } from '#shared/domain/community.ts';
import { browserSuite, screenshot } from './support/browser.ts';

/**
 * The staff console's council and moderation pages in Debian's Chromium, against the whole local
 * system: a petition reaches its threshold through the API and the open inbox shows the alert
 * without a reload; the council answers and residents see the answer; a moderator works the
 * queue by keyboard. Every page is checked with axe-core and photographed (desktop and phone).
 */

const { api, phone, desktop, expectAccessible } = browserSuite();

/** Ternopil's rules with a threshold of 5, so a test can reach it quickly. */
const community: CommunityConfig = {
  ...ternopil,
  id: 'console-demo',
  petitions: { ...ternopil.petitions, thresholds: [{ signatures: 5, purpose: 'council-consideration' }], responseWorkingDays: 10 },
};

beforeAll(async () => {
  const db = createDocumentClient();
  await putCommunity(db, community);
  db.destroy();
}, 180_000);

const staffSignIn = (sub: string, roles: string, next: string) =>
  `/dev/sign-in?${new URLSearchParams({ sub, roles, community: community.id, birthdate: '1980-02-02', name: 'Ірина Мельник', next })}`;

async function createPetition(title: string): Promise<string> {
  const author = await api.token({ community: community.id });
  const created = await api.request('POST', '/v1/petitions', {
    token: author,
    body: { title, text: 'Просимо облаштувати безпечний пішохідний перехід із освітленням біля школи.', tags: ['транспорт'] },
  });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

async function publish(id: string) {
  const moderator = await api.token({ sub: `moderator-${randomUUID()}`, roles: ['moderator'], community: community.id });
  expect((await api.request('POST', `/v1/petitions/${id}/moderation`, { token: moderator, body: { decision: 'publish' } })).status).toBe(200);
}

/** The built JS files that hold console code (found by code only the console has). */
function consoleChunks(): string[] {
  const dir = join(api.web!.outDir, 'assets');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .filter((f) => /console-nav|alertsRead|queue-item/.test(readFileSync(join(dir, f), 'utf8')))
    .map((f) => `/assets/${f}`);
}

describe('council inbox', () => {
  it('an alert appears in the open inbox without a reload; the council answers; residents see the answer and never load the console', async () => {
    const title = `Безпечний перехід біля школи №${Math.floor(Math.random() * 90) + 10}`;
    const id = await createPetition(title);
    await publish(id);

    const page = await desktop();
    const alertRequests: number[] = [];
    const scripts: string[] = [];
    page.on('response', (r) => {
      if (new URL(r.url()).pathname === '/v1/council/alerts') alertRequests.push(r.status());
    });
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
    });
    await page.goto(staffSignIn('council-secretary', 'council', '/council'));
    await page.getByRole('heading', { level: 1, name: 'Вхідні ради' }).waitFor();
    await page.getByText('Сповіщень ще немає.').waitFor();
    await page.getByText('Усі петиції, що набрали потрібні підписи, мають відповідь.').waitFor();
    // The page must not reload: a mark set now would be gone after one.
    await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
    await expectAccessible(page);

    // Five residents sign through the API; the stream consumer records the crossing.
    for (let i = 0; i < 5; i++) {
      const signer = await api.token({ community: community.id });
      expect((await api.request('POST', `/v1/petitions/${id}/signatures`, { token: signer })).status).toBe(201);
    }
    const signedAt = Date.now();
    const alert = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: title }) }).first();
    await alert.waitFor({ timeout: 10_000 });
    expect(Date.now() - signedAt).toBeLessThan(10_000);
    expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
    expect(await alert.textContent()).toContain('Набрала 5 підписів');
    // The badge (the screen-reader announcement may say the same words).
    await page.locator('.badge', { hasText: '1 нове' }).waitFor();
    expect(await page.title()).toMatch(/^\(1\) Вхідні ради/);
    // The polls in between were 304s: an unchanged list costs no body.
    // (The alert may arrive on the very first poll after the signatures: the next ones, unchanged, are 304s.)
    await expect.poll(() => alertRequests.filter((s) => s === 304).length, { timeout: 15_000 }).toBeGreaterThan(0);
    expect(alertRequests.every((s) => s === 200 || s === 304)).toBe(true);

    // The awaiting list follows: with the deadline under the community's rules (10 working days).
    const awaiting = page.getByRole('region', { name: /Чекають на відповідь/ });
    const card = awaiting.getByRole('listitem').filter({ hasText: title });
    await card.waitFor();
    expect(await card.textContent()).toContain('Відповісти до ');
    expect(await card.textContent()).toMatch(/залишилося 1[234] днів/);
    await expectAccessible(page);
    await screenshot(page, 'console-council-desktop');

    const onPhone = await phone();
    await onPhone.goto(staffSignIn('council-secretary', 'council', '/council'));
    await onPhone.getByRole('link', { name: title }).first().waitFor();
    await expectAccessible(onPhone);
    await screenshot(onPhone, 'console-council-phone');

    // Mark read: the count goes.
    await page.getByRole('button', { name: 'Позначити всі прочитаними' }).click();
    await expect.poll(() => page.locator('.badge', { hasText: '1 нове' }).count()).toBe(0);

    // Answer it, by keyboard where a form is involved.
    await card.getByRole('link', { name: title }).click();
    await page.getByRole('heading', { level: 2, name: 'Відповідь на петицію' }).waitFor();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Оприлюднити відповідь' }).click();
    await page.getByText('Оберіть рішення ради.').waitFor();
    await page.getByLabel('Підтримано', { exact: true }).check();
    await page.getByLabel('Текст відповіді').fill('Рада підтримала петицію: перехід облаштують до 1 березня.');
    await expectAccessible(page);
    await screenshot(page, 'console-council-respond-desktop');
    await page.getByRole('button', { name: 'Оприлюднити відповідь' }).click();
    await page.getByText('Відповідь оприлюднено.').waitFor();
    const stored = await api.request('GET', `/v1/petitions/${id}`);
    expect(stored.body.response).toMatchObject({ decision: 'supported', text: 'Рада підтримала петицію: перехід облаштують до 1 березня.' });

    // Back in the inbox, the petition no longer awaits.
    await page.getByRole('link', { name: 'До вхідних' }).click();
    await page.getByText('Усі петиції, що набрали потрібні підписи, мають відповідь.').waitFor();

    // The decision log shows the answer.
    await page.getByRole('navigation', { name: 'Розділи кабінету' }).getByRole('link', { name: 'Журнал рішень' }).click();
    await page.getByRole('heading', { level: 1, name: 'Журнал рішень' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: 'Відповідь на петицію' });
    await row.waitFor();
    expect(await row.textContent()).toContain('рада');
    await expectAccessible(page);
    await screenshot(page, 'console-audit-desktop');
    await onPhone.goto('/council/audit');
    await onPhone.getByRole('row').filter({ hasText: 'Відповідь на петицію' }).waitFor();
    await expectAccessible(onPhone);
    await screenshot(onPhone, 'console-audit-phone');

    // The council's page fetched the console's code; a resident's page of the same petition does not.
    const chunks = consoleChunks();
    expect(chunks.length).toBeGreaterThan(0);
    expect(scripts.some((s) => chunks.includes(s))).toBe(true);
    const resident = await phone();
    const residentScripts: string[] = [];
    resident.on('request', (r) => {
      if (r.resourceType() === 'script') residentScripts.push(new URL(r.url()).pathname);
    });
    await resident.goto(`/petitions/${id}`);
    const answer = resident.getByRole('region', { name: 'Відповідь ради' });
    await answer.waitFor();
    expect(await answer.textContent()).toContain('Рада підтримала петицію: перехід облаштують до 1 березня.');
    expect(await answer.textContent()).toContain('Підтримано');
    expect(residentScripts.length).toBeGreaterThan(0);
    expect(residentScripts.filter((s) => chunks.includes(s))).toEqual([]);
  }, 180_000);

  it('navigation follows the roles: the council does not see moderation, and is refused it', async () => {
    const page = await desktop();
    await page.goto(staffSignIn('council-2', 'council', '/moderation'));
    await page.getByText('Ця сторінка лише для працівників з іншою роллю.').waitFor();
    const nav = page.getByRole('navigation', { name: 'Розділи кабінету' });
    // Other areas (budgets) add their own entries: these are the council's pages of this area, in order, and no moderation.
    const councilLinks = await nav.getByRole('link').allTextContents();
    expect(councilLinks.filter((l) => ['Вхідні ради', 'Журнал рішень', 'Консультації', 'Модерація', 'Коментарі й пропозиції'].includes(l)))
      .toEqual(['Вхідні ради', 'Журнал рішень', 'Консультації']);
    const moderator = await desktop();
    await moderator.goto(staffSignIn('moderator-2', 'moderator', '/council'));
    await moderator.getByText('Ця сторінка лише для працівників з іншою роллю.').waitFor();
    const moderatorLinks = await moderator.getByRole('navigation', { name: 'Розділи кабінету' }).getByRole('link').allTextContents();
    expect(moderatorLinks).toEqual(['Журнал рішень', 'Модерація', 'Коментарі й пропозиції']);
    // In English too: the navigation and the page follow the language switch.
    await moderator.getByRole('link', { name: 'Модерація' }).click();
    await moderator.getByRole('heading', { level: 1, name: 'Модерація петицій' }).waitFor();
    await moderator.getByRole('button', { name: /English/ }).click();
    await moderator.getByRole('heading', { level: 1, name: 'Petition moderation' }).waitFor();
    expect(await moderator.getByRole('navigation', { name: 'Console sections' }).getByRole('link').allTextContents()).toEqual(['Decision log', 'Moderation', 'Comments and proposals']);
    expect(await moderator.evaluate(() => document.documentElement.lang)).toBe('en');
    await expectAccessible(moderator);
  }, 60_000);
});

describe('moderation', () => {
  it('works the queue oldest first by keyboard: publishes one petition and rejects another with a reason', async () => {
    const suffix = randomUUID().slice(0, 4);
    const titles = [`Ремонт даху школи №3 ${suffix}`, `Ремонт даху школи №3 (повтор) ${suffix}`, `Сквер на Живова ${suffix}`];
    const ids: string[] = [];
    for (const title of titles) ids.push(await createPetition(title));

    const page = await desktop();
    await page.goto(staffSignIn('moderator-1', 'moderator', '/moderation'));
    await page.getByRole('heading', { level: 1, name: 'Модерація петицій' }).waitFor();
    const queue = page.getByRole('list').filter({ has: page.locator('button.queue-item') });
    await queue.waitFor();
    expect(await queue.locator('.queue-title').allTextContents()).toEqual(titles);
    expect(await page.getByText('3 петиції чекають').count()).toBe(1);
    await expectAccessible(page);
    await page.getByText('Клавіші', { exact: true }).click(); // the documented shortcuts
    await page.getByText('не діють, поки ви пишете в полі').waitFor();
    await expectAccessible(page);
    await screenshot(page, 'console-moderation-desktop');

    const selected = () => page.locator('button.queue-item[aria-current="true"] .queue-title').textContent();
    await page.locator('h1').click();
    await page.keyboard.press('j');
    expect(await selected()).toBe(titles[1]);
    await page.keyboard.press('ArrowDown');
    expect(await selected()).toBe(titles[2]);
    await page.keyboard.press('k');
    await page.keyboard.press('k');
    expect(await selected()).toBe(titles[0]);
    expect(await page.locator('.preview').getByRole('heading', { level: 3 }).textContent()).toBe(titles[0]);

    // p publishes the selected petition; the next one takes its place.
    await page.keyboard.press('p');
    await page.getByText(`Опубліковано: «${titles[0]}».`).waitFor();
    expect(await selected()).toBe(titles[1]);
    expect(await queue.locator('.queue-title').allTextContents()).toEqual(titles.slice(1));

    // r opens the reason form; keys typed in it are text, not shortcuts.
    await page.keyboard.press('r');
    const reason = page.getByLabel('Причина');
    await reason.waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('reject-reason');
    await reason.selectOption({ label: 'Повторює іншу петицію' });
    await page.getByLabel('Пояснення для автора і мешканців').focus();
    await page.keyboard.type('Повторює петицію про дах школи №3, опубліковану раніше.');
    expect(await page.getByText('Опубліковано:', { exact: false }).count()).toBe(1); // typing "p" published nothing
    await expectAccessible(page);
    const onPhone = await phone();
    await onPhone.goto(staffSignIn('moderator-1', 'moderator', '/moderation'));
    await onPhone.locator('button.queue-item').first().waitFor();
    await expectAccessible(onPhone);
    await screenshot(onPhone, 'console-moderation-phone');
    await page.getByRole('button', { name: 'Відхилити петицію' }).click();
    await page.getByText(`Відхилено: «${titles[1]}».`).waitFor();
    expect(await queue.locator('.queue-title').allTextContents()).toEqual([titles[2]]);

    const published = await api.request('GET', `/v1/petitions/${ids[0]}`);
    expect(published.body.status).toBe('open');
    const rejected = await api.request('GET', `/v1/petitions/${ids[1]}`);
    expect(rejected.body.status).toBe('rejected');
    expect(rejected.body.rejection).toEqual({ reasonCode: 'duplicate', explanation: 'Повторює петицію про дах школи №3, опубліковану раніше.' });
    const untouched = await api.request('GET', `/v1/petitions/${ids[2]}`);
    expect(untouched.status).toBe(404); // still in moderation: not public
  }, 180_000);
});

describe('consultations', () => {
  it('the council builds a poll of every question type, sees live results and open answers, and publishes the report', async () => {
    const page = await desktop();
    await page.goto(staffSignIn('council-3', 'council', '/console/consultations'));
    await page.getByRole('heading', { level: 1, name: 'Консультації та опитування' }).waitFor();
    await page.getByText('Консультацій ще немає.').waitFor();
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Нова консультація' }).click();
    await page.getByRole('heading', { level: 1, name: 'Нова консультація або опитування' }).waitFor();

    // Nothing filled in: the form says what is missing, and sends nothing.
    await page.getByRole('button', { name: 'Оприлюднити' }).click();
    await page.getByRole('alert').filter({ hasText: 'Назва закоротка' }).waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('Питання 1: текст закороткий');

    const title = `Опитування про сквер ${randomUUID().slice(0, 4)}`;
    await page.getByLabel('Назва', { exact: true }).fill(title);
    await page.getByLabel('Одразу, під час голосування').check();
    const q = (n: number) => page.getByRole('group', { name: `Питання ${n}`, exact: true });
    await q(1).getByLabel('Текст питання').fill('Чи потрібен новий сквер?');
    await q(1).getByLabel('Варіант 1', { exact: true }).fill('Так');
    await q(1).getByLabel('Варіант 2', { exact: true }).fill('Ні');
    await page.getByRole('button', { name: 'Додати питання' }).click();
    await q(2).getByLabel('Тип питання').selectOption('multiple');
    await q(2).getByLabel('Текст питання').fill('Що має бути у сквері?');
    await q(2).getByRole('button', { name: 'Додати варіант' }).click();
    await q(2).getByLabel('Варіант 1', { exact: true }).fill('Лавки');
    await q(2).getByLabel('Варіант 2', { exact: true }).fill('Дитячий майданчик');
    await q(2).getByLabel('Варіант 3', { exact: true }).fill('Фонтан');
    await q(2).getByLabel('Скільки варіантів можна обрати найбільше').fill('2');
    await page.getByRole('button', { name: 'Додати питання' }).click();
    await q(3).getByLabel('Тип питання').selectOption('ranked');
    await q(3).getByLabel('Текст питання').fill('Упорядкуйте місця для скверу');
    await q(3).getByRole('button', { name: 'Додати варіант' }).click();
    await q(3).getByLabel('Варіант 1', { exact: true }).fill('Біля озера');
    await q(3).getByLabel('Варіант 2', { exact: true }).fill('На Живова');
    await q(3).getByLabel('Варіант 3', { exact: true }).fill('Біля ринку');
    await page.getByRole('button', { name: 'Додати питання' }).click();
    await q(4).getByLabel('Тип питання').selectOption('open');
    await q(4).getByLabel('Текст питання').fill('Що ще варто врахувати?');
    await q(4).getByLabel('Обов’язкове питання').uncheck();
    await expectAccessible(page);
    await screenshot(page, 'console-consultation-builder-desktop');
    await page.getByRole('button', { name: 'Оприлюднити' }).click();
    await page.waitForURL(/\/console\/consultations\/[0-9a-f-]{36}$/);
    const id = new URL(page.url()).pathname.split('/').pop()!;

    const stored = await api.request('GET', `/v1/consultations/${id}`);
    expect(stored.body.kind).toBe('poll');
    expect(stored.body.status).toBe('open');
    expect(stored.body.resultsVisibility).toBe('live');
    expect(stored.body.questions.map((x: { type: string; maxChoices: number | null; required: boolean; options: unknown[] }) => [x.type, x.maxChoices, x.required, x.options.length]))
      .toEqual([['single', null, true, 2], ['multiple', 2, true, 3], ['ranked', null, true, 3], ['open', null, false, 0]]);

    // Three residents answer through the API; the open page shows it on its next refresh.
    const answers = [
      [['o1'], ['o1', 'o2'], ['o2', 'o1', 'o3'], 'Потрібне освітлення доріжок.'],
      [['o1'], ['o2'], ['o2', 'o3', 'o1'], 'Більше дерев, менше бетону.'],
      [['o2'], ['o1', 'o3'], ['o1', 'o2', 'o3'], null],
    ] as const;
    for (const [a1, a2, a3, text] of answers) {
      const resident = await api.token({ community: community.id });
      const body = { answers: [
        { questionId: 'q1', optionIds: [...a1] }, { questionId: 'q2', optionIds: [...a2] }, { questionId: 'q3', optionIds: [...a3] },
        ...(text ? [{ questionId: 'q4', text }] : []),
      ] };
      const response = await api.request('PUT', `/v1/consultations/${id}/response`, { token: resident, body });
      expect(response.status, response.text).toBe(201);
    }
    await api.waitForStreams();
    await page.getByText('3 учасники').waitFor({ timeout: 20_000 });
    const single = page.getByRole('table', { name: 'Чи потрібен новий сквер?' });
    expect(await single.getByRole('row').filter({ hasText: 'Так' }).textContent()).toContain('2 голоси');
    const ranked = page.getByRole('table', { name: 'Упорядкуйте місця для скверу' });
    // Borda with 3 options: 2 points for first, 1 for second. На Живова: 2+2+1 = 5.
    expect(await ranked.getByRole('row').nth(1).textContent()).toContain('На Живова');
    expect(await ranked.getByRole('row').nth(1).textContent()).toContain('5 балів');
    await page.getByText('Більше дерев, менше бетону.').waitFor();
    await page.getByText('Потрібне освітлення доріжок.').waitFor();
    await page.getByText('Звіт можна буде оприлюднити після завершення консультації.').waitFor();
    await expectAccessible(page);
    await screenshot(page, 'console-consultation-results-desktop');
    const onPhone = await phone();
    await onPhone.goto(staffSignIn('council-3', 'council', `/console/consultations/${id}`));
    await onPhone.getByText('3 учасники').waitFor();
    await expectAccessible(onPhone);
    await screenshot(onPhone, 'console-consultation-results-phone');

    // It closed two minutes ago (results settle a minute after closing): the report can be published.
    const db = createDocumentClient();
    const past = (ms: number) => new Date(Date.now() - ms).toISOString();
    await db.send(new UpdateCommand({
      TableName: api.tableName, Key: { pk: `CONSULTATION#${id}`, sk: 'CONSULTATION' },
      UpdateExpression: 'SET opensAt = :o, closesAt = :c', ExpressionAttributeValues: { ':o': past(3_600_000), ':c': past(120_000) },
    }));
    db.destroy();
    const later = await desktop();
    await later.goto(staffSignIn('council-3', 'council', `/console/consultations/${id}`));
    await later.getByRole('heading', { level: 2, name: 'Остаточні результати' }).waitFor();
    await later.getByRole('button', { name: 'Оприлюднити звіт' }).click();
    await later.getByText('Підсумок закороткий').waitFor();
    await later.getByLabel('Підсумок ради').fill('Рада врахує побажання мешканців: сквер облаштують на Живова з лавками й освітленням.');
    await expectAccessible(later);
    await screenshot(later, 'console-consultation-report-desktop');
    await later.getByRole('button', { name: 'Оприлюднити звіт' }).click();
    await later.getByText(/Звіт оприлюднено/).waitFor();
    const report = await api.request('GET', `/v1/consultations/${id}/report`);
    expect(report.status).toBe(200);
    expect(report.body.results.participants).toBe(3);
    expect(report.body.summary).toContain('сквер облаштують на Живова');

    await later.getByRole('link', { name: 'Консультації та опитування' }).first().click();
    const card = later.getByRole('listitem').filter({ hasText: title });
    await card.waitFor();
    await expectAccessible(later);
    await screenshot(later, 'console-consultations-desktop');
  }, 180_000);
});

describe('moderating consultation comments and proposals', () => {
  it('a moderator hides a comment with a reason and shows a hidden proposal again', async () => {
    const council = await api.token({ sub: `council-${randomUUID()}`, roles: ['council'], community: community.id });
    const title = `Консультація про паркування ${randomUUID().slice(0, 4)}`;
    const created = await api.request('POST', '/v1/consultations', {
      token: council,
      body: {
        title, draftText: 'Проєкт рішення про платне паркування в центрі міста з пільгами для мешканців.',
        opensAt: new Date(Date.now() - 60_000).toISOString(), closesAt: new Date(Date.now() + 86_400_000).toISOString(),
        questions: [{ id: 'q1', type: 'single', text: 'Чи підтримуєте?', options: [{ id: 'yes', text: 'Так' }, { id: 'no', text: 'Ні' }] }],
      },
    });
    expect(created.status, created.text).toBe(201);
    const id = created.body.id as string;
    const resident = await api.token({ community: community.id });
    const comment = await api.request('POST', `/v1/consultations/${id}/comments`, { token: resident, body: { text: 'Купуйте дешеві шини на нашому сайті!' } });
    expect(comment.status, comment.text).toBe(201);
    const proposal = await api.request('POST', `/v1/consultations/${id}/proposals`, {
      token: resident, body: { title: 'Пільга для мешканців центру', text: 'Мешканцям центру перше авто паркувати безкоштовно біля дому.' },
    });
    expect(proposal.status, proposal.text).toBe(201);
    const moderatorToken = await api.token({ sub: `moderator-${randomUUID()}`, roles: ['moderator'], community: community.id });
    expect((await api.request('POST', `/v1/consultations/${id}/proposals/${proposal.body.id}/moderation`, {
      token: moderatorToken, body: { decision: 'hide', reasonCode: 'duplicate', explanation: 'Помилково прихована пропозиція.' },
    })).status).toBe(200);

    const page = await desktop();
    await page.goto(staffSignIn('moderator-4', 'moderator', '/moderation/consultations'));
    await page.getByRole('link', { name: title }).click();
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    const comments = page.getByRole('region', { name: 'Коментарі' });
    await comments.getByText('Купуйте дешеві шини на нашому сайті!').waitFor();
    await expectAccessible(page);
    await comments.getByRole('button', { name: 'Приховати' }).click();
    await comments.getByLabel('Причина').selectOption({ label: 'Спам або реклама' });
    await comments.getByLabel('Пояснення (його побачать усі)').fill('Реклама, не стосується консультації.');
    await expectAccessible(page);
    await screenshot(page, 'console-contributions-desktop');
    await comments.getByRole('button', { name: 'Приховати з цією причиною' }).click();
    await comments.getByText('Приховано: Спам або реклама. Реклама, не стосується консультації.').waitFor();

    const proposals = page.getByRole('region', { name: 'Пропозиції' });
    await proposals.getByText('Приховано: Повтор.', { exact: false }).waitFor();
    await proposals.getByRole('button', { name: 'Показати знову' }).click();
    await proposals.getByText('Мешканцям центру перше авто паркувати безкоштовно біля дому.').waitFor();
    await expectAccessible(page);

    const storedComment = (await api.request('GET', `/v1/consultations/${id}/comments`)).body.items[0];
    expect(storedComment).toMatchObject({ status: 'hidden', text: null, hidden: { reasonCode: 'spam', explanation: 'Реклама, не стосується консультації.' } });
    const storedProposal = (await api.request('GET', `/v1/consultations/${id}/proposals`)).body.items[0];
    expect(storedProposal).toMatchObject({ status: 'published', hidden: null });

    const onPhone = await phone();
    await onPhone.goto(staffSignIn('moderator-4', 'moderator', `/moderation/consultations/${id}`));
    await onPhone.getByRole('region', { name: 'Пропозиції' }).getByText('Пільга для мешканців центру').waitFor();
    await expectAccessible(onPhone);
    await screenshot(onPhone, 'console-contributions-phone');
  }, 120_000);
});
