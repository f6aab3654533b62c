/// <reference lib="dom" />
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '#shared/data/client.ts';
import { budgetKeys } from '#shared/data/budgets.ts';
import { browserSuite, newPhone, screenshot } from './support/browser.ts';

/**
 * The staff console's participatory budgets and school pages in Debian's Chromium against the whole
 * local system: staff type a stack of paper ballots by keyboard and the count includes them; a
 * school administrator prints a sheet of 24 slips whose QR codes (decoded from the printed pixels
 * with jsQR) each open a link that votes once. Every page is checked with axe-core (WCAG 2.1 A/AA).
 */

const { api, browser, desktop: desktopPage, expectAccessible, keep } = browserSuite();
/** Desktops here are 900 px tall unless told. */
const desktop = (options: { width?: number; height?: number; scale?: number } = {}) => desktopPage({ height: 900, ...options });

const DAY = 86_400_000;
const jsQrSource = readFileSync(createRequire(import.meta.url).resolve('jsqr/dist/jsQR.js'), 'utf8');

const signIn = (params: Record<string, string>, next: string) =>
  `/dev/sign-in?${new URLSearchParams({ community: 'ternopil', birthdate: '1980-03-01', ...params, next })}`;

const at = (days: number) => new Date(Date.now() + days * DAY).toISOString();

/** Moves a budget to another phase by rewriting its dates (the phase follows the clock). */
async function setSchedule(id: string, schedule: Record<string, string | null>) {
  const db = createDocumentClient();
  await db.send(new UpdateCommand({ TableName: api.tableName, Key: budgetKeys.budget(id), UpdateExpression: 'SET schedule = :s', ExpressionAttributeValues: { ':s': { paperCountEnds: null, ...schedule } } }));
  db.destroy();
}
const reviewPhase = () => ({ submission: at(-2), preSupport: null, review: at(-1), voting: at(1), results: at(2), implementation: at(3) });
const votingPhase = () => ({ submission: at(-3), preSupport: null, review: at(-2), voting: at(-1), results: at(1), implementation: at(2) });
const resultsPhase = () => ({ submission: at(-4), preSupport: null, review: at(-3), voting: at(-2), results: new Date(Date.now() - 60_000).toISOString(), implementation: at(2) });

