import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safeNext } from '../../local/web.ts';
import { startWebSystem, type WebSystem } from './support/browser.ts';

/** The local server of the web app: cache rules, SPA fallback, what it never answers, /dev/sign-in. */
let api: WebSystem;
beforeAll(async () => {
  api = await startWebSystem();
}, 120_000);
afterAll(async () => {
  await api?.stop();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(api.url + path, { headers, redirect: 'manual' });

describe('local web server', () => {
  it('serves index.html no-cache with the CSP, and hashed assets immutable, compressed', async () => {
    const index = await get('/');
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(index.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    const html = await index.text();
    const script = /src="(\/assets\/app-[A-Z0-9]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await get(script!, { 'accept-encoding': 'br, gzip' });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-encoding')).toBe('br');
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    expect(api.web!.assets.reduce((sum, a) => sum + a.brotli, 0)).toBeLessThan(60 * 1024);
  });

  it('answers app paths with the app, never API paths or missing files', async () => {
    for (const path of ['/petitions', '/petitions/0b7c4e0e-6f3f-4b8e-9a59-3c1f3f0d2a11', '/school-vote?budget=x&code=y']) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toContain('<div id="app">');
    }
    const api404 = await get('/v1/no-such-thing');
    expect(api404.status).toBe(404);
    expect(api404.headers.get('content-type')).toContain('application/problem+json');
    expect((await get('/health')).headers.get('content-type')).toContain('application/json');
    expect((await get('/openapi.json')).headers.get('content-type')).toContain('application/json');
    expect((await get('/missing.js')).status).toBe(404);
    expect((await get('/..%2f..%2fpackage.json')).status).toBe(404);
  });

  it('signs the browser in through the fragment and redirects only within this origin', async () => {
    const res = await get('/dev/sign-in?sub=olena&roles=citizen&community=ternopil&birthdate=1990-05-01&name=Olena&next=/petitions/abc?x=1');
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/petitions\/abc\?x=1#token=ey/);
    const token = decodeURIComponent(location.split('#token=')[1]!);
    const me = await api.request('GET', '/v1/me/data', { token });
    expect(me.status).toBe(200);
    for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)']) {
      const away = await get(`/dev/sign-in?sub=olena&roles=citizen&community=ternopil&next=${encodeURIComponent(next)}`);
      expect(away.headers.get('location'), next).toMatch(/^\/#token=/);
    }
    expect((await get('/dev/sign-in?sub=olena&roles=superuser&community=ternopil')).status).toBe(400);
    expect(safeNext('/a/b?c=d')).toBe('/a/b?c=d');
    expect(safeNext('/\r\nSet-Cookie: x')).toBe('/');
  });
});
