import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../infra/bundle.ts';

/**
 * Layering that the bundler and the reader rely on: a Lambda entry under functions/ is a leaf. What
 * two handlers share lives in shared/app (use cases) or below, never in another handler, whose
 * module-scope middy stack would otherwise be built in every importer's bundle.
 */

/** Every module specifier a TypeScript source imports or re-exports, static or dynamic. */
export function importedSpecifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [/\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1]!);
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** `functions/a.ts -> functions/b.ts` for each import from one file under functions/ into another. */
function handlerToHandlerImports(root: string): string[] {
  const functionsDir = join(root, 'functions');
  const offenders: string[] = [];
  for (const file of sourceFiles(functionsDir)) {
    for (const specifier of importedSpecifiers(readFileSync(file, 'utf8'))) {
      if (!specifier.startsWith('.')) continue;
      const target = resolve(dirname(file), specifier);
      if (!relative(functionsDir, target).startsWith('..')) offenders.push(`${relative(root, file)} -> ${relative(root, target)}`);
    }
  }
  return offenders;
}

/**
 * `file -> specifier` for each relative import that climbs into shared/ (`../../shared/x.ts`, or
 * `../data/x.ts` from another folder of shared/): the code's own modules are imported as
 * `#shared/...` (package.json `imports`), so a file's imports read the same wherever it lives.
 */
function relativeImportsOfShared(root: string): string[] {
  const sharedDir = join(root, 'shared');
  const offenders: string[] = [];
  for (const top of ['functions', 'shared', 'infra', 'local', 'scripts', 'bench', 'test', 'web']) {
    for (const file of sourceFiles(join(root, top))) {
      if (file.includes(`${join('web', 'node_modules')}`)) continue;
      // Lines that are string literals are test fixtures (sources written to a scratch directory).
      const code = readFileSync(file, 'utf8').split('\n').filter((line) => !/^\s*['"`]/.test(line)).join('\n');
      for (const specifier of importedSpecifiers(code)) {
        if (!specifier.startsWith('../')) continue;
        const target = resolve(dirname(file), specifier);
        if (!relative(sharedDir, target).startsWith('..')) offenders.push(`${relative(root, file)} -> ${specifier}`);
      }
    }
  }
  return offenders;
}

describe('architecture', () => {
  it('finds static, re-export, side-effect and dynamic imports', () => {
    const source = [
      "import { a } from './a.ts';",
      "import type { B } from '../b.ts';",
      "export { c } from \"./c.ts\";",
      "import './d.ts';",
      "const e = await import('./e.ts');",
      "import {\n  f,\n  g,\n} from '../../shared/f.ts';",
    ].join('\n');
    expect(importedSpecifiers(source).sort()).toEqual(['../../shared/f.ts', '../b.ts', './a.ts', './c.ts', './d.ts', './e.ts']);
  });

  it('no file under functions/ imports another file under functions/', () => {
    expect(handlerToHandlerImports(repoRoot)).toEqual([]);
  });

  it('imports shared/ as #shared/..., never by a relative path that climbs into it', () => {
    expect(relativeImportsOfShared(repoRoot)).toEqual([]);
  });
});
