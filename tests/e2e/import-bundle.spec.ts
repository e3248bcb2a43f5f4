/**
 * Importing into the library from the browser: a bundle made with `hotpath export` in a second store
 * (Import button), a standalone .cpuprofile dropped on the window (opened at once, then saved as a run),
 * a stray file refused by name, and a second import of the same bundle reported as skipped.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WorkloadDescriptor } from '../../core/model/workload.js'
import { type AppPage, dropFiles, launchBrowser, openPage, screenshot } from './helpers/browser.js'
import { type ServeHandle, hotpath, hotpathJson, makeTempStore, repoRoot, startServe } from './helpers/serve.js'
import { goTo, runRow } from './helpers/ui.js'

const CPU_PROFILE = path.join(repoRoot, 'tests/fixtures/profiles/node-20.20.2/fib-strings-json.cpuprofile')

let source: Awaited<ReturnType<typeof makeTempStore>>
let target: Awaited<ReturnType<typeof makeTempStore>>
let bundlePath: string
let runIds: string[]
let serve: ServeHandle
let browser: Browser
let app: AppPage
let page: Page

beforeAll(async () => {
  source = await makeTempStore('hotpath-e2e-src-')
  target = await makeTempStore('hotpath-e2e-dst-')
  // Two real runs in another store, exported as one bundle: what a colleague would send.
  const a = await hotpathJson<{ id: string }>(
    ['run', 'orderbook', '--duration', '300ms', '--warmup', '50ms', '--label', 'bundle run A', '--tag', 'shared'],
    source.dir,
  )
  // The other variant by its role, so the test follows renames of variant ids.
  const workloads = await hotpathJson<WorkloadDescriptor[]>(['workloads'], source.dir, { storeFlag: false })
  const optimized = workloads.find((w) => w.id === 'orderbook')?.variants.find((v) => v.role === 'optimized')
  if (!optimized) throw new Error('orderbook has no optimized variant')
  const b = await hotpathJson<{ id: string }>(
    ['run', 'orderbook', '--variant', optimized.id, '--duration', '300ms', '--warmup', '50ms', '--label', 'bundle run B'],
    source.dir,
  )
  runIds = [a.id, b.id]
  bundlePath = path.join(source.dir, 'two-runs.tgz')
  await hotpath(['export', ...runIds, '-o', bundlePath], source.dir)

  serve = await startServe(target.dir)
  browser = await launchBrowser()
  app = await openPage(browser)
  page = app.page
  await page.goto(serve.url)
  await goTo(page, 'Runs')
})

afterAll(async () => {
  await browser?.close()
  await serve?.stop()
  await source?.remove()
  await target?.remove()
})

describe('import into the library', () => {
  it('starts empty and says what to do', async () => {
    await page.getByText('No runs yet. Launch a workload, or import a bundle.').waitFor()
    await page.getByRole('button', { name: /Import a bundle/ }).waitFor()
  })

  it('imports a bundle chosen with the Import button', async () => {
    await page.locator('[data-testid="import-input"]').setInputFiles(bundlePath)
    await page.getByRole('status').getByText('Imported 2 runs.').waitFor({ timeout: 30_000 })
    await runRow(page, 'bundle run A').waitFor()
    await runRow(page, 'bundle run B').waitFor()
    await runRow(page, 'bundle run A').getByText('shared').waitFor()
    await screenshot(page, '20-runs-imported')
    const listed = await hotpathJson<{ id: string }[]>(['list'], target.dir)
    expect(listed.map((r) => r.id).sort()).toEqual([...runIds].sort())
  })

  it('opens an imported run from the keyboard, with its metrics', async () => {
    // Newest first: B, then A. ArrowDown from the search box focuses B; once more, A; Enter opens it.
    const search = page.getByRole('searchbox', { name: 'Search runs' })
    await search.focus()
    await search.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    expect(await page.locator('.run-row.focused').innerText()).toContain('bundle run A')
    await page.keyboard.press('Enter')
    await page.locator('.kpis').waitFor()
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('bundle run A')
    await screenshot(page, '21-imported-run-detail')
    await goTo(page, 'Runs')
  })

  it('opens a .cpuprofile dropped on the window at once, saves it as a run, and refuses a stray file by name', async () => {
    const bytes = new Uint8Array(await readFile(CPU_PROFILE))
    await dropFiles(page, [
      { name: 'fib-strings-json.cpuprofile', bytes, type: 'application/json' },
      { name: 'notes.txt', bytes: new TextEncoder().encode('not a profile'), type: 'text/plain' },
    ])
    // The one profile opens at once: its flame graph from the dropped file, while it is saved as a run.
    await page.waitForURL(/#\/open$/)
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('fib-strings-json.cpuprofile')
    await page.locator('.hp-flame canvas').first().waitFor()
    const notice = page.getByRole('status').filter({ hasText: 'Imported 1 run' })
    await notice.waitFor({ timeout: 30_000 })
    expect(await notice.innerText()).toContain('notes.txt: not a bundle')
    await page.getByTestId('open-import').getByText('Saved as a run').waitFor()
    await screenshot(page, '22-open-after-drop')
    await page.getByRole('button', { name: 'Open the run' }).click()
    await page.waitForURL(/#\/runs\/.+/)
    await page.locator('.kpis, .run-profiles').first().waitFor()
    await goTo(page, 'Runs')
    await page
      .locator('.run-row', { has: page.locator('.tag-kind') })
      .first()
      .waitFor()
    expect((await hotpathJson<unknown[]>(['list'], target.dir)).length).toBe(3)
  })

  it('reports runs already in the store as skipped on a second import', async () => {
    await page.locator('[data-testid="import-input"]').setInputFiles(bundlePath)
    const notice = page.locator('.notice', { hasText: /skipped 2/ })
    await notice.waitFor({ timeout: 30_000 })
    expect(await notice.innerText()).toMatch(/Imported 0 runs, skipped 2/)
    expect((await hotpathJson<unknown[]>(['list'], target.dir)).length).toBe(3)
  })

  it('exports runs selected with a checkbox and shift-click as a bundle download', async () => {
    await runRow(page, 'bundle run B').locator('input[type="checkbox"]').click()
    await runRow(page, 'bundle run A')
      .locator('input[type="checkbox"]')
      .click({ modifiers: ['Shift'] })
    const exportButton = page.getByRole('button', { name: /^Export 2$/ })
    const [download] = await Promise.all([page.waitForEvent('download'), exportButton.click()])
    expect(download.suggestedFilename()).toMatch(/^hotpath-2-runs-.*\.tgz$/)
    const saved = path.join(source.dir, 'downloaded.tgz')
    await download.saveAs(saved)
    // The download is a real bundle: a third store imports both runs from it.
    const third = await makeTempStore('hotpath-e2e-third-')
    try {
      const [result] = await hotpathJson<{ imported: string[] }[]>(['import', saved], third.dir)
      expect([...(result?.imported ?? [])].sort()).toEqual([...runIds].sort())
    } finally {
      await third.remove()
    }
    await page.getByRole('button', { name: 'clear' }).click()
  })

  it('raised no page errors', () => {
    expect(app.errors).toEqual([])
  })
})
