/// <reference lib="dom" />
import { createHash, randomUUID } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDocumentClient } from '#shared/data/client.ts';
import { budgetKeys } from '#shared/data/budgets.ts';
import { axeViolations, browserSuite, screenshot } from './support/browser.ts';
import { setPetitionDeadline } from '../support/petition-deadline.ts';

/**
 * Hearing back (issue 13) in the citizens' app, in Chromium at 360×740 with touch, against the
 * whole local system (gateway, handlers, stream consumers, DynamoDB Local, the local SMTP server):
 * a resident sets their notification preferences, follows a petition by keyboard, and the
 * council's response to it arrives as an e-mail (read through /dev/mail). axe-core on every page.
 */

const { api, phone } = browserSuite();

const nationalIdOf = (sub: string) => String(1_000_000_000 + (parseInt(createHash('sha256').update(sub).digest('hex').slice(0, 8), 16) % 9_000_000_000));
const signInUrl = (sub: string, email: string, next: string) =>
  `/dev/sign-in?${new URLSearchParams({ sub, roles: 'citizen', community: 'ternopil', birthdate: '1990-05-01', name: 'Олена Коваль', email, nationalId: nationalIdOf(sub), next })}`;

async function openPetition(title: string) {
  const author = await api.token();
  const moderator = await api.token({ sub: `moderator-${randomUUID()}`, roles: ['moderator'] });
  const created = await api.request('POST', '/v1/petitions', { token: author, body: { title, text: 'Просимо облаштувати пішохідний перехід біля школи № 5.' } });
  expect(created.status, created.text).toBe(201);
  expect((await api.request('POST', `/v1/petitions/${created.body.id}/moderation`, { token: moderator, body: { decision: 'publish' } })).status).toBe(200);
  return created.body.id as string;
}

/** Moves a petition's deadline into the past, as the clock would: closed, so the council may answer. */
async function closePetition(id: string) {
  const closesAt = new Date(Date.now() - 60_000).toISOString();
  const db = createDocumentClient();
  await setPetitionDeadline(db, api.tableName, id, closesAt);
  db.destroy();
}

const DAY = 86_400_000;
const at = (days: number) => new Date(Date.now() + days * DAY).toISOString();
async function setSchedule(id: string, schedule: Record<string, string | null>) {
  const db = createDocumentClient();
  await db.send(new UpdateCommand({ TableName: api.tableName, Key: budgetKeys.budget(id), UpdateExpression: 'SET schedule = :s', ExpressionAttributeValues: { ':s': schedule } }));
  db.destroy();
}

/** A city budget with two admitted projects, in voting (dates rewritten, as citizen.test.ts does). */
async function budgetInVoting(title: string) {
  const council = await api.token({ sub: `council-${randomUUID()}`, roles: ['council'] });
  const created = await api.request('POST', '/v1/budgets', {
    token: council,
    body: {
      kind: 'public', title, money: { currency: 'UAH', total: 1_000_000 },
      schedule: { submission: at(0), preSupport: null, review: at(1), voting: at(2), results: at(3), implementation: at(4) },
      preSupport: { required: 0 }, ballotRules: { type: 'approval', projects: { min: 1, max: 1 } }, rule: { name: 'greedy', rankBy: 'votes' },
    },
  });
  expect(created.status, created.text).toBe(201);
  const id = created.body.id as string;
  const author = await api.token();
  for (const name of ['Сквер на Східному масиві', 'Лавки на Бульварі']) {
    const res = await api.request('POST', `/v1/budgets/${id}/projects`, { token: author, body: { title: name, description: `${name}: опис проєкту для мешканців.`, cost: 400_000 } });
    expect(res.status, res.text).toBe(201);
  }
  await setSchedule(id, { submission: at(-2), preSupport: null, review: at(-1), voting: at(1), results: at(2), implementation: at(3) });
  for (const projectId of ['1', '2']) {
    expect((await api.request('POST', `/v1/budgets/${id}/projects/${projectId}/review`, { token: council, body: { feasible: true, reason: 'Реалізовно.', finalCost: 400_000 } })).status).toBe(200);
  }
  await setSchedule(id, { submission: at(-3), preSupport: null, review: at(-2), voting: at(-1), results: at(1), implementation: at(2) });
  return id;
}

