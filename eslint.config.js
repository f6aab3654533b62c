import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// `import { z } from 'zod'` makes esbuild keep zod's whole namespace (every locale, the JSON
// Schema converters): ~470 KB per function. `import * as z` lets it tree-shake to what is used.
const zodNamespaceImport = {
  selector: "ImportDeclaration[source.value='zod'][importKind!='type'] > :matches(ImportSpecifier[imported.name='z'][importKind!='type'], ImportDefaultSpecifier)",
  message: "Use `import * as z from 'zod'` (it tree-shakes; the named or default `z` pulls in all of zod).",
};
const processModuleImport = {
  selector: "ImportDeclaration[source.value=/^(node:)?process$/]",
  message: 'Read configuration through shared/config.ts (one validated reader of the environment).',
};

export default tseslint.config(
  { ignores: ['node_modules', 'cdk.out', '.local', 'bench/results', 'dist'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      'no-restricted-syntax': ['error', zodNamespaceImport],
    },
  },
  {
    // Plain CommonJS scripts that run before dependencies (and the pinned Node) are installed.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', __dirname: 'readonly', console: 'readonly', process: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tests read untyped JSON response bodies.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Domain logic stays pure: no AWS SDK, no infrastructure, no HTTP in shared/domain.
    files: ['shared/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@aws-sdk/*', 'aws-cdk-lib', 'aws-cdk-lib/*', '@middy/*', '@aws-lambda-powertools/*'], message: 'The domain is pure: no AWS, no infrastructure.' },
            { group: ['**/http/*', '**/http/**'], message: 'The domain decides with typed outcomes; HTTP status and problems are mapped in shared/http.' },
          ],
        },
      ],
    },
  },
  {
    // Configuration is read from the environment in one module, validated there (shared/config.ts):
    // the code of the functions asks it, never process.env.
    files: ['shared/**/*.ts', 'functions/**/*.ts'],
    ignores: ['shared/config.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through shared/config.ts (one validated reader of the environment).' },
      ],
      // The same environment reached by an import (`import { env } from 'node:process'`, or the module
      // under another name): nothing in the functions needs the process module itself. (A rule set
      // for some files replaces its options for them: the zod restriction is repeated.)
      'no-restricted-syntax': ['error', zodNamespaceImport, processModuleImport],
    },
  },
  {
    // The storage layer returns or throws store outcomes; HTTP mapping happens once, in shared/http.
    files: ['shared/data/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/http/*', '**/http/**'], message: 'The data layer speaks store outcomes, not HTTP: map them in shared/http.' }] },
      ],
    },
  },
);
