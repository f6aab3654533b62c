/// <reference lib="dom" />
/**
 * Figure 7: the citizens' web app on a phone. (a) What a petition page loads on a first visit:
 * its JavaScript and CSS, compressed (brotli as CloudFront and the local server send it; gzip
 * beside it), goal ≤ 60 KB. (b) How soon the Sign button can be used after navigating to a
 * petition, signed in, first visit (empty cache), in Debian's Chromium with 4× CPU slowdown and
 * DevTools' slow-4G profile through the DevTools protocol: median of 5, goal ≤ 2.5 s.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { createDocumentClient } from '#shared/data/client.ts';
import { putCommunity } from '#shared/data/communities.ts';
import { ternopil } from '#shared/domain/community.ts';
import { startLocalSystem } from '../../local/runtime.ts';
import { median } from '../lib/load.ts';

export const WEB_GOALS = { petitionPageKB: 60, signUsableMs: 2_500 } as const;

/** Lighthouse's mobile profile as DevTools applies it ("slow 4G"): 562.5 ms RTT, 1.47 Mbit/s down, 675 kbit/s up. */
export const SLOW_4G = { latency: 562.5, downloadThroughput: (1_474.56 * 1024) / 8, uploadThroughput: (675 * 1024) / 8 };
export const CPU_SLOWDOWN = 4;

export interface WebFigure {
  petitionPage: { files: { path: string; bytes: number; gzip: number; brotli: number }[]; brotliKB: number; gzipKB: number; goalKB: number; goalMet: boolean };
  signUsable:
    | {
        samplesMs: number[];
        medianMs: number;
        goalMs: number;
        goalMet: boolean;
        profile: string;
        /**
         * Medians, ms from navigation start: document received, first script received, the boot
         * script run (it starts the petition's requests), the app started, petition API request
         * sent and answered. -1: not seen.
         */
        breakdown: Breakdown;
        loadAverage: number[];
      }
    | { error: string };
}

type Breakdown = { documentMs: number; scriptMs: number; bootMs: number; appMs: number; petitionApiStartMs: number; petitionApiMs: number };

