/// <reference lib="dom" />
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildWeb, cspHash } from '../../web/build.ts';
import { axeViolations, browserSuite, inlineScripts, screenshot } from './support/browser.ts';

/**
 * The boot script (web/src/boot.ts): on a petition page it starts the petition's and the
 * signed-in person's requests before the app has arrived, and the app uses those answers instead
 * of asking again. Counted on the wire in Chromium: one request each, whichever arrives first; a
 * failed prefetch falls back to the app's own request; pages reached inside the app ask for
 * themselves.
 */

const { api, phone } = browserSuite();

let petitionId: string;

beforeAll(async () => {
  const author = await api.token();
  const moderator = await api.token({ sub: `moderator-${randomUUID()}`, roles: ['moderator'] });
  const created = await api.request('POST', '/v1/petitions', { token: author, body: { title: 'Освітлення на вулиці Руській', text: 'Просимо встановити нові ліхтарі вздовж вулиці Руської.' } });
  expect(created.status).toBe(201);
  petitionId = created.body.id;
  expect((await api.request('POST', `/v1/petitions/${petitionId}/moderation`, { token: moderator, body: { decision: 'publish' } })).status).toBe(200);
}, 180_000);

const signInUrl = (sub: string, next: string) => `/dev/sign-in?${new URLSearchParams({ sub, roles: 'citizen', community: 'ternopil', birthdate: '1990-05-01', name: 'Олена Коваль', next })}`;

/** GETs of this petition's API paths, in the order the browser made them. */
function apiReads(page: Page, id: string): string[] {
  const seen: string[] = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (r.method() === 'GET' && path.startsWith(`/v1/petitions/${id}`)) seen.push(path);
  });
  return seen;
}

const count = (list: string[], item: string) => list.filter((x) => x === item).length;

