import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Plugin } from 'esbuild';
import ts from 'typescript';

/**
 * An esbuild plugin that gives an HTTP function only its own route definition and the schemas it
 * uses, instead of the whole route table (every schema of the API, built at import: most of a
 * function's cold start once zod itself is tree-shaken).
 *
 * How: `shared/http/handler.ts` looks its route up in `routes` from `./routes.ts`. For the entry of
 * route N, that one import is answered by a virtual module: the route's area module
 * (`shared/http/routes/<area>.ts`) with its route object cut down to entry N, plus
 * `export const routes = { N: <area>Routes.N }`; and the declarative modules (`shared/schemas/*`, `shared/http/routes/*`) have their top-level
 * initializers marked `@__PURE__`, so esbuild drops every schema the route does not reach.
 *
 * Nothing changes in the sources: a route added to an area module as one more entry is lean without
 * further work. Other importers of `routes.ts` (the OpenAPI document, the 404/405 matcher) still get
 * the whole table. The local runtime and the tests run the sources unbundled, with the whole table.
 */

const ROUTES_DIR = join('shared', 'http', 'routes');
/** Modules that only declare values (schemas, route definitions): their top-level calls are pure. */
const DECLARATIVE = /[\\/]shared[\\/](?:schemas|http[\\/]routes)[\\/][^\\/]+\.ts$/;

interface RouteHome {
  readonly file: string;
  /** The exported object that holds the route: `petitionRoutes`. */
  readonly exportName: string;
  readonly object: ts.ObjectLiteralExpression;
  readonly property: ts.PropertyAssignment;
  readonly source: ts.SourceFile;
}

const parse = (file: string): ts.SourceFile => ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);

/** `x`, `x as const`, `x satisfies T`, `(x)`: the expression inside. */
function unwrap(expression: ts.Expression): ts.Expression {
  let current = expression;
  while (ts.isAsExpression(current) || ts.isSatisfiesExpression(current) || ts.isParenthesizedExpression(current)) current = current.expression;
  return current;
}

const isExported = (statement: ts.Statement): boolean =>
  ts.canHaveModifiers(statement) && (ts.getModifiers(statement) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);

const propertyName = (property: ts.ObjectLiteralElementLike, source: ts.SourceFile): string | undefined =>
  property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) ? property.name.text : property.name?.getText(source);

/** Finds the area module and exported object that define route `name`. */
export function findRouteHome(rootDir: string, name: string): RouteHome {
  const dir = join(rootDir, ROUTES_DIR);
  const files = readdirSync(dir).filter((file) => file.endsWith('.ts')).map((file) => join(dir, file)).sort();
  for (const file of files) {
    const source = parse(file);
    for (const statement of source.statements) {
      if (!ts.isVariableStatement(statement) || !isExported(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        const init = declaration.initializer && unwrap(declaration.initializer);
        if (!init || !ts.isObjectLiteralExpression(init) || !ts.isIdentifier(declaration.name)) continue;
        const property = init.properties.find((p) => propertyName(p, source) === name);
        if (property && ts.isPropertyAssignment(property)) {
          return { file, exportName: declaration.name.text, object: init, property, source };
        }
      }
    }
  }
  throw new Error(`Route "${name}" is defined in no exported object under ${ROUTES_DIR}/ (as \`${name}: route({...})\`).`);
}

/** Marks every top-level `const x = call(...)` initializer `@__PURE__`: unused, esbuild drops it. */
export function markTopLevelPure(source: ts.SourceFile, text = source.getFullText()): string {
  const inserts: number[] = [];
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const init = declaration.initializer && unwrap(declaration.initializer);
      if (init && (ts.isCallExpression(init) || ts.isNewExpression(init))) inserts.push(init.getStart(source));
    }
  }
  let out = text;
  for (const at of inserts.sort((a, b) => b - a)) out = `${out.slice(0, at)}/* @__PURE__ */ ${out.slice(at)}`;
  return out;
}

/** The area module's text with its route object cut down to the one route, top level marked pure. */
export function prunedAreaModule(home: RouteHome, name: string): string {
  const text = home.source.getFullText();
  const pruned = `${text.slice(0, home.object.getStart(home.source))}{ ${name}: ${home.property.initializer.getText(home.source)} }${text.slice(home.object.getEnd())}`;
  return markTopLevelPure(ts.createSourceFile(home.file, pruned, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS));
}

/**
 * The plugin for the one multi-entry build of every function. `routeOfEntry` maps an entry file's
 * absolute path to its route. Each such entry gets its own copy of `shared/http/handler.ts` (a
 * module per route, by an esbuild suffix), whose `./routes.ts` is the route's virtual module; every
 * other module is shared by the build, parsed once.
 */
export function leanRoutePlugin(rootDir: string, routeOfEntry: ReadonlyMap<string, string>): Plugin {
  const routesModule = resolve(rootDir, 'shared', 'http', 'routes.ts');
  const handlerModule = resolve(rootDir, 'shared', 'http', 'handler.ts');
  // The file an import names: relative, or a `#shared/...` subpath import (package.json `imports`).
  const fileOf = (args: { path: string; resolveDir: string }) =>
    args.path.startsWith('#shared/') ? resolve(rootDir, 'shared', args.path.slice('#shared/'.length)) : resolve(args.resolveDir, args.path);
  return {
    name: 'hromada-lean-route',
    setup(build) {
      build.onResolve({ filter: /[\\/]handler\.ts$/ }, (args) => {
        const route = routeOfEntry.get(resolve(args.importer));
        if (!route || fileOf(args) !== handlerModule) return undefined;
        return { path: handlerModule, suffix: `?route=${route}`, pluginData: { route } };
      });
      build.onLoad({ filter: /[\\/]handler\.ts$/ }, (args) => {
        const route = (args.pluginData as { route?: string } | undefined)?.route;
        if (!route) return undefined;
        return { contents: readFileSync(args.path, 'utf8'), loader: 'ts', resolveDir: dirname(args.path), pluginData: { route } };
      });
      build.onResolve({ filter: /[\\/]routes\.ts$/ }, (args) => {
        const route = (args.pluginData as { route?: string } | undefined)?.route;
        if (!route || fileOf(args) !== routesModule) return undefined;
        return { path: route, namespace: 'hromada-route' };
      });
      // The area module itself, pruned: a module of its own, so that an importer of the whole table
      // (the OpenAPI document) still gets the real one.
      build.onLoad({ filter: /.*/, namespace: 'hromada-route' }, (args) => {
        const home = findRouteHome(rootDir, args.path);
        return {
          contents: `${prunedAreaModule(home, args.path)}\nexport const routes = { ${JSON.stringify(args.path)}: ${home.exportName}[${JSON.stringify(args.path)}] };\n`,
          loader: 'ts',
          resolveDir: dirname(home.file),
        };
      });
      build.onLoad({ filter: DECLARATIVE }, (args) => ({ contents: markTopLevelPure(parse(args.path)), loader: 'ts' }));
    },
  };
}
