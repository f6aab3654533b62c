/// <reference lib="dom" />
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, screenshot } from './support/browser.ts';

/**
 * Reports of consultation comments, end to end in Debian's Chromium: a resident reports a comment
 * on a phone; a moderator finds it with its text under "Скарги та приховане" on /moderation and
 * hides it with a reason, by keyboard; the resident's page then shows only the moderator's reason.
 */

const { api, phone, desktop, expectAccessible } = browserSuite();

const signIn = (sub: string, roles: string, next: string) =>
  `/dev/sign-in?${new URLSearchParams({ sub, roles, community: 'ternopil', birthdate: '1985-03-03', name: 'Оксана Бойко', next })}`;

async function expectNoHorizontalScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(await page.evaluate(() => window.innerWidth));
}

describe('reports of consultation comments', () => {
  it('a resident reports a comment on a phone; a moderator hides it from /moderation; the page then shows only the reason', async () => {
    const council = await api.token({ sub: `council-${randomUUID()}`, roles: ['council'] });
    const title = `Консультація про сквер ${randomUUID().slice(0, 4)}`;
    const created = await api.request('POST', '/v1/consultations', {
      token: council,
      body: {
        title, draftText: 'Проєкт рішення про облаштування скверу біля ринку з лавками та деревами.',
        opensAt: new Date(Date.now() - 60_000).toISOString(), closesAt: new Date(Date.now() + 86_400_000).toISOString(),
        questions: [{ id: 'q1', type: 'single', text: 'Чи підтримуєте?', options: [{ id: 'yes', text: 'Так' }, { id: 'no', text: 'Ні' }] }],
      },
    });
    expect(created.status, created.text).toBe(201);
    const id = created.body.id as string;
    const spam = 'Купуйте дешеві шини на нашому сайті!';
    const posted = await api.request('POST', `/v1/consultations/${id}/comments`, { token: await api.token({}), body: { text: spam } });
    expect(posted.status, posted.text).toBe(201);
    const kept = 'Дерева краще висадити вздовж тротуару.';
    expect((await api.request('POST', `/v1/consultations/${id}/comments`, { token: await api.token({}), body: { text: kept } })).status).toBe(201);

    // The resident, on a phone.
    const resident = await phone();
    await resident.goto(signIn('resident-7', 'citizen', `/consultations/${id}`));
    const comments = resident.getByRole('region', { name: 'Коментарі' });
    const card = comments.getByRole('listitem').filter({ hasText: spam });
    await card.waitFor();
    await expectAccessible(resident);
    await expectNoHorizontalScroll(resident);
    await card.getByRole('button', { name: 'Поскаржитися' }).click();
    const reasons = card.getByRole('group', { name: 'Що не так?' });
    await reasons.waitFor();
    expect(await resident.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value)).toBe('offensive');
    await reasons.getByLabel('Спам або реклама').check();
    await card.getByLabel('Пояснення для модераторів (необов’язково)').fill('Реклама магазину шин.');
    await expectAccessible(resident);
    await expectNoHorizontalScroll(resident);
    await screenshot(resident, 'consultation-report-phone');
    await card.getByRole('button', { name: 'Надіслати' }).click();
    await card.getByText('Дякуємо, модератори перевірять.').waitFor();
    expect(await card.getByRole('button', { name: 'Скаргу надіслано' }).isDisabled()).toBe(true);
    await expectAccessible(resident);

    // The moderator: the report under "Скарги та приховане", with its text.
    const page = await desktop();
    await page.goto(signIn('moderator-7', 'moderator', '/moderation'));
    const section = page.getByRole('region', { name: 'Скарги та приховане' });
    const reported = section.getByRole('region', { name: /^Скарги/ });
    const item = reported.getByRole('listitem').filter({ hasText: spam });
    await item.waitFor();
    expect(await item.textContent()).toContain(title);
    expect(await item.textContent()).toContain('1 скарга');
    expect(await item.textContent()).toContain('спам: 1');
    expect(await item.getByRole('link', { name: title }).getAttribute('href')).toBe(`/consultations/${id}`);
    await expectAccessible(page);
    await screenshot(page, 'console-reports-desktop');

    // By keyboard: Приховати, a reason, an explanation, confirm.
    await item.getByRole('button', { name: 'Приховати' }).focus();
    await page.keyboard.press('Enter');
    const reason = item.getByLabel('Причина');
    await reason.waitFor();
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('SELECT');
    await reason.selectOption({ label: 'Спам або реклама' });
    await page.keyboard.press('Tab');
    await page.keyboard.type('Реклама, не стосується консультації.');
    await expectAccessible(page);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await section.getByText('Приховано.', { exact: true }).waitFor();
    expect(await reported.getByText(spam).count()).toBe(0);
    const hidden = section.getByRole('region', { name: 'Приховане' });
    const hiddenItem = hidden.getByRole('listitem').filter({ hasText: spam });
    await hiddenItem.getByText('Приховано: Спам або реклама. Реклама, не стосується консультації.').waitFor();
    await hiddenItem.getByRole('button', { name: 'Показати знову' }).waitFor();
    await expectAccessible(page);

    // On a phone too: the moderator's page at 360 px, no horizontal scroll; the hidden list read from the API.
    const moderatorPhone = await phone();
    await moderatorPhone.goto(signIn('moderator-7', 'moderator', '/moderation'));
    await moderatorPhone.getByRole('region', { name: 'Приховане' }).getByText(spam).waitFor();
    await moderatorPhone.getByText('Нових скарг немає.').waitFor();
    await expectAccessible(moderatorPhone);
    await expectNoHorizontalScroll(moderatorPhone);
    await screenshot(moderatorPhone, 'console-reports-phone');

    // The resident's page (a fresh visit): only the moderator's reason, the other comment as it was.
    const again = await phone();
    await again.goto(signIn('resident-7', 'citizen', `/consultations/${id}`));
    const after = again.getByRole('region', { name: 'Коментарі' });
    await after.getByText('Приховано модератором: Реклама, не стосується консультації.').waitFor();
    await after.getByText(kept).waitFor();
    expect(await again.getByText(spam).count()).toBe(0);
    await expectAccessible(again);
  }, 180_000);
});