const mailTo = async (address: string) => ((await api.request('GET', `/dev/mail?to=${encodeURIComponent(address)}`)).body as { messages: { subject: string; text: string }[] }).messages;

describe('notifications in the web app', () => {
  it('sets preferences, follows a petition by keyboard, and the council’s response arrives by e-mail in Ukrainian', async () => {
    const title = 'Пішохідний перехід біля школи № 5';
    const petitionId = await openPetition(title);
    const sub = `resident-${randomUUID()}`;
    const email = `${sub}@example.org`;
    const page = await phone();

    // The settings page, from the account menu.
    await page.goto(signInUrl(sub, email, '/petitions'));
    await page.getByRole('link', { name: 'Сповіщення' }).tap();
    await page.waitForURL(/\/me\/notifications$/);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 30_000 }).toBe('Сповіщення');
    await page.getByText(`Листи надходитимуть на адресу з вашого облікового запису: ${email}.`).waitFor();
    const own = page.getByRole('checkbox', { name: /Ваші петиції/ });
    const followed = page.getByRole('checkbox', { name: /Те, за чим ви стежите/ });
    expect(await own.isChecked()).toBe(false);
    expect(await followed.isChecked()).toBe(false);
    expect(await page.getByRole('radio', { name: 'Українська' }).isChecked()).toBe(true);
    await own.check();
    await followed.check();
    await page.getByRole('button', { name: 'Зберегти' }).tap();
    await page.getByRole('status').filter({ hasText: 'Збережено.' }).waitFor();
    await page.getByText(`Листи надходять на адресу ${email}.`).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'notifications-settings');
    const token = await api.token({ sub });
    expect((await api.request('GET', '/v1/me/notifications', { token })).body).toEqual({ email, language: 'uk', kinds: ['own', 'followed'] });

    // Follow the petition with the keyboard alone: a toggle button with its pressed state.
    await page.goto(`/petitions/${petitionId}`);
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    const follow = page.getByRole('button', { name: 'Стежити' });
    await expect.poll(() => follow.isEnabled(), { timeout: 15_000 }).toBe(true);
    expect(await follow.getAttribute('aria-pressed')).toBe('false');
    expect(await page.getByRole('checkbox', { name: /Повідомити мене про результат/ }).isChecked()).toBe(false);
    await follow.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => follow.getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('status').filter({ hasText: `Ви стежите. Лист прийде на ${email}.` }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'notifications-follow-petition');
    expect((await api.request('GET', '/v1/me/following', { token })).body).toEqual({ items: [{ type: 'petition', id: petitionId }] });

    // A reload shows it followed (read from the API, not kept in the page).
    await page.reload();
    await expect.poll(() => page.getByRole('button', { name: 'Стежити' }).getAttribute('aria-pressed'), { timeout: 15_000 }).toBe('true');

    // The council answers: the follower hears it by e-mail, once, in Ukrainian.
    await closePetition(petitionId);
    const council = await api.token({ sub: `council-${randomUUID()}`, roles: ['council'] });
    const answered = await api.request('POST', `/v1/petitions/${petitionId}/response`, {
      token: council, body: { decision: 'supported', text: 'Перехід облаштують до 1 вересня.' },
    });
    expect(answered.status, answered.text).toBe(200);
    await api.waitForStreams();
    await expect.poll(async () => (await mailTo(email)).map((m) => m.subject), { timeout: 30_000 }).toEqual([`Рада відповіла на петицію: ${title}`]);
    const [mail] = await mailTo(email);
    expect(mail!.text).toContain('Рішення: підтримано.');
    expect(mail!.text).toContain(`/petitions/${petitionId}`);
  }, 180_000);

  it('asks for the result beside Sign; unfollowing by keyboard turns the toggle off', async () => {
    const petitionId = await openPetition('Велодоріжка вздовж Тернопільського ставу');
    const sub = `signer-${randomUUID()}`;
    const email = `${sub}@example.org`;
    const page = await phone();
    await page.goto(signInUrl(sub, email, `/petitions/${petitionId}`));
    const ask = page.getByRole('checkbox', { name: /Повідомити мене про результат/ });
    await ask.check();
    await page.getByRole('button', { name: 'Підписати' }).tap();
    await page.getByRole('status').filter({ hasText: 'Ви підписали' }).waitFor();
    const token = await api.token({ sub });
    expect((await api.request('GET', '/v1/me/following', { token })).body).toEqual({ items: [{ type: 'petition', id: petitionId }] });
    const follow = page.getByRole('button', { name: 'Стежити' });
    await expect.poll(() => follow.getAttribute('aria-pressed'), { timeout: 15_000 }).toBe('true');
    await follow.focus();
    await page.keyboard.press('Space');
    await expect.poll(() => follow.getAttribute('aria-pressed')).toBe('false');
    await page.getByRole('status').filter({ hasText: 'Ви більше не стежите.' }).waitFor();
    expect((await api.request('GET', '/v1/me/following', { token })).body).toEqual({ items: [] });
    expect(await axeViolations(page)).toEqual([]);
  }, 120_000);

  it('follows a budget, asks for the result on the ballot and when answering a consultation: all keyboard-reachable, axe clean', async () => {
    const budgetId = await budgetInVoting('Громадський бюджет Тернополя 2027');
    const council = await api.token({ sub: `council-${randomUUID()}`, roles: ['council'] });
    const consultation = await api.request('POST', '/v1/consultations', {
      token: council,
      body: {
        title: 'Маршрути тролейбусів', opensAt: at(-1), closesAt: at(7),
        questions: [{ id: 'support', type: 'single', text: 'Чи підтримуєте нові маршрути?', options: [{ id: 'yes', text: 'Так' }, { id: 'no', text: 'Ні' }] }],
      },
    });
    expect(consultation.status, consultation.text).toBe(201);
    const sub = `voter-${randomUUID()}`;
    const email = `${sub}@example.org`;
    const token = await api.token({ sub });
    const page = await phone();

    // The budget page: a follow toggle, pressed and released.
    await page.goto(signInUrl(sub, email, `/budgets/${budgetId}`));
    await page.getByRole('heading', { level: 1, name: 'Громадський бюджет Тернополя 2027' }).waitFor();
    const follow = page.getByRole('button', { name: 'Стежити' });
    await expect.poll(() => follow.isEnabled(), { timeout: 15_000 }).toBe(true);
    await follow.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => follow.getAttribute('aria-pressed')).toBe('true');
    expect(await axeViolations(page)).toEqual([]);
    await follow.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => follow.getAttribute('aria-pressed')).toBe('false');
    expect((await api.request('GET', '/v1/me/following', { token })).body).toEqual({ items: [] });

    // The ballot, with "Tell me the result" ticked: the wish is stored as a follow of the budget.
    await page.goto(`/budgets/${budgetId}/vote`);
    await page.getByRole('radio', { name: /Лавки на Бульварі/ }).check();
    const ask = page.getByRole('checkbox', { name: /Повідомити мене про результат/ });
    await ask.focus();
    await page.keyboard.press('Space');
    expect(await ask.isChecked()).toBe(true);
    await page.getByText('Ваш вибір у бюлетені ніяк не пов’язаний із цим проханням.', { exact: false }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'notifications-ballot');
    await page.getByRole('button', { name: 'Проголосувати' }).tap();
    await page.getByRole('heading', { name: 'Ваш голос зараховано' }).waitFor();
    expect((await api.request('GET', '/v1/me/following', { token })).body).toEqual({ items: [{ type: 'budget', id: budgetId }] });

    // The consultation: answer with the checkbox ticked; the follow toggle then shows it followed.
    await page.goto(`/consultations/${consultation.body.id}`);
    await page.getByRole('radio', { name: 'Так' }).check();
    await page.getByRole('checkbox', { name: /Повідомити мене про результат/ }).check();
    await page.getByRole('button', { name: /Надіслати/ }).tap();
    await expect.poll(async () => (await api.request('GET', '/v1/me/following', { token })).body.items.length, { timeout: 15_000 }).toBe(2);
    await expect.poll(() => page.getByRole('button', { name: 'Стежити' }).getAttribute('aria-pressed')).toBe('true');
    expect(await axeViolations(page)).toEqual([]);
  }, 180_000);
});
