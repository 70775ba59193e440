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
  'static/js/vault.js',
];
// The scripts a page loads with <script>; every other module is imported and must not
// touch the page when it is imported (only inside the functions it exports).
const PAGE_SCRIPTS = [
  'static/js/app.js',
  'static/js/player.js',
  'static/js/catalogue.js',
  'static/js/class-refresh.js',
  'static/js/print.js',
  'static/js/staff/staff.js',
  'static/js/recorder.js',
  'static/js/next-page.js',
  'static/js/progress-saved.js',
  'static/js/text-size-early.js',
  'static/js/path-audio.js',
  'static/js/certcheck.js',
  'static/js/family-tiles.js',
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
  {
    files: ['static/js/**/*.js'],
    ignores: PAGE_SCRIPTS,
    rules: {
      'no-restricted-syntax': ['error', {
        selector: "Identifier[name=/^(document|window)$/]:not(:function Identifier)",
        message: 'An imported module must not touch the page at import: do it in a function.',
      }],
    },
  },
  { files: ['static/sw.js'], languageOptions: { globals: globals.serviceworker } },
  { files: ['eslint.config.js'], languageOptions: { sourceType: 'module', globals: globals.node } },
];
