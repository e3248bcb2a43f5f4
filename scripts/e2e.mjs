// Runs the browser end-to-end specs (vitest --config vitest.e2e.config.ts) in Debian's Chromium against
// the real `hotpath serve`. Checks first what they need, and says how to get it: Chromium, a built
// engine and renderer. Headless Chromium needs no display; xvfb-run is used only when asked for
// (HOTPATH_E2E_HEADED=1) and no display is present.
import { spawnSync } from 'node:child_process'
import process from 'node:process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const chromium = process.env.HOTPATH_CHROMIUM ?? '/usr/bin/chromium'
const problems = []

if (!existsSync(chromium)) {
  problems.push(
    `Chromium was not found at ${chromium}. The e2e specs drive Debian's Chromium through playwright-core.\n` +
      '  Debian/Ubuntu:  sudo apt-get update && sudo apt-get install -y chromium\n' +
      '  Elsewhere:      point HOTPATH_CHROMIUM at a Chromium or Chrome binary.',
  )
}
if (!existsSync(path.join(root, 'dist', 'cli', 'index.js'))) {
  problems.push('dist/cli/index.js is missing: build the engine first with `npm run build:all`.')
}
if (!existsSync(path.join(root, 'dist', 'renderer', 'index.html'))) {
  problems.push('dist/renderer/index.html is missing: build the UI first with `npm run build:all` (it runs vite build).')
}
if (problems.length > 0) {
  process.stderr.write(`e2e: cannot run the browser tests:\n\n${problems.map((p) => `- ${p}`).join('\n')}\n`)
  process.exit(2)
}

const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs')
const args = [vitest, 'run', '--config', 'vitest.e2e.config.ts', ...process.argv.slice(2)]
const headed = process.env.HOTPATH_E2E_HEADED === '1'
const needsDisplay = headed && !process.env.DISPLAY && process.platform === 'linux'
let command = process.execPath
let commandArgs = args
if (needsDisplay) {
  const xvfb = spawnSync('sh', ['-c', 'command -v xvfb-run'], { encoding: 'utf8' })
  if (xvfb.status !== 0) {
    process.stderr.write('e2e: HOTPATH_E2E_HEADED=1 needs a display; install xvfb (sudo apt-get install -y xvfb) or unset it.\n')
    process.exit(2)
  }
  command = 'xvfb-run'
  commandArgs = ['-a', process.execPath, ...args]
}
const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit', env: process.env })
if (result.error) {
  process.stderr.write(`e2e: could not start vitest: ${result.error.message}\n`)
  process.exit(2)
}
process.exit(result.status ?? 1)