describe('paper ballots, results and publication (council)', () => {
  let budgetId: string;
  const council = { sub: `council-${randomUUID()}`, roles: 'council', name: 'Ірина Секретар' };

  beforeAll(async () => {
    const token = await api.token({ sub: council.sub, roles: ['council'] });
    const created = await api.request('POST', '/v1/budgets', {
      token,
      body: {
        kind: 'public', title: 'Громадський бюджет Тернополя 2027',
        money: { total: 1_000_000 }, schedule: { submission: at(0), preSupport: null, review: at(1), voting: at(2), results: at(3), implementation: at(4) },
        preSupport: { required: 0 },
        ballotRules: { type: 'approval', projects: { min: 1, max: 2 } }, rule: { name: 'greedy', rankBy: 'votes' },
      },
    });
    expect(created.status).toBe(201);
    budgetId = created.body.id;
    const projects: [string, string, number][] = [
      ['Сквер на Східному масиві', 'Лавки, ліхтарі й доріжки у сквері між будинками на Східному масиві.', 600_000],
      ['Велодоріжка вздовж Руської', 'Відокремлена велодоріжка з розміткою і світлофорами вздовж вулиці Руської.', 500_000],
      ['Книжкові шафи в парках', 'Десять книжкових шаф для обміну книжками в міських парках і скверах.', 100_000],
    ];
    for (const [title, description, cost] of projects) {
      const author = await api.token({ sub: `author-${randomUUID()}`, birthdate: '1985-01-01' });
      const submitted = await api.request('POST', `/v1/budgets/${budgetId}/projects`, { token: author, body: { title, description, cost } });
      expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    }
    await setSchedule(budgetId, reviewPhase());
  });

  it('lists the budget and reviews its projects from the overview', async () => {
    const page = await desktop();
    await page.goto(signIn(council, '/console/budgets'));
    await page.getByRole('heading', { level: 1, name: 'Громадські бюджети' }).waitFor();
    await page.getByRole('link', { name: 'Громадський бюджет Тернополя 2027' }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'console-budgets');
    await page.getByRole('link', { name: 'Громадський бюджет Тернополя 2027' }).click();
    await page.getByRole('heading', { level: 3, name: '1. Сквер на Східному масиві' }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'console-budget-review');
    const first = page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 3, name: /^1\. / }) });
    await first.getByText('Опис проєкту').click();
    await first.getByText('Лавки, ліхтарі й доріжки у сквері').waitFor();
    for (const n of ['1', '2', '3']) {
      const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 3, name: new RegExp(`^${n}\\. `) }) });
      await card.getByLabel('Можна реалізувати: допустити до голосування').check();
      await card.getByLabel('Обґрунтування (буде опубліковано)').fill('Відповідає програмі розвитку міста, кошторис перевірено.');
      await card.getByRole('button', { name: 'Зберегти висновок' }).click();
      await card.getByText('У бюлетені').waitFor();
      await card.getByRole('status').filter({ hasText: 'Збережено.' }).waitFor();
      // Updated in place: the page is not reloaded and the focus stays on the button.
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Зберегти висновок');
    }
    const listed = await api.request('GET', `/v1/budgets/${budgetId}/projects`);
    expect(listed.body.items.map((p: { status: string }) => p.status)).toEqual(['admitted', 'admitted', 'admitted']);
    await setSchedule(budgetId, votingPhase());
  });

  it('staff enter 20 paper ballots by keyboard alone; mistakes are said plainly with the focus kept; the results include them; publication', async () => {
    const page = await desktop();
    await page.goto(signIn(council, `/console/budgets/${budgetId}/paper`));
    const nationalId = page.getByLabel('РНОКПП або номер паспорта');
    await nationalId.waitFor();
    await expectAccessible(page);

    // 1. Twenty people identified at the services centre, each by keyboard: type, Enter.
    await nationalId.focus();
    for (let i = 0; i < 20; i++) {
      await page.keyboard.type(String(3_100_000_000 + i * 7919));
      await page.keyboard.press('Enter');
      await page.getByText(`Видано ${i + 1} `).waitFor();
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('national-id');
    }
    // The same person again is refused in words: they have a ballot already.
    await page.keyboard.type(String(3_100_000_000));
    await page.keyboard.press('Enter');
    await page.getByText('Ця людина вже голосувала в цьому бюджеті').waitFor();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');

    // 2. The stack of ballots: Tab to the numbers field, then numbers and Enter, twenty times.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('ballot-numbers');
    const stack = [
      ...Array.from({ length: 9 }, () => '1'),
      ...Array.from({ length: 6 }, () => '2 3'),
      ...Array.from({ length: 3 }, () => '3, 1'),
      '№2',
      '3',
    ];
    expect(stack).toHaveLength(20);
    for (const [i, ballot] of stack.entries()) {
      if (i === 4) {
        // A number that is not on the ballot, then too many projects: refused before sending, focus kept.
        await page.keyboard.type('9');
        await page.keyboard.press('Enter');
        await page.getByRole('alert').filter({ hasText: 'Проєкту з номером 9 немає в бюлетені' }).waitFor();
        expect(await page.evaluate(() => document.activeElement?.id)).toBe('ballot-numbers');
        expect(await page.getByLabel('Номери проєктів у бюлетені').getAttribute('aria-invalid')).toBe('true');
        await expectAccessible(page);
        await screenshot(page, 'console-paper-error');
        await page.keyboard.press('Control+A');
        await page.keyboard.type('1 2 3');
        await page.keyboard.press('Enter');
        await page.getByRole('alert').filter({ hasText: 'Забагато проєктів: можна не більше 2' }).waitFor();
        await page.keyboard.press('Control+A');
        await page.keyboard.press('Backspace');
      }
      let dropped = 0;
      if (i === 10) {
        // The answer to this ballot is lost on the way back (the ballot is stored): the app resends
        // the same ballot id, and it counts once.
        await page.route('**/v1/budgets/*/paper-ballots', async (route) => {
          if (dropped++ === 0) {
            await route.fetch();
            return route.abort('connectionreset');
          }
          return route.continue();
        });
      }
      await page.keyboard.type(ballot);
      await page.keyboard.press('Enter');
      await page.getByRole('status').filter({ hasText: new RegExp(`^Внесено ${i + 1} бюлетен`) }).waitFor();
      if (i === 10) {
        expect(dropped).toBe(2);
        await page.unroute('**/v1/budgets/*/paper-ballots');
      }
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('ballot-numbers');
      expect(await page.getByLabel('Номери проєктів у бюлетені').inputValue()).toBe('');
    }
    await expectAccessible(page);
    await screenshot(page, 'console-paper');
    // A 21st ballot has no voter behind it: refused, plainly.
    await page.keyboard.type('1');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'Усі видані бюлетені вже внесено' }).waitFor();
    expect(await page.getByRole('status').filter({ hasText: /^Внесено 20 бюлетенів/ }).count()).toBe(1);

    // 3. Voting closes: the preliminary count includes the 20 paper ballots; then publication.
    await setSchedule(budgetId, resultsPhase());
    await page.goto(`/console/budgets/${budgetId}/results`);
    await page.getByText('Попередній підрахунок').waitFor();
    const facts = page.locator('.facts');
    expect(await facts.getByText('Бюлетенів усього').locator('..').locator('dd').textContent()).toBe('20');
    expect(await facts.getByText('паперових').locator('..').locator('dd').textContent()).toBe('20');
    const chart = page.getByRole('table', { name: 'Голоси за проєкти: Увесь бюджет' });
    const row = (title: string) => chart.getByRole('row').filter({ hasText: title });
    expect(await row('Сквер на Східному масиві').textContent()).toContain('12 голосів'); // 9 + 3
    expect(await row('Книжкові шафи в парках').textContent()).toContain('10 голосів'); // 6 + 3 + 1
    expect(await row('Велодоріжка вздовж Руської').textContent()).toContain('7 голосів'); // 6 + 1
    expect(await row('Сквер на Східному масиві').textContent()).toContain('переможець');
    await expectAccessible(page);
    await screenshot(page, 'console-results-preliminary');
    expect((await api.request('GET', `/v1/budgets/${budgetId}/results`)).status).toBe(403);

    await page.getByRole('button', { name: 'Опублікувати результати' }).click();
    const confirm = page.getByRole('button', { name: 'Так, опублікувати назавжди' });
    await confirm.waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Так, опублікувати назавжди');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Результати опубліковано' }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toContain('Результати опубліковано');
    await expectAccessible(page);
    await screenshot(page, 'console-results-published');
    const published = await api.request('GET', `/v1/budgets/${budgetId}/results`);
    expect(published.status).toBe(200);
    expect(published.body.ballots).toMatchObject({ total: 20, paper: 20, internet: 0 });
    const votes = Object.fromEntries(published.body.projects.map((p: { projectId: string; votes: number }) => [p.projectId, p.votes]));
    expect(votes).toEqual({ 1: 12, 2: 7, 3: 10 });
    expect(published.body.winners).toEqual(['1', '3']);
  }, 240_000);

  it('fits a 360 px phone without sideways scrolling', async () => {
    const context = await newPhone(browser, api.url);
    keep(context);
    const page = await context.newPage();
    await page.goto(signIn(council, '/console/budgets'));
    for (const path of ['/console/budgets', `/console/budgets/${budgetId}`, `/console/budgets/${budgetId}/paper`, `/console/budgets/${budgetId}/results`, '/console/budgets/new', '/console/budgets/import']) {
      await page.goto(path);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      await page.waitForLoadState('networkidle');
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), path).toBe(true);
    }
    await screenshot(page, 'console-budgets-phone');
  });

  it('tracks a winner’s implementation once the results are public', async () => {
    const page = await desktop();
    await page.goto(signIn(council, `/console/budgets/${budgetId}`));
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 3, name: '1. Сквер на Східному масиві' }) });
    await card.getByLabel('Стан').selectOption('in-progress');
    await card.getByLabel('Виконано, %').fill('40');
    await card.getByLabel('Примітка для мешканців').fill('Встановлено лавки, тривають роботи з освітлення.');
    await card.getByRole('button', { name: 'Зберегти' }).click();
    await card.getByText('Реалізація: виконується, 40 %.').waitFor();
    await expectAccessible(page);
    await screenshot(page, 'console-budget-implementation');
    const project = await api.request('GET', `/v1/budgets/${budgetId}/projects/1`);
    expect(project.body.implementation).toMatchObject({ status: 'in-progress', progress: 40 });
  });
});

