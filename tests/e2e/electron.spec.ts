/**
 * The desktop front door. With an Electron binary: the app through playwright-core's `_electron`
 * (secure window, the bridge exposes exactly the contract, navigation refused, a real IPC round trip).
 * Without one (offline installs, this CI): `npm start`'s fallback says why and serves browser mode, and
 * the printed address works in Chromium (token → HttpOnly cookie, API and WebSocket under the CSP).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { type ElectronApplication, _electron, chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiMethods } from '../../core/api/contract.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** The Electron binary node_modules/electron would run, found without triggering its download. */
function electronBinary(): { path?: string; reason: string } {
  try {
    const dir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'))
    const pathFile = path.join(dir, 'path.txt')
    if (!existsSync(pathFile)) return { reason: 'Electron binary not installed (offline): skipped' }
    const exe = path.join(dir, 'dist', readFileSync(pathFile, 'utf8'))
    if (!existsSync(exe)) return { reason: `Electron binary not installed (${exe} is missing): skipped` }
    if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
      return { reason: 'Electron needs a display (set DISPLAY, e.g. run under xvfb-run): skipped' }
    }
    return { path: exe, reason: '' }
  } catch {
    return { reason: 'the electron package is not installed: skipped' }
  }
}

const binary = electronBinary()
if (!binary.path) console.log(binary.reason)

describe.skipIf(!binary.path)('the Electron app', () => {
  let app: ElectronApplication
  let store: string

  beforeAll(async () => {
    if (!existsSync(path.join(ROOT, 'dist', 'electron', 'main', 'index.js')))
      throw new Error('dist/ is missing: run `npm run build:all` first')
    store = await mkdtemp(path.join(os.tmpdir(), 'hotpath-electron-'))
    app = await _electron.launch({
      executablePath: binary.path!,
      // Chromium refuses its sandbox as root (containers); everything else stays as shipped.
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), ROOT],
      env: { ...process.env, HOTPATH_HOME: store } as Record<string, string>,
    })
  })

  afterAll(async () => {
    await app?.close()
    if (store) await rm(store, { recursive: true, force: true })
  })

  it('gives the page no Node and no Electron internals (isolated, sandboxed renderer)', async () => {
    const page = await app.firstWindow()
    const globals = await page.evaluate(() => {
      const g = globalThis as Record<string, unknown>
      return [typeof g.require, typeof g.process, typeof g.module, typeof g.ipcRenderer, typeof g.electron]
    })
    expect(globals).toEqual(['undefined', 'undefined', 'undefined', 'undefined', 'undefined'])
    expect(page.url()).toMatch(/^file:.*\/dist\/renderer\/index\.html/)
  })

  it('exposes exactly the contract on window.workbench, and it works end to end', async () => {
    const page = await app.firstWindow()
    const keys = await page.evaluate(() => Object.keys((window as unknown as { workbench: object }).workbench).sort())
    expect(keys).toEqual([...apiMethods, 'on'].sort())
    const workloads = await page.evaluate(() =>
      (window as unknown as { workbench: { listWorkloads(): Promise<{ id: string }[]> } }).workbench.listWorkloads(),
    )
    expect(workloads.map((w) => w.id)).toContain('orderbook')
    const error = await page.evaluate(() =>
      (window as unknown as { workbench: { startRun(r: unknown): Promise<unknown> } }).workbench
        .startRun({ workload: 'orderbook', iterations: -1 })
        .then(
          () => null,
          (e: { code?: string; issues?: string[] }) => ({ code: e.code, issues: e.issues }),
        ),
    )
    expect(error?.code).toBe('bad-request')
    expect(error?.issues?.join()).toContain('0.iterations')
  })

  it('refuses navigation away from the app and new windows', async () => {
    const page = await app.firstWindow()
    const before = page.url()
    await page.evaluate(() => {
      window.location.href = 'https://example.com/'
    })
    await new Promise((r) => setTimeout(r, 500))
    expect(page.url()).toBe(before)
    expect(await page.evaluate(() => window.open('https://example.com/') === null)).toBe(true)
    expect(app.windows()).toHaveLength(1)
  })
})

