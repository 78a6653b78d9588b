// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** DOM sinks that parse a string as HTML or code: event data must never reach one. */
const htmlAndCodeSinks = [
  {
    selector: "MemberExpression[property.name='innerHTML']",
    message: 'innerHTML parses HTML: build nodes and set textContent.',
  },
  {
    selector: "MemberExpression[property.name='outerHTML']",
    message: 'outerHTML parses HTML: build nodes and set textContent.',
  },
  {
    selector: "CallExpression[callee.property.name='insertAdjacentHTML']",
    message: 'insertAdjacentHTML parses HTML: build nodes.',
  },
  {
    selector: "CallExpression[callee.object.name='document'][callee.property.name=/^write(ln)?$/]",
    message: 'document.write parses HTML.',
  },
  { selector: "NewExpression[callee.name='Function']", message: 'new Function runs a string as code.' },
  // The pages run under `style-src 'self'`: inline styles would be refused.
  {
    selector: "MemberExpression[property.name='style']",
    message: "inline styles break the pages' CSP: toggle a class from demo.css.",
  },
];

const projectDir = dirname(fileURLToPath(import.meta.url));

/**
The library's public entries: `sse-console`, `sse-console/client`, `sse-console/terminal`
and `sse-console/redis` (package.json `exports`). The console app uses the library as
any program would, through these.
*/
const publicEntries = new Set([
  'core/index.ts',
  'core/client/index.ts',
  'core/terminal/terminal-text.ts',
  'core/redis/index.ts',
]);

/**
The library module (core/, outside core/app/) a relative import names, as a path from
the project root with the `.ts` its `.js` stands for; `undefined` for anything else.
*/
function libraryModuleOf(specifier, importer) {
  if (!specifier.startsWith('.')) return undefined;
  const target = relative(projectDir, resolve(dirname(importer), specifier))
    .split(sep)
    .join('/');
  if (!target.startsWith('core/') || target.startsWith('core/app/')) return undefined;
  return target.replace(/\.js$/, '.ts');
}

/**
`library-entry-only`: the app (core/app/, ui/, cli/) imports the library only through its
public entries. It resolves each import, static, dynamic, re-export or `typeof
import()`, against the importing file, so no relative path of any depth gets around it.
*/
export const libraryBoundary = {
  rules: {
    'library-entry-only': {
      meta: {
        type: 'problem',
        messages: {
          internal:
            "'{{module}}' is inside the library: the app imports it through core/index.ts (or core/client/index.ts). Export what the app needs from there, documented, or move the module into core/app/.",
        },
        schema: [],
      },
      create(context) {
        const check = (node, source) => {
          if (source?.type !== 'Literal' || typeof source.value !== 'string') return;
          const module = libraryModuleOf(source.value, context.filename);
          if (module === undefined || publicEntries.has(module)) return;
          context.report({ node, messageId: 'internal', data: { module } });
        };
        return {
          ImportDeclaration: (node) => check(node, node.source),
          ExportNamedDeclaration: (node) => check(node, node.source),
          ExportAllDeclaration: (node) => check(node, node.source),
          ImportExpression: (node) => check(node, node.source),
          TSImportType: (node) =>
            check(node, node.argument.type === 'TSLiteralType' ? node.argument.literal : node.argument),
        };
      },
    },
  },
};

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'test-results/'] },
  js.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    extends: [tseslint.configs.strictTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // `typeof import('…')` names the type of a module loaded on demand, without loading it.
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // The public API and the parsers check their inputs at run time for JavaScript
      // callers and hostile peers, beyond what the types promise; this rule calls each
      // such check unnecessary.
      '@typescript-eslint/no-unnecessary-condition': 'off',
      'no-control-regex': 'off', // terminal safety and the wire format match control characters on purpose
    },
  },
  {
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['ink', 'react', 'react/*', '**/ui/**'], message: 'core/ never imports React, Ink or the views.' },
          ],
        },
      ],
    },
  },
  {
    // The library (what `import … from 'sse-console'` gives): everything in core/ but
    // core/app/, the console app, which the library never imports.
    files: ['core/**/*.ts'],
    ignores: ['core/app/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/app/**'],
              message: 'The library never imports the console app.',
            },
            { group: ['**/ui/**', '**/cli/**'], message: 'The library never imports the terminal app.' },
            { group: ['ink', 'react', 'react/*', 'chalk'], message: 'The library has no terminal UI.' },
            // Flat config replaces a rule's options per file, so the rule for all of core/ is repeated here.
          ],
        },
      ],
    },
  },
  {
    files: ['ui/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:net', 'node:http', 'node:https', 'node:http2'],
              message: 'ui/ never touches a socket: go through the controller.',
            },
          ],
        },
      ],
    },
  },
  {
    // The console app uses the library through its public entries (bench/ and test/ may reach inside).
    files: ['core/app/**/*.ts', 'ui/**/*.{ts,tsx}', 'cli/**/*.{ts,tsx}'],
    plugins: { boundary: libraryBoundary },
    rules: { 'boundary/library-entry-only': 'error' },
  },
  {
    files: ['test/**/*.{ts,tsx}', 'bench/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      // vitest's asymmetric matchers (expect.stringMatching …) are typed `any`, and
      // expect(object.method) passes methods on purpose.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
      // Async hooks without await test the promise-returning paths on purpose.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['demo-pages/**/*.js'],
    languageOptions: { globals: globals.browser, sourceType: 'module' },
    rules: {
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-restricted-syntax': ['error', ...htmlAndCodeSinks],
    },
  },
  {
    files: ['*.config.{js,ts}'],
    languageOptions: { globals: globals.node },
  },
);
