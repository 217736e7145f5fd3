import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * A module-level constant that holds a plain value (a number, a string, a boolean, or arithmetic on
 * them) is named in UPPER_CASE: MAX_LISTED, BASELINE_MS. Objects, functions and schemas keep camelCase.
 */
const constantValue = ['Literal:not([regex])', 'BinaryExpression[left.type="Literal"][right.type="Literal"]', 'UnaryExpression[argument.type="Literal"]'];
const notUpperCase = ':not([id.name=/^[A-Z][A-Z0-9_]*$/])';
const constantNaming = ['Program > VariableDeclaration', 'Program > ExportNamedDeclaration > VariableDeclaration'].flatMap((declaration) =>
  constantValue.map((init) => ({
    selector: `${declaration}[kind="const"] > VariableDeclarator[id.type="Identifier"]${notUpperCase} > ${init}.init`,
    message: 'A module-level constant value is named in UPPER_CASE (MAX_LISTED, BASELINE_MS).',
  })),
);

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'reports/', 'targets/**/node_modules/', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', URL: 'readonly', performance: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly', globalThis: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', queueMicrotask: 'readonly', fetch: 'readonly', structuredClone: 'readonly' } },
    rules: {
      'no-restricted-syntax': ['error', ...constantNaming],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // A variable a callback reads before it is assigned (a harness handed to its own collector) cannot be const.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { globals: { __filename: 'readonly', global: 'readonly', exports: 'writable' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Test data is named for what the test says of it (startT, faultStart), not as configuration.
    files: ['test/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
