// `npm start` (after the npm script has built everything): the Electron app when its binary is
// installed; otherwise, after one short attempt to download it, the same UI in browser mode
// (`hotpath serve` in this process) with the reason printed. Honours HOTPATH_HOME and --store DIR;
// ELECTRON_SKIP_BINARY_DOWNLOAD or HOTPATH_SKIP_ELECTRON_DOWNLOAD skip the download attempt.
//
//   node scripts/start.mjs [--store DIR] [--port N] [--no-open] [--browser]
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const DOWNLOAD_TIMEOUT_MS = 20_000

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    store: { type: 'string' },
    port: { type: 'string' },
    'no-open': { type: 'boolean' },
    browser: { type: 'boolean' },
  },
  strict: true,
})

/** Where node_modules/electron keeps its binary, without require('electron') (which downloads with no time limit). */
function findElectronBinary() {
  let electronDir
  try {
    electronDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'))
  } catch {
    return { reason: 'the electron package is not installed' }
  }
  const pathFile = path.join(electronDir, 'path.txt')
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const exe = path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH, existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : 'electron')
    return existsSync(exe) ? { path: exe } : { reason: `ELECTRON_OVERRIDE_DIST_PATH has no ${exe}`, electronDir }
  }
  if (existsSync(pathFile)) {
    const exe = path.join(electronDir, 'dist', readFileSync(pathFile, 'utf8'))
    if (existsSync(exe)) return { path: exe }
    return { reason: `${exe} is missing`, electronDir }
  }
  return { reason: 'node_modules/electron has no downloaded binary (path.txt is missing)', electronDir }
}

/** electron's own installer, once, with a time limit; returns why it failed, or undefined. */
function tryDownloadElectron(electronDir) {
  process.stderr.write(`Electron binary not found; trying to download it (up to ${DOWNLOAD_TIMEOUT_MS / 1000} s)…\n`)
  const result = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], {
    cwd: electronDir,
    timeout: DOWNLOAD_TIMEOUT_MS,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  if (result.error?.code === 'ETIMEDOUT' || result.signal) return `the download did not finish within ${DOWNLOAD_TIMEOUT_MS / 1000} s`
  if (result.error) return `the download could not start: ${result.error.message}`
  if (result.status !== 0) {
    const lines = `${result.stderr ?? ''}${result.stdout ?? ''}`.trim().split('\n').filter(Boolean)
    const line =
      lines.find((l) => /error|ENOTFOUND|EAI_AGAIN|ECONN|getaddrinfo|HTTP/i.test(l)) ?? lines.at(-1) ?? `exit code ${result.status}`
    return `the download failed: ${line.trim().slice(0, 200)}`
  }
  return undefined
}

function launchElectron(exe) {
  const env = { ...process.env }
  delete env.ELECTRON_RUN_AS_NODE
  if (values.store) env.HOTPATH_HOME = path.resolve(values.store)
  // `electron <dir>` reads package.json "main" (dist/electron/main/index.js) and names the app from it.
  const child = spawn(exe, [root], { stdio: 'inherit', env })
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
}

async function startBrowserMode(reason) {
  const cli = path.join(root, 'dist', 'cli', 'index.js')
  if (!existsSync(cli)) {
    process.stderr.write('dist/ is missing: run `npm run build:all` first (npm start does this for you).\n')
    process.exit(2)
  }
  if (reason) process.stderr.write(`Electron binary not available (${reason}); starting Hotpath in browser mode instead\n`)
  else process.stderr.write('Starting Hotpath in browser mode (--browser)\n')
  const { runCli } = await import(pathToFileURL(cli).href)
  const controller = new AbortController()
  let interrupts = 0
  const stop = () => {
    if (++interrupts > 1) process.exit(130)
    controller.abort()
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
  const args = [
    'serve',
    ...(values.store ? ['--store', values.store] : []),
    ...(values.port ? ['--port', values.port] : []),
    ...(values['no-open'] ? ['--no-open'] : []),
  ]
  process.exitCode = await runCli(args, {
    stdout: process.stdout,
    stderr: process.stderr,
    stderrIsTTY: Boolean(process.stderr.isTTY),
    env: process.env,
    cwd: process.cwd(),
    signal: controller.signal,
  })
}

if (values.browser) {
  await startBrowserMode(undefined)
} else {
  let found = findElectronBinary()
  const skip = process.env.ELECTRON_SKIP_BINARY_DOWNLOAD || process.env.HOTPATH_SKIP_ELECTRON_DOWNLOAD
  if (!found.path && found.electronDir && skip) {
    found = {
      reason: `${found.reason}; not downloading it because ${process.env.ELECTRON_SKIP_BINARY_DOWNLOAD ? 'ELECTRON_SKIP_BINARY_DOWNLOAD' : 'HOTPATH_SKIP_ELECTRON_DOWNLOAD'} is set`,
    }
  } else if (!found.path && found.electronDir) {
    const failure = tryDownloadElectron(found.electronDir)
    const again = findElectronBinary()
    found = again.path ? again : { reason: failure ?? again.reason }
  }
  if (found.path) launchElectron(found.path)
  else await startBrowserMode(found.reason)
}
