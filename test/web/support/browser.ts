/// <reference lib="dom" />
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { createDocumentClient } from '#shared/data/client.ts';
import { putCommunity } from '#shared/data/communities.ts';
import { ternopil, ukStyle } from '#shared/domain/community.ts';
import type { DevTokenRequest } from '../../../local/dev-auth.ts';
import { startLocalSystem, type LocalSystem } from '../../../local/runtime.ts';

/** Debian's Chromium (the `chromium` package; .ci/run installs it). No browser is downloaded. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = resolve(import.meta.dirname, '..', '..', '..', 'test-results', 'web');

export interface WebSystem extends LocalSystem {
  token(claims?: Partial<DevTokenRequest>): Promise<string>;
  request<T = any>(method: string, path: string, options?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: T; text: string }>;
}

/** The whole local system with the web app (what `npm start -- --in-memory` runs), on a fresh table. */
export async function startWebSystem(): Promise<WebSystem> {
  const system = await startLocalSystem({
    port: 0,
    inMemory: true,
    dataDir: '',
    alertSinkFile: join(mkdtempSync(join(tmpdir(), 'hromada-web-alerts-')), 'alerts.jsonl'),
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `web-${randomUUID().slice(0, 8)}`,
    web: { outDir: mkdtempSync(join(tmpdir(), 'hromada-web-')) },
  });
  const db = createDocumentClient();
  for (const community of [ternopil, ukStyle]) await putCommunity(db, community);
  db.destroy();
  const token = (claims: Partial<DevTokenRequest> = {}) =>
    system.auth.mint({
      sub: claims.sub ?? `citizen-${randomUUID()}`,
      roles: claims.roles ?? ['citizen'],
      community: claims.community ?? 'ternopil',
      birthdate: claims.birthdate ?? '1990-01-01',
      ...(claims.name ? { name: claims.name } : {}),
      ...(claims.school ? { school: claims.school } : {}),
      ...(claims.nationalId ? { nationalId: claims.nationalId } : {}),
    });
  async function request(method: string, path: string, opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(system.url + path, { method, headers, ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}) });
    const text = await res.text();
    return { status: res.status, body: (text && (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text) as any, text };
  }
  return Object.assign(system, { token, request });
}

/** Chromium, headless; a missing browser fails the run with what to install (it never skips). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is missing at ${CHROMIUM}. Install Debian's package: apt-get install -y chromium (.ci/run does this), or set CHROMIUM_PATH.`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A phone: 360×740, touch, Ukrainian; every context is a fresh profile (storage, service workers). */
export function newPhone(browser: Browser, baseURL: string): Promise<BrowserContext> {
  return browser.newContext({
    baseURL,
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'uk-UA',
    timezoneId: 'Europe/Kyiv',
    serviceWorkers: 'allow',
  });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's WCAG 2.1 A/AA rules on the page as it is now: the violations, summarised. */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol: the page's CSP (no inline scripts) stays in force.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[]; failureSummary: string }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary}`).join('; ')}`);
  });
  return violations;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The texts of the inline scripts (`<script>…</script>`, no src) of a built app's index.html, in order. */
export function inlineScripts(outDir: string): string[] {
  return [...readFileSync(join(outDir, 'index.html'), 'utf8').matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
}

/**
 * What every browser test file needs, set up once for the file and closed after it: the whole
 * local system (startWebSystem) and Chromium; phones and desktops, each a fresh context (closed at
 * the end); axe on a page. `api` and `browser` may be named at module level: they stand for the
 * started system and browser (using them before the suite's beforeAll has run throws).
 */
export function browserSuite() {
  let system: WebSystem | undefined;
  let chromiumBrowser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    system = await startWebSystem();
    chromiumBrowser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await chromiumBrowser?.close();
    await system?.stop();
  });
  const started = <T extends object>(what: string, get: () => T | undefined): T =>
    new Proxy({} as T, {
      get(_, property) {
        const target = get();
        if (!target) throw new Error(`The browser suite's ${what} is used before its beforeAll has run`);
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  const api = started('system', () => system);
  const browser = started('browser', () => chromiumBrowser);
  async function track(context: Promise<BrowserContext>): Promise<Page> {
    const opened = await context;
    contexts.push(opened);
    return opened.newPage();
  }
  return {
    api,
    browser,
    /** A phone page (newPhone: 360×740, touch, Ukrainian). */
    phone: () => track(newPhone(chromiumBrowser!, system!.url)),
    /** A desktop page, Ukrainian, Kyiv time: 1280×800 unless told. */
    desktop: (options: { width?: number; height?: number; scale?: number } = {}) =>
      track(chromiumBrowser!.newContext({
        baseURL: system!.url,
        viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
        deviceScaleFactor: options.scale ?? 1,
        locale: 'uk-UA',
        timezoneId: 'Europe/Kyiv',
      })),
    /** Closes this context with the suite (one a test made itself). */
    keep: (context: BrowserContext) => {
      contexts.push(context);
      return context;
    },
    /** A context of one's own (closed with the suite). */
    context: async (options: Parameters<Browser['newContext']>[0]) => {
      const opened = await chromiumBrowser!.newContext(options);
      contexts.push(opened);
      return opened;
    },
    /** axe-core finds nothing (WCAG 2.1 A/AA) on the page as it is now. */
    expectAccessible: async (page: Page) => {
      expect(await axeViolations(page)).toEqual([]);
    },
  };
}
