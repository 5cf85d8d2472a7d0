// @ts-check
/**
 * Lint and format (`npm run lint` checks, `npm run format` fixes what it can); part of `npm test`.
 *
 * The formatting rules (@stylistic) describe the code as it is written — 2 spaces, single quotes,
 * semicolons, long lines — so a fix touches only what strays from it, never the whole tree. The
 * others catch bugs: promises nobody handles, unused code, loose equality, browser globals used by
 * mistake, and, in the page hook (src/capture), what a hostile page could hijack.
 */
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import { defineConfig, globalIgnores } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { noPageBuiltins } from './src/build/eslint-page-safe.js';

const CONFUSING_GLOBALS = ['blur', 'close', 'closed', 'event', 'external', 'find', 'focus', 'frames', 'history', 'length',
  'name', 'open', 'opener', 'origin', 'parent', 'print', 'screen', 'self', 'status', 'stop', 'top'];

/** Globals of the page's window the hook must not use while the page runs (natives.ts took them first). */
const PAGE_GLOBALS = ['Array', 'Blob', 'JSON', 'Map', 'Math', 'MessageChannel', 'Number', 'Object', 'Promise', 'Reflect', 'Set', 'String',
  'WeakMap', 'WeakSet', 'WebSocket', 'clearTimeout', 'console', 'document', 'performance', 'postMessage', 'setInterval', 'setTimeout', 'window'];


export default defineConfig(
  globalIgnores(['dist/', 'node_modules/', 'test-results/', 'test/output/', '.tmp/']),
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
  {
    rules: {
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // window properties that read like local names (`name`, `status`, `event` …): a missing declaration must not compile to them
      'no-restricted-globals': ['error', ...CONFUSING_GLOBALS],
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/no-unused-vars': ['error', {
        argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true,
      }],
    },
  },
  // formatting: the code's own style
  {
    plugins: { '@stylistic': stylistic },
    rules: {
      '@stylistic/indent': ['error', 2, { SwitchCase: 1, flatTernaryExpressions: true, ignoredNodes: ['TemplateLiteral *'] }],
      '@stylistic/quotes': ['error', 'single', { avoidEscape: true, allowTemplateLiterals: 'always' }],
      '@stylistic/semi': ['error', 'always'],
      '@stylistic/max-len': ['error', { code: 160, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true }],
      '@stylistic/comma-dangle': ['error', 'always-multiline'],
      '@stylistic/arrow-parens': ['error', 'always'],
      '@stylistic/space-before-function-paren': ['error', { anonymous: 'always', named: 'never', asyncArrow: 'always' }],
      '@stylistic/no-multiple-empty-lines': ['error', { max: 2, maxBOF: 0, maxEOF: 1 }],
      '@stylistic/spaced-comment': ['error', 'always', { markers: ['/'] }],
      '@stylistic/padded-blocks': ['error', 'never'],
      '@stylistic/jsx-quotes': ['error', 'prefer-double'],
      '@stylistic/dot-location': ['error', 'property'],
      ...Object.fromEntries([
        'arrow-spacing', 'block-spacing', 'comma-spacing', 'comma-style', 'eol-last', 'function-call-spacing', 'key-spacing', 'keyword-spacing',
        'member-delimiter-style', 'new-parens', 'no-extra-semi', 'no-multi-spaces', 'no-trailing-spaces', 'rest-spread-spacing', 'semi-spacing',
        'space-before-blocks', 'space-in-parens', 'space-infix-ops', 'space-unary-ops', 'switch-colon-spacing', 'template-curly-spacing',
        'type-annotation-spacing',
      ].map((rule) => [`@stylistic/${rule}`, 'error'])),
    },
  },
  // the panel's Preact components use React's hook rules
  {
    files: ['src/ui/**/*.{ts,tsx}', 'extension/panel/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  // plain browser scripts: test pages and the naive fixture extension
  {
    files: ['test/conformance/scenarios/**/*.js', 'test/fixtures/naive-extension/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // a scenario page loads _lib.js (lib, env), _hostile.js (hostile) and its client library's browser build first (runner.ts)
    files: ['test/conformance/scenarios/**/*.js'],
    languageOptions: {
      globals: { lib: 'readonly', env: 'readonly', hostile: 'readonly', io: 'readonly', graphqlWs: 'readonly', mqtt: 'readonly', ReconnectingWebSocket: 'readonly' },
    },
  },
  {
    // the scripts of the workers-* scenarios' workers (classic and module)
    files: ['test/conformance/scenarios/workers/**/*.js'],
    languageOptions: { sourceType: 'module', globals: { ...globals.worker } },
    rules: { 'no-restricted-globals': 'off' },
  },
  {
    files: ['eslint.config.js', 'src/build/**/*.js'],
    languageOptions: { globals: { ...globals.node } },
  },
  // the page hook runs in hostile pages, with zero dependencies
  {
    files: ['src/capture/**/*.ts', 'src/protocol/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [
        { regex: '^(?!\\.\\.?/)', message: 'The page hook has no dependencies (src/capture and src/protocol only).' },
        // relative paths into the other folders of src/ (the hook's own subfolders are fine)
        { regex: '(^|/)\\.\\./(\\.\\./)*(ui|store|transport|decode|export|compose|settings|platform|build|demo|explain)(/|$)',
          message: 'The page hook imports only from src/capture and src/protocol.' },
      ] }],
    },
  },
  {
    files: ['src/capture/**/*.ts'],
    ignores: ['src/capture/natives.ts'], // the one place that reads the built-ins, at document_start, before any page script
    plugins: { wsi: { rules: { 'no-page-builtins': noPageBuiltins } } },
    rules: {
      'wsi/no-page-builtins': ['error', { globals: PAGE_GLOBALS }],
      // the hook handles any function the page has (constructors, subclasses): `Function` is its honest type
      '@typescript-eslint/no-unsafe-function-type': 'off',
    },
  },
  // the known ones, until each file uses natives only
);
