import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';
import { routes, type RouteName } from '#shared/http/routes.ts';
import type { BootRoute } from './src/boot.ts';

/**
 * Builds the citizens' web app into `outDir`: hashed, minified JS and CSS under /assets/, an
 * index.html that names them, the service worker (/sw.js, not hashed: its URL must stay), the
 * manifest and icons, and a .gz and .br beside every text file for the static server.
 */
export interface WebBuild {
  outDir: string;
  /** Paths (from /) of the app shell the service worker precaches. */
  shell: string[];
  /** The JS and CSS a page loads on a first visit (entry, its static chunks, the stylesheet), with their sizes. */
  assets: { path: string; bytes: number; gzip: number; brotli: number }[];
  /**
   * CSP sources (`'sha256-…'`) of the inline scripts of index.html (the boot script): the servers'
   * Content-Security-Policy allows exactly these and no other inline script.
   */
  scriptHashes: string[];
}

const here = import.meta.dirname;

/**
 * The route table's method, path and whether it is public, by name: the client builds URLs from it
 * (no zod in the bundle) and sends the token only where a route needs one.
 */
const routePaths = Object.fromEntries(Object.entries(routes).map(([name, r]) => [name, [r.method, r.path, r.auth === 'public']]));

/**
 * Pages the boot script (src/boot.ts) starts before the app has arrived: the path (named groups
 * fill the route paths' `{name}`s), the GET requests the page makes first (route names; personal
 * ones only go for someone signed in), and the page's module, whose chunks are preloaded when it
 * is loaded on demand (none while it is part of the app's entry, as the petition page is).
 */
export interface BootPage {
  pattern: string;
  requests: RouteName[];
  /** From web/, e.g. `src/pages/petition.tsx`. */
  module: string;
}
export const bootPages: BootPage[] = [
  { pattern: '^/petitions/(?<id>[0-9a-f-]{36})$', requests: ['getPetition', 'mySignature'], module: 'src/pages/petition.tsx' },
];

/**
 * Shared domain modules the app reuses (the code check digit) import node:crypto for functions the
 * browser never calls; this stub lets them bundle, and tree-shaking drops it.
 */
const browserStubs: Plugin = {
  name: 'browser-stubs',
  setup(b) {
    b.onResolve({ filter: /^node:crypto$/ }, () => ({ path: 'node:crypto', namespace: 'stub' }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
      contents: 'export function createHash() { throw new Error("node:crypto is not available in the browser"); }',
      loader: 'js',
    }));
  },
};

/** A CSP hash source for an inline script's exact text. */
export const cspHash = (script: string) => `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`;

