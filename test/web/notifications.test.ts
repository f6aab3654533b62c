/// <reference lib="dom" />
import { createHash, randomUUID } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../shared/data/client.ts';
import { keys } from '../../shared/data/keys.ts';
import { axeViolations, launchChromium, newPhone, screenshot, startWebSystem, type WebSystem } from './support/browser.ts';

/**
 * Hearing back (issue 13) in the citizens' app, in Chromium at 360×740 with touch, against the
 * whole local system (gateway, handlers, stream consumers, DynamoDB Local, the local SMTP server):
 * a resident sets their notification preferences, follows a petition by keyboard, and the
 * council's response to it arrives as an e-mail (read through /dev/mail). axe-core on every page.
 */
let api: WebSystem;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  api = await startWebSystem();
  browser = await launchChromium();
}, 180_000);
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await api?.stop();
});

async function phone(): Promise<Page> {
  const context = await newPhone(browser, api.url);
  contexts.push(context);
  return context.newPage();
}

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
  await db.send(new UpdateCommand({
    TableName: api.tableName, Key: keys.petition(id),
    UpdateExpression: 'SET closesAt = :c, gsi2sk = :k', ExpressionAttributeValues: { ':c': closesAt, ':k': `${closesAt}#${id}` },
  }));
  db.destroy();
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
    const own = page.getByRole('checkbox', { name: /Мої петиції/ });
    const followed = page.getByRole('checkbox', { name: /Те, за чим я стежу/ });
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
});
