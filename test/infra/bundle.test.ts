import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFunctions, deployedRoutes, lambdaEntries, repoRoot, type BundleResult, type LambdaEntry } from '../../infra/bundle.ts';
import { routes } from '#shared/http/routes.ts';
import { streamConsumers } from '#shared/streams/consumers.ts';
import { findRouteHome, markTopLevelPure } from '../../infra/lean-route.ts';
import ts from 'typescript';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { scratchDir, writeStubEntries } from './support.ts';

describe('lambdaEntries', () => {
  const entries = lambdaEntries();

  it('has one entry per deployed route, per stream consumer, plus the authorizer and the fallback', () => {
    const deployed = deployedRoutes();
    expect(entries.filter((entry) => entry.kind === 'http').map((entry) => entry.name)).toEqual(deployed.map(([name]) => name));
    for (const [name, route] of deployed) {
      expect(entries.find((entry) => entry.name === name)?.entry).toBe(`functions/http/${route.handler}.ts`);
    }
    expect(entries.filter((entry) => entry.kind === 'stream').map((entry) => [entry.name, entry.entry])).toEqual(
      Object.entries(streamConsumers).map(([name, consumer]) => [name, `functions/${consumer.handler}.ts`]),
    );
    expect(entries.find((entry) => entry.kind === 'authorizer')?.entry).toBe('functions/auth/authorizer.ts');
    expect(entries.find((entry) => entry.kind === 'fallback')?.entry).toBe('functions/http/system/fallback.ts');
  });

  it('gives every function a unique alphanumeric name', () => {
    const names = entries.map((entry) => entry.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[A-Za-z][A-Za-z0-9]*$/);
  });

  it('deploys every route of the table (the local /dev/token mint is not in it)', () => {
    expect(deployedRoutes().map(([name]) => name)).toEqual(Object.keys(routes));
    for (const [, route] of deployedRoutes()) expect(route.path.startsWith('/dev')).toBe(false);
  });
});

describe('bundleFunctions', () => {
  let dir: string;
  let result: BundleResult;
  const entries: LambdaEntry[] = [
    { name: 'plain', kind: 'http', entry: 'functions/http/plain.ts', describe: 'route plain' },
    { name: 'usesSdk', kind: 'stream', entry: 'functions/streams/uses-sdk.ts', describe: 'stream consumer usesSdk' },
  ];

  beforeAll(async () => {
    dir = scratchDir();
    writeStubEntries(dir, entries, {
      plain: [
        "import * as z from 'zod';",
        "const schema = z.object({ name: z.string() });",
        'export const handler = async (event: { name: string }) => ({ statusCode: 200, body: JSON.stringify(schema.parse(event)) });',
        '',
      ].join('\n'),
      usesSdk: [
        "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
        'const client = new DynamoDBClient({});',
        'export const handler = async () => ({ region: typeof client });',
        '',
      ].join('\n'),
    });
    result = await bundleFunctions({ entries, rootDir: dir, outdir: join(dir, 'out') });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes <outdir>/<name>/index.mjs with a linked source map, one folder per function', () => {
    for (const entry of entries) {
      const fn = result.functions[entry.name];
      expect(fn?.dir).toBe(join(dir, 'out', entry.name));
      expect(fn?.file).toBe(join(dir, 'out', entry.name, 'index.mjs'));
      expect(existsSync(`${fn?.file}.map`)).toBe(true);
      expect(fn?.bytes).toBeGreaterThan(0);
      expect(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/.test(readFileSync(fn?.file ?? '', 'utf8'))).toBe(true);
    }
  });

  it('emits minified ESM with the createRequire banner and handler exported', () => {
    const code = readFileSync(result.functions.plain?.file ?? '', 'utf8');
    expect(code.startsWith("import { createRequire as __hromadaCreateRequire } from 'node:module';")).toBe(true);
    expect(code.includes('const schema = z.object')).toBe(false); // minified: local names are gone
    const outputs = Object.values(result.metafile.outputs).filter((output) => output.entryPoint);
    expect(outputs).toHaveLength(entries.length);
    for (const output of outputs) expect(output.exports).toContain('handler');
  });

  it('keeps @aws-sdk/* external (the runtime ships SDK v3) and bundles everything else', () => {
    const sdk = readFileSync(result.functions.usesSdk?.file ?? '', 'utf8');
    expect(/from\s*"@aws-sdk\/client-dynamodb"/.test(sdk)).toBe(true);
    const plain = readFileSync(result.functions.plain?.file ?? '', 'utf8');
    expect(/from\s*"zod"/.test(plain)).toBe(false);
  });

  it('produces a module Node can import and call', async () => {
    const module = (await import(pathToFileURL(result.functions.plain?.file ?? '').href)) as { handler: (event: unknown) => Promise<unknown> };
    await expect(module.handler({ name: 'Ternopil' })).resolves.toEqual({ statusCode: 200, body: '{"name":"Ternopil"}' });
  });

  it('fails with a message naming every missing entry', async () => {
    const missing: LambdaEntry[] = [
      ...entries,
      { name: 'gone', kind: 'http', entry: 'functions/http/petitions/gone.ts', describe: 'route gone: GET /v1/gone' },
      { name: 'alsoGone', kind: 'stream', entry: 'functions/streams/also-gone.ts', describe: 'stream consumer alsoGone' },
    ];
    await expect(bundleFunctions({ entries: missing, rootDir: dir, outdir: join(dir, 'out-missing') })).rejects.toThrow(
      /Missing Lambda entry files[\s\S]*functions\/http\/petitions\/gone\.ts \(route gone: GET \/v1\/gone\)[\s\S]*functions\/streams\/also-gone\.ts/,
    );
    expect(existsSync(join(dir, 'out-missing'))).toBe(false);
  });

  it('reports esbuild errors with their location', async () => {
    const broken: LambdaEntry = { name: 'broken', kind: 'http', entry: 'functions/http/broken.ts', describe: 'route broken' };
    writeStubEntries(dir, [broken], { broken: "import { nothing } from './does-not-exist.ts';\nexport const handler = nothing;\n" });
    await expect(bundleFunctions({ entries: [broken], rootDir: dir, outdir: join(dir, 'out-broken') })).rejects.toThrow(
      /esbuild failed[\s\S]*functions\/http\/broken\.ts:1:\d+: Could not resolve/,
    );
  });
});