describe('npm start without an Electron binary', () => {
  let child: ChildProcess | undefined
  let store: string

  beforeAll(async () => {
    store = await mkdtemp(path.join(os.tmpdir(), 'hotpath-start-'))
  })

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL')
    await rm(store, { recursive: true, force: true })
  })

  it('says why, serves browser mode on 127.0.0.1, and the printed address works in Chromium', async () => {
    if (!existsSync(path.join(ROOT, 'dist', 'cli', 'index.js'))) throw new Error('dist/ is missing: run `npm run build:all` first')
    child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'start.mjs'), '--no-open', '--store', store], {
      cwd: ROOT,
      // Point electron at an empty folder so this path is taken even where a binary is installed.
      env: {
        ...process.env,
        ELECTRON_OVERRIDE_DIST_PATH: path.join(store, 'no-electron'),
        ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
        HOTPATH_HOME: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()))
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed within 30 s; stderr: ${stderr}`)), 30_000)
      child!.stdout!.on('data', (c: Buffer) => {
        stdout += c.toString()
        const m = /Hotpath is serving (.+) at (http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)/.exec(stdout)
        if (m) {
          clearTimeout(timer)
          expect(m[1]).toBe(store)
          resolve(m[2]!)
        }
      })
      child!.once('exit', (code) => reject(new Error(`start.mjs exited with ${code}; stderr: ${stderr}`)))
    })
    expect(stderr).toMatch(/Electron binary not available \(.+\); starting Hotpath in browser mode instead/)

    if (!existsSync(CHROMIUM)) {
      console.log(`no Chromium at ${CHROMIUM}: the browser part was skipped`)
    } else if (!existsSync(path.join(ROOT, 'dist', 'renderer', 'index.html'))) {
      throw new Error('dist/renderer is missing: run `npm run build:all` first')
    } else {
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
      try {
        const context = await browser.newContext()
        const page = await context.newPage()
        const cspErrors: string[] = []
        page.on('console', (m) => {
          if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspErrors.push(m.text())
        })
        await page.goto(url)
        // The token left the address bar and lives in an HttpOnly cookie that scripts cannot read.
        expect(page.url()).not.toContain('token=')
        expect(await page.evaluate(() => document.cookie)).toBe('')
        const listed = await page.evaluate(async () => {
          const res = await fetch('/api/listRuns', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"args":[]}' })
          return { status: res.status, body: (await res.json()) as unknown }
        })
        expect(listed).toEqual({ status: 200, body: { result: [] } })
        const wsOpened = await page.evaluate(
          () =>
            new Promise<boolean>((resolve) => {
              const ws = new WebSocket(`ws://${location.host}/api/events`)
              ws.onopen = () => {
                ws.close()
                resolve(true)
              }
              ws.onerror = () => resolve(false)
            }),
        )
        expect(wsOpened).toBe(true)
        // The app's own api client: connected over the WebSocket, and it notices when the server goes away.
        await page.getByText('Engine connected').waitFor({ timeout: 15_000 })
        // The client starts optimistic; a socket that failed would have flipped it to reconnecting by now.
        await page.waitForTimeout(1500)
        expect(await page.getByText('Reconnecting…').count()).toBe(0)
        expect(cspErrors).toEqual([])

        // "Open in speedscope": an imported profile, streamed from /api/artifacts/, opens in the bundled speedscope.
        const profile = readFileSync(path.join(ROOT, 'tests', 'fixtures', 'profiles', 'node-20.20.2', 'deep-recursion.cpuprofile'), 'utf8')
        const runId = await page.evaluate(async (text) => {
          const res = await fetch('/api/importFile', {
            method: 'POST',
            headers: { 'Content-Type': 'application/octet-stream', 'X-Hotpath-Filename': 'deep-recursion.cpuprofile' },
            body: text,
          })
          return ((await res.json()) as { result: { imported: string[] } }).result.imported[0]!
        }, profile)
        const speedscope = await context.newPage()
        speedscope.on('console', (m) => {
          if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspErrors.push(m.text())
        })
        const imported = speedscope.waitForEvent('console', {
          predicate: (m) => /Importing as Chrome CPU Profile/.test(m.text()),
          timeout: 30_000,
        })
        await speedscope.goto(
          `${new URL(url).origin}/speedscope/#profileURL=${encodeURIComponent(`/api/artifacts/${runId}/cpu.cpuprofile`)}&title=e2e`,
        )
        await imported
        await expect.poll(() => speedscope.title(), { timeout: 15_000 }).toBe('e2e - speedscope')
        expect(cspErrors).toEqual([])

        await stopWithCtrlC()
        await page.getByText('Reconnecting…').first().waitFor({ timeout: 15_000 })
      } finally {
        await browser.close()
      }
    }
    await stopWithCtrlC()

    async function stopWithCtrlC(): Promise<void> {
      if (child!.exitCode !== null) return
      const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)))
      child!.kill('SIGINT')
      expect(await exited).toBe(0)
    }
  })
})
