// ESLint flat config: typescript-eslint's recommended rules, plus the boundary rules (no-restricted-imports)
// that keep the architecture: core/ pure (no node:*, electron, react or zustand, nothing of the engine);
// cli/ and electron/ reach the engine only through service/index.ts (the one door, WorkbenchService)
// and core/; renderer/ imports only core/ and its own files (its API client); nothing outside tests/
// imports tests/; ipcMain in electron/main/ipc.ts only. tests/unit/lint/boundaries.test.ts proves they fire.
// (One no-restricted-imports setting applies per file, so each area lists every pattern it needs.)
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

const noTests = {
  group: ['**/tests/**', 'tests/**'],
  message: 'Only tests/ imports tests/: move what the sources need into the source tree (the dev fake lives in renderer/dev/).',
}
const engineDirs = ['**/service/**', '**/store/**', '**/remote/**', '**/profilers/**', '**/workloads/**', '**/cli/**', '**/electron/**', '**/bench/**', '**/renderer/**']
const oneDoor = {
  group: ['**/store/**', '**/profilers/**', '**/workloads/**', '**/remote/**', '**/bench/**', '**/renderer/**', '**/service/**', '!**/service/index.js'],
  message: 'cli/ and electron/ reach the engine through service/index.ts (the WorkbenchService) and core/ only: add what you need to the service.',
}
const rendererOnly = {
  group: ['**/service/**', '**/store/**', '**/profilers/**', '**/workloads/**', '**/remote/**', '**/cli/**', '**/electron/**', '**/bench/**', 'electron'],
  message: 'renderer/ imports only core/ and its own files; it reaches the engine through its API client (src/api-client.ts).',
}
const nodeApis = { group: ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads'], message: 'core/ is pure: no Node APIs (see STYLE.md).' }
// no-restricted-imports does not look at import(): the renderer once loaded a fake from tests/ that way.
const noDynamicTestsImport = { selector: 'ImportExpression[source.value=/(^|\\/)tests\\//]', message: noTests.message }
const ipcMainOnlyInIpc = { selector: "ImportSpecifier[imported.name='ipcMain']", message: 'Only electron/main/ipc.ts registers IPC handlers (sender checks live there).' }
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] })

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'coverage/**', '**/*.cjs', 'wasm/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    // Node scripts and the bin shim: Node's globals.
    files: ['**/*.mjs', 'bin/**/*.js', 'eslint.config.js'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', AbortController: 'readonly', performance: 'readonly' },
    },
  },
  {
    // Everything outside tests/: tests/ is not a library.
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.mjs'],
    ignores: ['tests/**'],
    rules: restrict(noTests),
  },
  {
    files: ['core/**/*.ts'],
    rules: restrict(nodeApis, { group: ['electron', 'react', 'react-dom', 'zustand'], message: 'core/ is pure: no Electron, React or zustand.' }, {
      group: engineDirs,
      message: 'core/ is pure: it imports nothing of the engine, the front doors or the renderer.',
    }, noTests),
  },
  {
    files: ['cli/**/*.ts', 'electron/**/*.ts'],
    rules: restrict(oneDoor, noTests),
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: restrict(rendererOnly, noTests),
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.mjs'],
    ignores: ['electron/main/ipc.ts', 'tests/**'],
    rules: { 'no-restricted-syntax': ['error', ipcMainOnlyInIpc, noDynamicTestsImport] },
  },
  {
    files: ['electron/main/ipc.ts'],
    rules: { 'no-restricted-syntax': ['error', noDynamicTestsImport] },
  },
)