describe('boot script', () => {
  it('a petition opened from a link asks for it and for "already signed?" once each; the page signs it', async () => {
    const page = await phone();
    const reads = apiReads(page, petitionId);
    // Signed in by the local identity provider: the token arrives in the address's fragment.
    await page.goto(signInUrl(`boot-${randomUUID()}`, `/petitions/${petitionId}`));
    await page.waitForURL(`**/petitions/${petitionId}`);
    await page.getByRole('heading', { level: 1, name: 'Освітлення на вулиці Руській' }).waitFor();
    const sign = page.getByRole('button', { name: 'Підписати' });
    await sign.waitFor();
    expect(count(reads, `/v1/petitions/${petitionId}`)).toBe(1);
    expect(count(reads, `/v1/petitions/${petitionId}/signatures/mine`)).toBe(1);
    expect(await page.evaluate(() => performance.getEntriesByName('hromada:boot', 'mark').length)).toBe(1);
    expect(await axeViolations(page)).toEqual([]);

    await sign.tap();
    const confirmation = page.getByRole('status').filter({ hasText: 'Ви підписали' });
    await confirmation.waitFor();
    expect(await confirmation.textContent()).toContain('1 підпис');
    await screenshot(page, 'boot-petition-signed');
    // Still one read each: signing does not reload the page's data.
    expect(count(reads, `/v1/petitions/${petitionId}`)).toBe(1);
    expect(count(reads, `/v1/petitions/${petitionId}/signatures/mine`)).toBe(1);
  });

  it('the requests start before the app has arrived, and the app takes their answers (one request each)', async () => {
    const page = await phone();
    const token = await api.token({ sub: `boot-${randomUUID()}`, name: 'Олена Коваль' });
    await page.context().addInitScript((t: string) => sessionStorage.setItem('hromada.token', t), token);
    // The app's entry is slow to arrive (a phone network): the boot script runs long before it.
    await page.route('**/assets/app-*.js', async (route) => {
      await new Promise((r) => setTimeout(r, 800));
      await route.continue();
    });
    const reads = apiReads(page, petitionId);
    await page.goto(`/petitions/${petitionId}`);
    await page.getByRole('button', { name: 'Підписати' }).waitFor();
    const timing = await page.evaluate((id) => {
      const startOf = (path: string) => performance.getEntriesByType('resource').find((r) => new URL(r.name).pathname === path)?.startTime ?? -1;
      return {
        petition: startOf(`/v1/petitions/${id}`),
        mine: startOf(`/v1/petitions/${id}/signatures/mine`),
        app: performance.getEntriesByName('hromada:app', 'mark')[0]?.startTime ?? -1,
      };
    }, petitionId);
    expect(timing.petition).toBeGreaterThan(0);
    expect(timing.mine).toBeGreaterThan(0);
    expect(timing.app).toBeGreaterThan(timing.petition + 500);
    expect(timing.app).toBeGreaterThan(timing.mine + 500);
    expect(count(reads, `/v1/petitions/${petitionId}`)).toBe(1);
    expect(count(reads, `/v1/petitions/${petitionId}/signatures/mine`)).toBe(1);
  });

  it('a failed prefetch falls back to the app\'s own request', async () => {
    const page = await phone();
    let refused = 0;
    await page.route(`**/v1/petitions/${petitionId}`, async (route) => {
      if (refused++ === 0) return route.abort('connectionreset');
      return route.continue();
    });
    const reads = apiReads(page, petitionId);
    await page.goto(`/petitions/${petitionId}`);
    await page.getByRole('heading', { level: 1, name: 'Освітлення на вулиці Руській' }).waitFor();
    // Not signed in: the personal request is neither prefetched nor made.
    await page.getByRole('link', { name: 'Увійдіть, щоб підписати' }).waitFor();
    expect(count(reads, `/v1/petitions/${petitionId}`)).toBe(2);
    expect(count(reads, `/v1/petitions/${petitionId}/signatures/mine`)).toBe(0);
  });

  it('a petition reached inside the app (from the list) asks for itself and signs', async () => {
    const page = await phone();
    const reads = apiReads(page, petitionId);
    await page.goto(signInUrl(`boot-${randomUUID()}`, '/petitions'));
    const card = page.getByRole('article').filter({ hasText: 'Освітлення на вулиці Руській' });
    await card.waitFor();
    expect(await page.evaluate(() => performance.getEntriesByName('hromada:boot', 'mark').length)).toBe(1);
    expect(reads).toEqual([]);
    await card.getByRole('link', { name: 'Освітлення на вулиці Руській' }).tap();
    await page.waitForURL(`**/petitions/${petitionId}`);
    const sign = page.getByRole('button', { name: 'Підписати' });
    await sign.waitFor();
    expect(count(reads, `/v1/petitions/${petitionId}`)).toBe(1);
    expect(count(reads, `/v1/petitions/${petitionId}/signatures/mine`)).toBe(1);
    await sign.tap();
    await page.getByRole('status').filter({ hasText: 'Ви підписали' }).waitFor();
  });

  it('a petition page\'s first visit is at most five files besides the document; the boot script is inline, allowed by its hash alone', async () => {
    const files = api.web!.assets.map((a) => a.path);
    expect(files.length).toBeLessThanOrEqual(5);
    const html = readFileSync(join(api.web!.outDir, 'index.html'), 'utf8');
    const inline = inlineScripts(api.web!.outDir);
    expect(inline).toHaveLength(1);
    // Before any other script or stylesheet: its requests start while the document is parsed.
    expect(html.indexOf('<script>')).toBeLessThan(html.search(/<(script|link)[^>]*(src|href)="\/assets\//));
    expect(inline[0]).toContain('/v1/petitions/{id}');
    expect(new TextEncoder().encode(inline[0]).length).toBeLessThan(4096);
    expect(api.web!.scriptHashes).toEqual([cspHash(inline[0]!)]);
    const csp = (await fetch(`${api.url}/petitions/${petitionId}`)).headers.get('content-security-policy')!;
    expect(csp).toContain(`script-src 'self' ${cspHash(inline[0]!)};`);
    expect(csp).not.toContain('unsafe-inline');
  });
});

describe('boot pages table (build)', () => {
  it('a page loaded on demand gets its chunks preloaded by the boot script; only reads are allowed', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'hromada-boot-build-'));
    const built = await buildWeb({
      outDir,
      bootPages: [{ pattern: '^/consultations/(?<id>[0-9a-f-]{36})$', requests: ['getConsultation', 'getOwnResponse'], module: 'src/pages/consultation.tsx' }],
    });
    const [boot = ''] = inlineScripts(outDir);
    expect(built.scriptHashes).toEqual([cspHash(boot)]);
    expect(boot).toContain('/v1/consultations/{id}');
    const chunks = [...(/chunks:\[([^\]]*)\]/.exec(boot)?.[1] ?? '').matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
    expect(chunks.length).toBeGreaterThan(0);
    const firstLoad = built.assets.map((a) => a.path);
    for (const chunk of chunks) {
      expect(chunk).toMatch(/^\/assets\/chunk-[A-Z0-9]+\.js$/);
      expect(firstLoad).not.toContain(chunk);
    }
    // The consultation page's own code is among them (its load key is a literal in it).
    expect(chunks.some((c) => readFileSync(join(outDir, c), 'utf8').includes('consultation-results:'))).toBe(true);

    await expect(buildWeb({ outDir, bootPages: [{ pattern: '^/x$', requests: ['signPetition'], module: 'src/pages/petition.tsx' }] })).rejects.toThrow(/only reads/);
  }, 60_000);
});