describe('school slips with QR codes (school administrator)', () => {
  const school = `school-${randomUUID().slice(0, 6)}`;
  const admin = { sub: `school-admin-${randomUUID()}`, roles: 'school-admin', school, name: 'Оксана Директорка' };
  let budgetId: string;

  beforeAll(async () => {
    const council = await api.token({ sub: `council-${randomUUID()}`, roles: ['council'] });
    const adminToken = await api.token({ sub: admin.sub, roles: ['school-admin'], school });
    const created = await api.request('POST', '/v1/budgets', {
      token: council,
      body: {
        kind: 'school', schoolId: school, students: 30, title: 'Шкільний бюджет ліцею № 7',
        money: { total: 80_000 }, schedule: { submission: at(0), preSupport: null, review: at(1), voting: at(2), results: at(3), implementation: at(4) },
        ballotRules: { type: 'choose-1' }, rule: { name: 'greedy', rankBy: 'votes' },
      },
    });
    expect(created.status).toBe(201);
    budgetId = created.body.id;
    for (const [title, description] of [['Спортивний майданчик', 'Нове покриття і ворота на шкільному стадіоні.'], ['Зелений клас', 'Клас просто неба з лавками і навісом у шкільному саду.']]) {
      expect((await api.request('POST', `/v1/budgets/${budgetId}/projects`, { token: adminToken, body: { title, description, cost: 40_000 } })).status).toBe(201);
    }
    await setSchedule(budgetId, reviewPhase());
    for (const projectId of ['1', '2']) {
      expect((await api.request('POST', `/v1/budgets/${budgetId}/projects/${projectId}/review`, { token: council, body: { feasible: true, reason: 'Погоджено школою.', finalCost: 40_000 } })).status).toBe(200);
    }
    await setSchedule(budgetId, votingPhase());
  });

  it('prints an A4 sheet of 24 slips whose QR codes each open a link that votes once; reprints the batch; shows turnout', async () => {
    // An A4 page at 96 dpi is 794 px wide; a scale of 2 gives the decoder about 4 px per module.
    const page = await desktop({ width: 794, height: 1123, scale: 2 });
    await page.goto(signIn(admin, '/console/school'));
    await page.getByRole('heading', { level: 2, name: 'Шкільний бюджет ліцею № 7' }).waitFor();
    await page.getByText('Проголосували 0 із 0 виданих кодів').waitFor();
    await expectAccessible(page);
    await screenshot(page, 'console-school');

    expect(await page.getByLabel('Скільки карток видати').inputValue()).toBe('24');
    await page.getByRole('button', { name: 'Видати коди й підготувати аркуш' }).click();
    await page.getByRole('heading', { name: 'Аркуш: 24 картки' }).waitFor();
    const slips = page.locator('.sheet .slip');
    expect(await slips.count()).toBe(24);
    await page.getByText('Проголосували 0 із 24 виданих кодів').waitFor();
    await expectAccessible(page);
    await screenshot(page, 'console-school-sheet');

    // Printed: only the sheet, on one A4 page.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header.top').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Друкувати' }).isVisible()).toBe(false);
    await screenshot(page, 'console-school-slips-print');
    const pdf = (await page.pdf({ preferCSSPageSize: true, printBackground: true })).toString('latin1');
    expect(pdf.match(/\/Type\s*\/Page[^s]/g)).toHaveLength(1);

    // Every QR code, as printed, decodes to this school's voting link with the code printed beside it.
    const decoder = await (await browser.newContext()).newPage();
    keep(decoder.context());
    await decoder.addScriptTag({ content: jsQrSource });
    const links: { code: string; link: string }[] = [];
    for (let i = 0; i < 24; i++) {
      const slip = slips.nth(i);
      const code = (await slip.locator('.code').textContent())!;
      expect(await slip.textContent()).toContain('Шкільний бюджет ліцею № 7');
      const png = (await slip.locator('svg.qr').screenshot()).toString('base64');
      const decoded = await decoder.evaluate(async (b64) => {
        const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${b64}`)).blob());
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const ctx = canvas.getContext('2d')!;
        ctx.drawImage(bitmap, 0, 0);
        const { data, width, height } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
        type JsQr = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
        return (window as unknown as { jsQR: JsQr }).jsQR(data, width, height)?.data ?? null;
      }, png);
      expect(decoded, `slip ${i + 1}`).not.toBeNull();
      const url = new URL(decoded!);
      expect(url.origin).toBe(new URL(api.url).origin);
      expect(url.pathname).toBe('/school-vote');
      expect(url.searchParams.get('budget')).toBe(budgetId);
      expect(url.searchParams.get('code')).toBe(code);
      links.push({ code, link: decoded! });
    }
    expect(new Set(links.map((l) => l.code)).size).toBe(24);
    await page.emulateMedia({ media: 'screen' });

    // The first link, opened on a phone: the vote succeeds; opened again: refused.
    const phoneContext = await newPhone(browser, api.url);
    keep(phoneContext);
    const student = await phoneContext.newPage();
    await student.goto(links[0]!.link);
    await student.getByRole('radio', { name: /Зелений клас/ }).tap();
    await student.getByRole('button', { name: 'Проголосувати' }).tap();
    await student.getByRole('heading', { name: 'Ваш голос зараховано' }).waitFor();
    const again = await (await newPhone(browser, api.url)).newPage();
    keep(again.context());
    await again.goto(links[0]!.link);
    await again.getByRole('radio', { name: /Спортивний майданчик/ }).tap();
    await again.getByRole('button', { name: 'Проголосувати' }).tap();
    await again.getByRole('alert').filter({ hasText: 'Цим кодом уже проголосували' }).waitFor();
    // Every other link votes once too, and only once.
    for (const { link } of links.slice(1)) {
      const code = new URL(link).searchParams.get('code')!;
      const first = await api.request('POST', `/v1/budgets/${budgetId}/code-ballots`, { body: { code, ballotId: randomUUID(), ballot: { projects: ['1'] } } });
      expect(first.status).toBe(201);
      const second = await api.request('POST', `/v1/budgets/${budgetId}/code-ballots`, { body: { code, ballotId: randomUUID(), ballot: { projects: ['2'] } } });
      expect(second.status).toBe(409);
    }

    // Reprint: the same batch, the same codes; turnout now 24 of 24.
    await page.getByRole('button', { name: 'Закрити аркуш' }).click();
    expect(await slips.count()).toBe(0);
    await page.reload();
    await page.getByRole('button', { name: 'Показати й друкувати знову' }).click();
    await page.getByRole('heading', { name: 'Аркуш: 24 картки' }).waitFor();
    expect((await slips.locator('.code').allTextContents()).sort()).toEqual(links.map((l) => l.code).sort());
    await page.getByText('Проголосували 24 із 24 виданих кодів').waitFor();
    await page.getByText('Явка: 80 % учнів').waitFor();
    await expectAccessible(page);
    await screenshot(page, 'console-school-turnout');
  }, 300_000);

  it('refuses more codes than students, in words', async () => {
    const page = await desktop();
    await page.goto(signIn(admin, '/console/school'));
    const count = page.getByLabel('Скільки карток видати');
    await count.fill('7');
    await count.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'Стільки кодів не можна: залишилось 6' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(`count-${budgetId}`);
    await expectAccessible(page);
  });

  it('the council sees the school’s turnout and raises its number of students', async () => {
    const page = await desktop();
    await page.goto(signIn({ sub: `council-${randomUUID()}`, roles: 'council' }, `/console/budgets/${budgetId}`));
    await page.getByText('Проголосували 24 із 24 виданих кодів; учнів у школі: 30.').waitFor();
    await page.getByLabel('Кількість учнів (найбільша кількість кодів)').fill('40');
    await page.getByRole('button', { name: 'Зберегти кількість учнів' }).click();
    await page.getByText('Збережено.').waitFor();
    await page.getByText('учнів у школі: 40.').waitFor();
    await expectAccessible(page);
    await screenshot(page, 'console-budget-school');
    expect((await api.request('GET', `/v1/budgets/${budgetId}`)).body.students).toBe(40);
  });
});

describe('creating and importing budgets (council)', () => {
  const council = { sub: `council-${randomUUID()}`, roles: 'council', name: 'Петро Бюджетник' };
  const PABULIB = new URL('../../../shared/data/pabulib/', import.meta.url);

  it('creates a budget from the form: money, categories, phases, ballot and a winner rule explained beside it', async () => {
    const page = await desktop();
    await page.goto(signIn(council, '/console/budgets/new'));
    await page.getByRole('heading', { level: 1, name: 'Новий бюджет' }).waitFor();
    await page.getByLabel('Назва', { exact: true }).fill('Громадський бюджет 2028');
    await page.getByLabel('Загальна сума').fill('2000000');
    await page.getByRole('button', { name: 'Додати категорію' }).click();
    await page.getByLabel('Код категорії (латиницею, наприклад large)').fill('large');
    await page.getByLabel('Назва категорії').fill('Великі проєкти');
    await page.getByLabel('Сума категорії').fill('1500000');
    await page.getByRole('button', { name: 'Додати категорію' }).click();
    await page.getByLabel('Код категорії (латиницею, наприклад large)').nth(1).fill('small');
    await page.getByLabel('Назва категорії').nth(1).fill('Малі проєкти');
    await page.getByLabel('Сума категорії').nth(1).fill('400000');
    await page.getByLabel('Правило', { exact: true }).selectOption('fixed-winners-per-category');
    expect(await page.locator('#rule-explained').textContent()).toContain('У кожній категорії перемагає визначена кількість проєктів');
    await page.getByLabel('Кількість переможців').nth(1).fill('3');
    // The categories do not add up to the total: said before sending.
    await page.getByRole('button', { name: 'Створити бюджет' }).click();
    await page.getByRole('alert').filter({ hasText: 'Суми категорій мають разом дорівнювати загальній сумі' }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'console-budget-new');
    await page.getByLabel('Сума категорії').nth(1).fill('500000');
    await page.getByRole('button', { name: 'Створити бюджет' }).click();
    await page.getByRole('heading', { level: 1, name: 'Громадський бюджет 2028' }).waitFor();
    const id = /\/console\/budgets\/([0-9a-f-]{36})$/.exec(page.url())?.[1];
    expect(id).toBeTruthy();
    const budget = await api.request('GET', `/v1/budgets/${id}`);
    expect(budget.body).toMatchObject({
      kind: 'public', phase: 'upcoming',
      money: { total: 2_000_000, currency: 'UAH', categories: [{ id: 'large', name: 'Великі проєкти', amount: 1_500_000 }, { id: 'small', name: 'Малі проєкти', amount: 500_000 }] },
      rule: { name: 'fixed-winners-per-category', rankBy: 'votes', categories: { large: { winners: 1, minimum: 0 }, small: { winners: 3, minimum: 0 } } },
      ballotRules: { type: 'approval', projects: { min: 1, max: 3 } },
      preSupport: { required: 15 },
    });
    await expectAccessible(page);
    await screenshot(page, 'console-budget-created');
  });

  it('imports a Pabulib .pb file with progress, and shows its recounted results; English too', async () => {
    const page = await desktop();
    await page.goto(signIn(council, '/console/budgets/import'));
    await page.getByRole('heading', { level: 1, name: 'Імпорт минулого голосування (.pb)' }).waitFor();
    await expectAccessible(page);
    await page.getByLabel('Файл .pb').setInputFiles(new URL('Poland_Warszawa_2018_Nadwisle.pb', PABULIB).pathname);
    await page.getByRole('button', { name: 'Імпортувати' }).click();
    await page.getByText('Імпортовано.').waitFor({ timeout: 60_000 });
    expect(await page.getByRole('status').textContent()).toContain('Перерахунок збігся з переможцями у файлі.');
    await expectAccessible(page);
    await screenshot(page, 'console-budget-import');
    await page.locator('.notice.success a').click();
    await page.getByText('Імпортоване голосування').waitFor();
    expect(await page.getByRole('button', { name: 'Опублікувати результати' }).count()).toBe(0);
    await page.getByRole('button', { name: 'English: switch to English' }).click();
    await page.getByRole('heading', { level: 2, name: 'Results' }).waitFor();
    await page.getByText('How the winners are chosen').waitFor();
    await expectAccessible(page);
    await screenshot(page, 'console-budget-import-results-en');
  }, 120_000);
});
