// Builds the Electron preload (electron/preload/index.ts) into one self-contained CommonJS file,
// dist/electron/preload/index.cjs: sandboxed preloads can only require('electron'), so the contract
// and zod are bundled in. Typechecks it first (tsconfig.preload.json), since `tsc -b` does not.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const outDir = path.join(root, 'dist', 'electron', 'preload')

const tsc = spawnSync(
  process.execPath,
  [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(root, 'tsconfig.preload.json')],
  {
    stdio: 'inherit',
  },
)
if (tsc.status !== 0) {
  process.stderr.write('build-preload: the preload does not typecheck (tsconfig.preload.json)\n')
  process.exit(1)
}

await build({
  configFile: false,
  root,
  logLevel: 'warn',
  publicDir: false,
  build: {
    outDir,
    emptyOutDir: true,
    // Electron 45 ships Chromium 140.
    target: 'chrome140',
    minify: false,
    sourcemap: false,
    reportCompressedSize: false,
    lib: {
      entry: path.join(root, 'electron', 'preload', 'index.ts'),
      formats: ['cjs'],
      fileName: () => 'index.cjs',
    },
    rolldownOptions: {
      external: ['electron'],
    },
  },
})

// The sandbox gives the preload a require() that knows only a few modules: anything else would fail at
// window creation, long after the build. Check here instead.
const out = readFileSync(path.join(outDir, 'index.cjs'), 'utf8')
const required = [...out.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1])
const allowed = new Set(['electron'])
const stray = required.filter((name) => !allowed.has(name))
if (stray.length > 0) {
  process.stderr.write(`build-preload: the bundle requires ${stray.join(', ')}; a sandboxed preload can only require electron\n`)
  process.exit(1)
}
if (/\bimport\.meta\b|^\s*import\s/m.test(out)) {
  process.stderr.write('build-preload: the bundle still contains ES module syntax\n')
  process.exit(1)
}
