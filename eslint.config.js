// ESLint for the browser code: plain ES modules served as they are (no build step).
// The modules the service worker imports (the offline queues) may use only what a page and a
// service worker both have: no `document`, no `window`, so none of them touches the DOM.
import js from '@eslint/js';
import globals from 'globals';

const SHARED = [
  'static/js/idb.js',
  'static/js/sender.js',
  'static/js/queue.js',
  'static/js/uuid.js',
  'static/js/outbox.js',
  'static/js/households-queue.js',
];
const inPagesAndWorkers = Object.fromEntries(
  Object.entries(globals.browser).filter(([name]) => name in globals.serviceworker),
);

export default [
  { ignores: ['static/vendor/**', 'node_modules/**', '.venv/**', 'test-artifacts/**'] },
  js.configs.recommended,
  {
    files: ['static/**/*.js'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-var': 'error',
      'prefer-const': 'error',
      'no-unused-vars': ['error', { args: 'after-used', ignoreRestSiblings: true, varsIgnorePattern: '^_', argsIgnorePattern: '^_' }],
      'no-restricted-globals': ['error', 'event', 'name', 'status', 'length', 'parent', 'top'],
    },
  },
  { files: ['static/js/**/*.js'], ignores: SHARED, languageOptions: { globals: globals.browser } },
  { files: SHARED, languageOptions: { globals: inPagesAndWorkers } },
  { files: ['static/sw.js'], languageOptions: { globals: globals.serviceworker } },
  { files: ['eslint.config.js'], languageOptions: { sourceType: 'module', globals: globals.node } },
];