describe('lean route bundles (infra/lean-route.ts)', () => {
  let dir: string;
  let result: BundleResult;
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  };
  const entries: LambdaEntry[] = [
    { name: 'one', kind: 'http', entry: 'functions/http/one.ts', route: 'one' as never, describe: 'route one' },
    { name: 'table', kind: 'http', entry: 'functions/http/table.ts', route: 'two' as never, describe: 'route two, importing the whole table' },
  ];

  beforeAll(async () => {
    dir = scratchDir();
    // A miniature of the app's layout: a handler module that looks routes up by name, a table of
    // area modules, schemas each marked with a string that shows whether it was bundled.
    write('shared/schemas/area.ts', [
      "import * as z from 'zod';",
      "export const oneBody = z.object({ a: z.string() }).describe('SCHEMA-ONE');",
      "export const twoBody = z.object({ b: z.string() }).describe('SCHEMA-TWO');",
      "export const unused = z.string().describe('SCHEMA-UNUSED');",
    ].join('\n'));
    write('shared/http/routes/area.ts', [
      "import { oneBody, twoBody } from '../../schemas/area.ts';",
      'const route = <R,>(r: R) => r;',
      'export const areaRoutes = {',
      "  one: route({ path: '/ROUTE-ONE', body: oneBody }),",
      "  two: route({ path: '/ROUTE-TWO', body: twoBody.extend({ c: twoBody }) }),",
      '} as const;',
    ].join('\n'));
    write('shared/http/routes/other.ts', "export const otherRoutes = { three: { path: '/ROUTE-THREE' } };\n");
    write('shared/http/routes.ts', "import { areaRoutes } from './routes/area.ts';\nimport { otherRoutes } from './routes/other.ts';\nexport const routes = { ...areaRoutes, ...otherRoutes };\n");
    write('shared/http/handler.ts', [
      "import { routes } from './routes.ts';",
      'export const httpHandler = (name: string) => {',
      '  const definition = (routes as Record<string, { path: string; body: { parse(v: unknown): unknown } }>)[name];',
      "  if (!definition) throw new Error(`no route ${name}`);",
      '  return async (event: unknown) => ({ path: definition.path, body: definition.body.parse(event), routes: Object.keys(routes) });',
      '};',
    ].join('\n'));
    // Imports as the app writes them (package.json `imports`: #shared/...) and relative ones.
    write('package.json', JSON.stringify({ type: 'module', imports: { '#shared/*': './shared/*' } }));
    write('functions/http/one.ts', "import { httpHandler } from '#shared/http/handler.ts';\nexport const handler = httpHandler('one');\n");
    write('functions/http/table.ts', [
      "import { httpHandler } from '../../shared/http/handler.ts';",
      "import { routes } from '../../shared/http/routes.ts';",
      "const inner = httpHandler('two');",
      'export const handler = async (event: unknown) => ({ ...(await inner(event)), table: Object.keys(routes) });',
    ].join('\n'));
    result = await bundleFunctions({ entries, rootDir: dir, outdir: join(dir, 'out') });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("gives a route's function its own route and schemas only", async () => {
    const code = readFileSync(result.functions.one?.file ?? '', 'utf8');
    expect(code).toContain('/ROUTE-ONE');
    expect(code).toContain('SCHEMA-ONE');
    for (const other of ['/ROUTE-TWO', '/ROUTE-THREE', 'SCHEMA-TWO', 'SCHEMA-UNUSED']) expect(code).not.toContain(other);
    const module = (await import(pathToFileURL(result.functions.one?.file ?? '').href)) as { handler: (event: unknown) => Promise<unknown> };
    await expect(module.handler({ a: 'x' })).resolves.toEqual({ path: '/ROUTE-ONE', body: { a: 'x' }, routes: ['one'] });
  });

  it('leaves the whole table to a function that imports it itself', async () => {
    const module = (await import(pathToFileURL(result.functions.table?.file ?? '').href)) as { handler: (event: unknown) => Promise<unknown> };
    await expect(module.handler({ b: 'y', c: { b: 'z' } })).resolves.toEqual({ path: '/ROUTE-TWO', body: { b: 'y', c: { b: 'z' } }, routes: ['two'], table: ['one', 'two', 'three'] });
  });

  it('names the route when no area module defines it', () => {
    expect(findRouteHome(dir, 'two').exportName).toBe('areaRoutes');
    expect(() => findRouteHome(dir, 'nowhere')).toThrow(/Route "nowhere" is defined in no exported object under shared\/http\/routes/);
  });

  it('marks top-level call initializers pure, and nothing else', () => {
    const text = "const a = f(1);\nexport const b = g.h().i(2) as const;\nexport const c = { d: f(3) };\nconst e = new E();\nfunction k() { const l = f(4); return l; }\n";
    const marked = markTopLevelPure(ts.createSourceFile('x.ts', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS));
    expect(marked).toBe(
      "const a = /* @__PURE__ */ f(1);\nexport const b = /* @__PURE__ */ g.h().i(2) as const;\nexport const c = { d: f(3) };\nconst e = /* @__PURE__ */ new E();\nfunction k() { const l = f(4); return l; }\n",
    );
  });
});

// The repo's real handlers, once they all exist: they must bundle and export `handler`.
const missingReal = lambdaEntries().filter((entry) => !existsSync(join(repoRoot, entry.entry)));
describe.skipIf(missingReal.length > 0)('bundleFunctions on the real handlers', () => {
  it('bundles every entry of the app in one call', async () => {
    const dir = scratchDir();
    try {
      const result = await bundleFunctions({ outdir: join(dir, 'out') });
      expect(Object.keys(result.functions)).toEqual(lambdaEntries().map((entry) => entry.name));
      for (const output of Object.values(result.metafile.outputs).filter((output) => output.entryPoint)) {
        expect(output.exports).toContain('handler');
      }
      for (const fn of Object.values(result.functions)) expect(fn.bytes).toBeLessThan(5 * 1024 * 1024);
      // Lean: each HTTP function carries its own route only (and zod tree-shaken), under 250 KB.
      for (const fn of Object.values(result.functions).filter((f) => f.entry.kind === 'http')) expect(fn.bytes, fn.entry.name).toBeLessThan(250 * 1024);
      const sign = readFileSync(result.functions.signPetition?.file ?? '', 'utf8');
      expect(sign).toContain('/v1/petitions/{id}/signatures');
      expect(sign).not.toContain('/v1/budgets');
      const openapi = readFileSync(result.functions.openapi?.file ?? '', 'utf8');
      for (const route of Object.values(routes)) expect(openapi).toContain(route.path);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000); // 61 functions: seconds on a quiet machine, a minute or more on a shared busy one
});
