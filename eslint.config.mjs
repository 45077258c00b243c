// Lint gate of `npm test` (`npm run lint`): typescript-eslint's recommended rules plus the type-aware ones
// that catch real faults here (a promise nobody awaits, a switch missing a case), and the import rules that
// keep the tree's layout: shipped code (apps/*/src, libs/*/src) never reaches into another project, scripts/
// or test/ by a relative path, and libraries are imported by their alias. Formatting is Prettier's.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const CROSSING_PROJECTS = {
  regex: String.raw`^(\.\./)+(apps|libs|scripts|test|bench)/`,
  message: 'Shipped code reaches other projects by their alias (@app/..., @kv-service/client), never scripts/ or test/.',
};
const INTO_LIBS = { regex: String.raw`^(\.\./)+libs/`, message: 'Import a library by its alias (@app/..., @kv-service/client).' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'libs/client/src/generated/**', '.kv-local/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'off',
      // A variable a closure reads before its one assignment (a server's handler, say) cannot be a const.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // The text, key and output rules match control characters on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['apps/*/src/**/*.ts', 'libs/*/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [CROSSING_PROJECTS] }] },
  },
  {
    // The web console: browser code, its hooks checked by React's own rules (the React Compiler's included).
    files: ['apps/console/src/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['scripts/**/*.ts', 'test/**/*.ts', 'apps/*/test/**/*.ts', 'bench/**/*.ts', '**/*.spec.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [INTO_LIBS] }] },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      parserOptions: { projectService: false },
      globals: globals.node,
    },
  },
  prettier,
);
