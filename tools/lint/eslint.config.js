// ESLint for the whole repository: typescript-eslint's strict type-checked rules, with the rules that keep the
// project's record (no explicit any, no floating promises, no import cycles, a line limit) as errors. Formatting is
// Prettier's (../../.prettierrc.json); eslint-config-prettier turns off the rules that would fight it.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', 'functions/lib/**', 'web/assets/**', '.dev-data/**', 'tools/lint/eslint.config.js'],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  prettier,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: root },
    },
    plugins: { 'import-x': importX },
    settings: {
      // The imports name their .ts files, so Node's resolution finds them; import-x parses them as TypeScript.
      'import-x/resolver-next': [importX.createNodeResolver({ extensions: ['.ts'] })],
      'import-x/extensions': ['.ts'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      // Numbers and booleans read well in messages; objects and nullish values do not.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // `(x) => void promise`, one-line arrow bodies and `return done(res)` in a void function are handlers' idiom.
      '@typescript-eslint/no-confusing-void-expression': [
        'error',
        { ignoreArrowShorthand: true, ignoreVoidOperator: true, ignoreVoidReturningFunctions: true },
      ],
      // With noUncheckedIndexedAccess every indexed read is optional; `!` marks the ones the line before proves.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Handlers that an interface asks to return a promise (oidc-provider's adapter, express routes) need no await.
      '@typescript-eslint/require-await': 'off',
      // DOM and Node event listeners take async handlers that catch their own errors.
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false, attributes: false } },
      ],
      // `{ secret, ...rest }` drops a field on purpose; `_` names what a signature needs and the body does not.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { ignoreRestSiblings: true, argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // Prettier wraps code at 120; comments it leaves alone are held to the same limit. A message stays one string,
      // so that it can be found by searching for what the page or the log shows.
      'max-len': [
        'error',
        { code: 120, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true },
      ],
    },
  },
  {
    // Tests read Google's and the product's raw JSON answers and check them, and guard against the stand-ins' shapes.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/use-unknown-in-catch-callback-variable': 'off',
    },
  },
  {
    // @firebase/rules-unit-testing hands out the compat Firestore its own typings describe otherwise.
    files: ['test/rules/**/*.ts'],
    rules: { '@typescript-eslint/no-unsafe-class-instance-assignment': 'off' },
  },
);
