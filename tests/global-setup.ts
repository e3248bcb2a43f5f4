/**
 * vitest globalSetup: builds dist/ (`npm run build`: tsc -b, the preload bundle, copied assets) when it is
 * missing or older than the sources, so `npx vitest run` works on a fresh clone after `npm ci`.
 *
 * Why build rather than run those tests from the sources with tsx: the tests that need dist/ exist to
 * test what ships — the `hotpath` command as bin/hotpath.js runs it (compiled, under plain node), the
 * preload bundle Electron loads, the worker pool loading compiled workers without tsx. Running them
 * from sources would stop testing the compiled output. When dist/ is current (as after `npm test`'s own
 * build) this costs one walk over the source tree's timestamps.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** What `npm run build` compiles or copies, and the files whose change changes its output. */
const SOURCE_DIRS = ['core', 'workloads', 'profilers', 'store', 'service', 'cli', 'bench', 'electron']
const SOURCE_FILES = [
  'tsconfig.base.json',
  'tsconfig.core.json',
  'tsconfig.node.json',
  'tsconfig.preload.json',
  'package.json',
  'scripts/build-preload.mjs',
  'scripts/copy-assets.mjs',
]
/** Outputs every build rewrites when its inputs changed: tsc -b's build info per project, and the preload bundle. */
const MARKERS = [
  'dist/.tsbuild/core.tsbuildinfo',
  'dist/.tsbuild/node.tsbuildinfo',
  'dist/electron/preload/index.cjs',
  'dist/cli/index.js',
  'dist/profilers/preload',
]

function newestSourceMtimeMs(): number {
  let newest = 0
  for (const dir of SOURCE_DIRS) {
    const abs = path.join(root, dir)
    if (!existsSync(abs)) continue
    for (const entry of readdirSync(abs, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue
      newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs)
    }
  }
  for (const file of SOURCE_FILES) {
    const abs = path.join(root, file)
    if (existsSync(abs)) newest = Math.max(newest, statSync(abs).mtimeMs)
  }
  return newest
}

/** Why dist/ needs a build, or undefined when it is current. */
export function staleReason(): string | undefined {
  let oldest = Infinity
  for (const marker of MARKERS) {
    const abs = path.join(root, marker)
    if (!existsSync(abs)) return `${marker} is missing`
    oldest = Math.min(oldest, statSync(abs).mtimeMs)
  }
  return newestSourceMtimeMs() > oldest ? 'sources changed since the last build' : undefined
}

export default function setup(): void {
  const reason = staleReason()
  if (!reason) return
  process.stderr.write(`vitest: building dist/ first (${reason}): npm run build\n`)
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  const result = spawnSync(npm, ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] })
  // tsc -b still emits when it reports type errors; the tests that need dist/ then say what is wrong.
  if (result.status !== 0)
    process.stderr.write(`vitest: npm run build exited ${result.status ?? result.signal}; continuing with what it built\n`)
}
