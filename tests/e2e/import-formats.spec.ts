/**
 * Every profile format Hotpath reads, dropped on the window in Chromium against the real `hotpath serve`:
 * a DevTools Performance recording (Chromium's trace-event JSON), a legacy-layout .cpuprofile (Node 10),
 * an id-less .heapprofile (Node 8), a speedscope file, a pprof file and a preprocessed V8 tick log each
 * become an imported run, and the run's bottom-up table puts first the function `hotpath top` puts first
 * for the original file (the CLI reads the file itself, the UI the run's converted profile).
 */
import { closeSync, openSync, writeSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AppPage, dropFiles, launchBrowser, openPage, screenshot } from './helpers/browser.js'
import { type ServeHandle, hotpath, hotpathJson, makeTempStore, repoRoot, startServe } from './helpers/serve.js'
import { goTo } from './helpers/ui.js'
import { syntheticSizeFor, writeSyntheticCpuProfile } from '../../bench/profile-generator.js'

const FIXTURES = path.join(repoRoot, 'tests/fixtures/profiles')

interface Case {
  /** What the user would call it. */
  what: string
  file: string
  /** The profile tab the run opens on. */
  tab: 'Call tree' | 'Allocations'
}

let store: Awaited<ReturnType<typeof makeTempStore>>
let serve: ServeHandle
let browser: Browser
let app: AppPage
let page: Page
let cases: Case[]

beforeAll(async () => {
  store = await makeTempStore('hotpath-e2e-formats-')
  // A pprof file as Go's tooling would read it: exported by Hotpath from a real Node 20 profile.
  const pprof = path.join(store.dir, 'fib-strings-json.pb.gz')
  await hotpath(
    ['export-profile', path.join(FIXTURES, 'node-20.20.2/fib-strings-json.cpuprofile'), '--format', 'pprof', '-o', pprof],
    store.dir,
  )
  cases = [
    {
      what: 'DevTools Performance recording',
      file: path.join(FIXTURES, 'chromium-156.0.8078.114/fib-main-and-worker.trace.json'),
      tab: 'Call tree',
    },
    { what: 'legacy .cpuprofile', file: path.join(FIXTURES, 'node-10.24.1/fib-strings-json.cpuprofile'), tab: 'Call tree' },
    { what: 'id-less .heapprofile', file: path.join(FIXTURES, 'node-8.17.0/fib-strings-json.heapprofile'), tab: 'Allocations' },
    { what: 'speedscope file', file: path.join(FIXTURES, 'hand-made/checkout.speedscope.json'), tab: 'Call tree' },
    { what: 'pprof file', file: pprof, tab: 'Call tree' },
    { what: 'V8 tick log', file: path.join(FIXTURES, 'node-10.24.1/fib-strings-json.ticks.json'), tab: 'Call tree' },
  ]
  serve = await startServe(store.dir)
  browser = await launchBrowser()
  app = await openPage(browser)
  page = app.page
  await page.goto(serve.url)
  await goTo(page, 'Runs')
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await serve?.stop()
  await store?.remove()
})

describe('import every profile format from the browser', () => {
  it('imports all six dropped on the window at once', async () => {
    const files = await Promise.all(
      cases.map(async (c) => ({
        name: path.basename(c.file),
        bytes: new Uint8Array(await readFile(c.file)),
        type: 'application/octet-stream',
      })),
    )
    await dropFiles(page, files)
    const notice = page.getByRole('status').filter({ hasText: /Imported \d+ run/ })
    await notice.waitFor({ timeout: 60_000 })
    expect(await notice.innerText()).toContain(`Imported ${cases.length} runs.`)
    await screenshot(page, 'formats-01-imported')
  })

  it('opens each with the same top function as `hotpath top` on the original file', async () => {
    const runs = await hotpathJson<{ id: string; label: string }[]>(['list'], store.dir)
    for (const c of cases) {
      const name = path.basename(c.file)
      const run = runs.find((r) => r.label === name)
      expect(run, `a run labelled ${name}`).toBeDefined()
      const top = await hotpathJson<{ functions: { name: string }[] }>(['top', c.file, '--limit', '1'], store.dir, { storeFlag: false })
      const expected = top.functions[0]?.name
      expect(expected, `hotpath top of ${name}`).toBeTruthy()
      await page.goto(`${serve.url.split('#')[0]}#/runs/${encodeURIComponent(run!.id)}`)
      await page.getByRole('tab', { name: c.tab }).click()
      await page.getByRole('tab', { name: 'Bottom-up' }).click()
      const first = page.locator('.hp-calltree-body .hp-calltree-row .hp-calltree-name').first()
      await first.waitFor({ timeout: 30_000 })
      expect(await first.innerText(), `${c.what}: first bottom-up row`).toContain(expected!)
      await screenshot(page, `formats-${c.what.replace(/[^a-z]+/gi, '-').toLowerCase()}`)
    }
    expect(app.errors).toEqual([])
  })

  it('shows how far a large profile is while it opens: a bar over the bytes parsed, then the tree', async () => {
    const file = path.join(store.dir, 'large.cpuprofile')
    const fd = openSync(file, 'w')
    try {
      writeSyntheticCpuProfile((chunk) => writeSync(fd, chunk), { ...syntheticSizeFor(80 * 2 ** 20), seed: 9 })
    } finally {
      closeSync(fd)
    }
    const out = await hotpath(['import', file], store.dir)
    const id = /imported (\S+)/.exec(out)?.[1]
    expect(id).toBeTruthy()
    await page.goto(`${serve.url.split('#')[0]}#/runs/${encodeURIComponent(id!)}`)
    const bar = page.getByRole('progressbar', { name: 'Parsing the CPU profile' })
    await bar.waitFor({ timeout: 60_000 })
    expect(await page.locator('.profile-open-progress').innerText()).toMatch(/Parsing the CPU profile… \d+% of \d+(\.\d+)? MB|Read all [\d.]+ MB of the CPU profile; building the call tree…/)
    await screenshot(page, 'formats-large-profile-progress')
    await page.locator('.hp-flame canvas').first().waitFor({ timeout: 120_000 })
    expect(await bar.count()).toBe(0)
    expect(app.errors).toEqual([])
  }, 300_000)
})