export async function measureWeb(options: { samples?: number; log: (line: string) => void }): Promise<WebFigure> {
  const samples = options.samples ?? 5;
  const system = await startLocalSystem({
    port: 0, inMemory: true, dataDir: '', alertSinkFile: join(mkdtempSync(join(tmpdir(), 'hromada-bench-web-')), 'alerts.jsonl'),
    web: { outDir: mkdtempSync(join(tmpdir(), 'hromada-bench-web-')) },
  });
  try {
    const files = system.web!.assets;
    const brotli = files.reduce((s, f) => s + f.brotli, 0) / 1024;
    const gzip = files.reduce((s, f) => s + f.gzip, 0) / 1024;
    const petitionPage = { files, brotliKB: Math.round(brotli * 10) / 10, gzipKB: Math.round(gzip * 10) / 10, goalKB: WEB_GOALS.petitionPageKB, goalMet: brotli <= WEB_GOALS.petitionPageKB };
    options.log(`web: a petition page loads ${petitionPage.brotliKB} KB of JS+CSS (brotli), ${petitionPage.gzipKB} KB gzip`);

    const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
    if (!existsSync(chromiumPath)) return { petitionPage, signUsable: { error: `Chromium not found at ${chromiumPath} (apt-get install chromium)` } };

    const db = createDocumentClient();
    await putCommunity(db, ternopil);
    db.destroy();
    const token = (claims: { sub: string; roles: ('citizen' | 'moderator')[] }) => system.auth.mint({ ...claims, community: 'ternopil', birthdate: '1990-01-01' });
    const call = (method: string, path: string, jwt: string, body?: unknown) =>
      fetch(system.url + path, { method, headers: { authorization: `Bearer ${jwt}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) }).then((r) => r.json() as Promise<{ id: string }>);
    const created = await call('POST', '/v1/petitions', await token({ sub: 'bench-author', roles: ['citizen'] }), {
      title: 'Більше лавок у парку Шевченка', text: 'Просимо встановити двадцять нових лавок уздовж алей парку.',
    });
    await call('POST', `/v1/petitions/${created.id}/moderation`, await token({ sub: 'bench-moderator', roles: ['moderator'] }), { decision: 'publish' });

    const browser = await chromium.launch({
      executablePath: chromiumPath, headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const samplesMs: number[] = [];
    const breakdowns: Breakdown[] = [];
    try {
      for (let i = 0; i < samples; i++) {
        // A fresh profile each time (first visit: nothing cached), signed in as a new person.
        const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'uk-UA', serviceWorkers: 'block' });
        const jwt = await token({ sub: `bench-signer-${randomUUID()}`, roles: ['citizen'] });
        await context.addInitScript((t: string) => sessionStorage.setItem('hromada.token', t), jwt);
        const page = await context.newPage();
        const cdp = await context.newCDPSession(page);
        await cdp.send('Network.enable');
        await cdp.send('Network.emulateNetworkConditions', { offline: false, ...SLOW_4G });
        await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
        await page.goto(`${system.url}/petitions/${created.id}`, { waitUntil: 'commit' });
        // Milliseconds from the navigation's start (the page's time origin) to an enabled Sign button.
        const usable = await page.waitForFunction(() => {
          const button = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Підписати');
          return button && !button.disabled ? performance.now() : false;
        }, undefined, { polling: 50, timeout: 60_000 });
        samplesMs.push(Math.round(Number(await usable.jsonValue())));
        // Where the time went: when the document, the script and the petition's API answer arrived.
        // (A string: tsx's helper names must not leak into the page.)
        breakdowns.push(await page.evaluate(`(() => {
          const nav = performance.getEntriesByType('navigation')[0];
          const resources = performance.getEntriesByType('resource');
          const find = (test) => resources.find((r) => test(new URL(r.name).pathname));
          const api = (p) => /^\\/v1\\/petitions\\/[^/]+$/.test(p);
          const mark = (name) => Math.round(performance.getEntriesByName(name, 'mark')[0]?.startTime ?? -1);
          return {
            documentMs: Math.round(nav ? nav.responseEnd : -1),
            scriptMs: Math.round(find((p) => p.endsWith('.js'))?.responseEnd ?? -1),
            bootMs: mark('hromada:boot'),
            appMs: mark('hromada:app'),
            petitionApiStartMs: Math.round(find(api)?.startTime ?? -1),
            petitionApiMs: Math.round(find(api)?.responseEnd ?? -1),
          };
        })()`));
        await context.close();
      }
    } finally {
      await browser.close();
    }
    const medianMs = median(samplesMs);
    const breakdown = {
      documentMs: median(breakdowns.map((b) => b.documentMs)),
      scriptMs: median(breakdowns.map((b) => b.scriptMs)),
      bootMs: median(breakdowns.map((b) => b.bootMs)),
      appMs: median(breakdowns.map((b) => b.appMs)),
      petitionApiStartMs: median(breakdowns.map((b) => b.petitionApiStartMs)),
      petitionApiMs: median(breakdowns.map((b) => b.petitionApiMs)),
    };
    options.log(`web: document ${breakdown.documentMs} ms, first script ${breakdown.scriptMs} ms, boot script ran ${breakdown.bootMs} ms, app started ${breakdown.appMs} ms, petition API sent ${breakdown.petitionApiStartMs} ms, answered ${breakdown.petitionApiMs} ms (medians)`);
    options.log(`web: Sign usable after ${medianMs} ms (median of ${samples}: ${samplesMs.join(', ')} ms) at ${CPU_SLOWDOWN}× CPU, slow 4G`);
    return {
      petitionPage,
      signUsable: { samplesMs, medianMs, goalMs: WEB_GOALS.signUsableMs, goalMet: medianMs <= WEB_GOALS.signUsableMs, breakdown, loadAverage: loadavg().map((l) => Math.round(l * 100) / 100), profile: `${CPU_SLOWDOWN}× CPU slowdown; ${SLOW_4G.latency} ms RTT, 1474.56 kbit/s down, 675 kbit/s up (DevTools slow 4G)` },
    };
  } finally {
    await system.stop();
  }
}