function compressFile(file: string) {
  const body = readFileSync(file);
  const gzip = gzipSync(body, { level: 9 });
  const brotli = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
  writeFileSync(`${file}.gz`, gzip);
  writeFileSync(`${file}.br`, brotli);
  return { bytes: body.length, gzip: gzip.length, brotli: brotli.length };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * `auth`: `local` (npm start: /dev/sign-in) or `cognito` (AWS: the deployment's /config.json names the pool).
 * `bootPages`: the boot script's table (default `bootPages`).
 */
export async function buildWeb(options: { outDir?: string; auth?: 'local' | 'cognito'; bootPages?: readonly BootPage[] } = {}): Promise<WebBuild> {
  const outDir = resolve(options.outDir ?? join(here, '..', '.local', 'web'));
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, 'assets'), { recursive: true });

  const app = await build({
    entryPoints: { app: join(here, 'src', 'main.tsx') },
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2022', 'chrome111', 'safari16', 'firefox115'],
    platform: 'browser',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    // Code only some deployments run (Cognito sign-in) is a chunk loaded on demand.
    splitting: true,
    assetNames: '[name]-[hash]',
    outdir: join(outDir, 'assets'),
    metafile: true,
    legalComments: 'none',
    // Ukrainian text as UTF-8 (2 bytes a letter), not \u escapes (6).
    charset: 'utf8',
    define: { __ROUTES__: JSON.stringify(JSON.stringify(routePaths)), __AUTH_MODE__: JSON.stringify(options.auth ?? 'local') },
    plugins: [browserStubs],
    logLevel: 'silent',
  });
  const urlOf = (p: string) => '/' + relative(outDir, resolve(p)).split('\\').join('/');
  // The app's own entry (lazily imported pages are entry points too in the metafile).
  const entry = Object.entries(app.metafile.outputs).find(([, o]) => o.entryPoint !== undefined && /(^|\/)src\/main\.tsx$/.test(o.entryPoint));
  const js = entry ? urlOf(entry[0]) : undefined;
  const css = entry?.[1].cssBundle ? urlOf(entry[1].cssBundle) : undefined;
  const outputs = Object.keys(app.metafile.outputs).map(urlOf);
  if (!entry || !js || !css) throw new Error(`web build: expected a .js and a .css, got ${outputs.join(', ')}`);
  // Chunks the entry imports statically: named in the HTML, so they load alongside it, not after it.
  const staticChunks = entry[1].imports.filter((i) => i.kind === 'import-statement' && !i.external).map((i) => urlOf(i.path));

  // The boot script: its own tiny file, told which pages to start early and their chunks.
  const chunksOf = (module: string): string[] => {
    const out = Object.entries(app.metafile.outputs).find(([, o]) => o.entryPoint !== undefined && resolve(o.entryPoint) === resolve(here, module));
    if (!out) return [];
    const seen = new Set<string>();
    const visit = (path: string) => {
      if (seen.has(path)) return;
      seen.add(path);
      for (const i of app.metafile.outputs[path]?.imports ?? []) if (i.kind === 'import-statement' && !i.external) visit(i.path);
    };
    visit(out[0]);
    return [...seen].map(urlOf).filter((c) => c !== js && !staticChunks.includes(c));
  };
  const bootRoutes: BootRoute[] = (options.bootPages ?? bootPages).map((p) => ({
    pattern: p.pattern,
    requests: p.requests.map((name) => {
      const r = routes[name];
      if (r.method !== 'GET') throw new Error(`web build: the boot script only reads; ${name} is ${r.method}`);
      return { path: r.path, public: r.auth === 'public' };
    }),
    chunks: chunksOf(p.module),
  }));
  const boot = await build({
    write: false,
    entryPoints: { boot: join(here, 'src', 'boot.ts') },
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2022', 'chrome111', 'safari16', 'firefox115'],
    platform: 'browser',
    legalComments: 'none',
    define: { __BOOT_ROUTES__: JSON.stringify(bootRoutes) },
    logLevel: 'silent',
  });
  // Inline in the document, so its requests start as the document is parsed instead of one round
  // trip later (a phone network's round trip is ~0.6 s). `</` cannot end the element early; the CSP
  // names the script by its hash (no 'unsafe-inline').
  const bootInline = boot.outputFiles[0]!.text.trim().replace(/<\//g, '<\\/');
  const scriptHashes = [cspHash(bootInline)];
  const firstLoad = [js, ...staticChunks, css];

  const html = readFileSync(join(here, 'index.html'), 'utf8')
    .replace('%BOOT%', () => bootInline)
    .replace('%CSS%', css)
    .replace('%JS%', js)
    .replace('%PRELOAD%', staticChunks.map((c) => `<link rel="modulepreload" href="${c}">`).join('\n'));
  writeFileSync(join(outDir, 'index.html'), html);
  for (const name of readdirSync(join(here, 'public'))) writeFileSync(join(outDir, name), readFileSync(join(here, 'public', name)));

  const shell = ['/', ...firstLoad, '/manifest.webmanifest', '/icon.svg'];
  const version = createHash('sha256').update(shell.join('\n')).digest('hex').slice(0, 12);
  await build({
    entryPoints: [join(here, 'src', 'sw.ts')],
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2022'],
    outfile: join(outDir, 'sw.js'),
    define: { __SHELL__: JSON.stringify(shell), __VERSION__: JSON.stringify(version) },
    logLevel: 'silent',
  });

  const assets: WebBuild['assets'] = [];
  for (const file of filesUnder(outDir)) {
    if (!/\.(js|css|html|json|webmanifest|svg)$/.test(file)) continue;
    const sizes = compressFile(file);
    const path = '/' + relative(outDir, file).split('\\').join('/');
    if (firstLoad.includes(path)) assets.push({ path, ...sizes });
  }
  return { outDir, shell, assets, scriptHashes };
}

// `node --import tsx web/build.ts [outDir] [local|cognito]` (default local; AWS deployments: cognito).
if (process.argv[1] && resolve(process.argv[1]) === resolve(here, 'build.ts')) {
  const auth = process.argv[3] === 'cognito' ? 'cognito' : 'local';
  const result = await buildWeb({ ...(process.argv[2] ? { outDir: process.argv[2] } : {}), auth });
  for (const a of result.assets) console.log(`${a.path}  ${a.bytes} B, gzip ${a.gzip} B, br ${a.brotli} B`);
}
