import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import * as z from 'zod';
import { buildWeb, type WebBuild } from '../web/build.ts';
import { webSecurityHeaders } from '../web/security-headers.ts';
import type { DevAuth } from './dev-auth.ts';
import { devTokenRequest } from './dev-auth.ts';

/**
 * The citizens' web app beside the API on the same origin (what CloudFront does in AWS): built on
 * start (esbuild, well under a second), served with the cache rules the CDN applies (hashed
 * assets immutable, everything else revalidated), precompressed, with the same security headers,
 * and an SPA fallback for app paths. Also `GET /dev/sign-in`: signs the browser in as a person
 * (local only, like `POST /dev/token`) and goes to `next`.
 */
export interface LocalWeb {
  readonly build: WebBuild;
  /** Answers a GET/HEAD for a non-API path; false when it is not the app's to answer. */
  serve(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
}

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png',
};

export function cacheControlFor(path: string): string {
  if (path.startsWith('/assets/')) return 'public, max-age=31536000, immutable';
  if (path === '/manifest.webmanifest' || path === '/icon.svg') return 'public, max-age=3600';
  return 'no-cache';
}

/** Only a path on this origin (`/x`, not `//host` or `/\host`): never an open redirect. */
export function safeNext(next: string | null | undefined): string {
  if (!next || !/^\/(?![/\\])/.test(next) || /[\r\n]/.test(next)) return '/';
  const url = new URL(next, 'http://local.invalid');
  return url.origin === 'http://local.invalid' ? url.pathname + url.search : '/';
}

const signInQuery = z.object({
  sub: z.string().min(1).max(128),
  roles: z.string().min(1).max(200),
  community: z.string(),
  birthdate: z.string().optional(),
  name: z.string().optional(),
  email: z.string().optional(),
  /** What the identity provider attests: the national identifier (budget voting), the school (school staff). */
  nationalId: z.string().optional(),
  school: z.string().optional(),
  next: z.string().optional(),
});

function sendText(res: ServerResponse, status: number, text: string) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...webSecurityHeaders([]) });
  res.end(text);
}

export async function createLocalWeb(options: { auth: DevAuth; outDir?: string }): Promise<LocalWeb> {
  const build = await buildWeb({ ...(options.outDir ? { outDir: options.outDir } : {}), auth: 'local' });
  const root = build.outDir;
  const securityHeaders = webSecurityHeaders(build.scriptHashes);

  function sendFile(req: IncomingMessage, res: ServerResponse, file: string, path: string, status = 200) {
    const type = types[extname(file)] ?? 'application/octet-stream';
    const accept = String(req.headers['accept-encoding'] ?? '');
    let body = file;
    let encoding: string | undefined;
    if (/\bbr\b/.test(accept) && existsSync(`${file}.br`)) [body, encoding] = [`${file}.br`, 'br'];
    else if (/\bgzip\b/.test(accept) && existsSync(`${file}.gz`)) [body, encoding] = [`${file}.gz`, 'gzip'];
    const bytes = readFileSync(body);
    res.writeHead(status, {
      'content-type': type,
      'cache-control': cacheControlFor(path),
      'content-length': String(bytes.length),
      vary: 'Accept-Encoding',
      ...(encoding ? { 'content-encoding': encoding } : {}),
      ...(path === '/sw.js' ? { 'service-worker-allowed': '/' } : {}),
      ...securityHeaders,
    });
    res.end(req.method === 'HEAD' ? undefined : bytes);
  }

  async function signIn(res: ServerResponse, url: URL) {
    const query = signInQuery.safeParse(Object.fromEntries(url.searchParams));
    if (!query.success) return sendText(res, 400, 'Sign-in needs sub, roles and community.');
    const request = devTokenRequest.safeParse({
      sub: query.data.sub,
      roles: query.data.roles.split(',').map((r) => r.trim()).filter(Boolean),
      community: query.data.community,
      ...(query.data.birthdate ? { birthdate: query.data.birthdate } : {}),
      ...(query.data.name ? { name: query.data.name } : {}),
      ...(query.data.email ? { email: query.data.email } : {}),
      ...(query.data.nationalId ? { nationalId: query.data.nationalId } : {}),
      ...(query.data.school ? { school: query.data.school } : {}),
    });
    if (!request.success) return sendText(res, 400, `Invalid sign-in: ${request.error.issues[0]?.path.join('.')}: ${request.error.issues[0]?.message}`);
    const token = await options.auth.mint(request.data);
    // The fragment never reaches a server or a log; the app takes it into sessionStorage and drops it.
    res.writeHead(303, { location: `${safeNext(query.data.next)}#token=${encodeURIComponent(token)}`, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
    res.end();
  }

  async function serve(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') return false;
    const path = url.pathname;
    if (path === '/dev/sign-in') {
      await signIn(res, url);
      return true;
    }
    if (/^\/(v1|dev)(\/|$)/.test(path)) return false;
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return false;
    }
    const file = normalize(join(root, decoded));
    if (file.startsWith(root + sep) && existsSync(file) && statSync(file).isFile() && !/\.(br|gz)$/.test(file)) {
      sendFile(req, res, file, path);
      return true;
    }
    // App paths (no file extension) get the app; a missing file is a 404.
    if (extname(path) === '') {
      sendFile(req, res, join(root, 'index.html'), '/index.html');
      return true;
    }
    sendText(res, 404, 'Not found.');
    return true;
  }

  return { build, serve };
}
