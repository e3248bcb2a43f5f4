/**
 * "See and compare": real runs made with the CLI in a temp store, then, in the browser against
 * `hotpath serve`: the naive order book's flame graph (search, zoom, sandwich), the comparison of the
 * naive and optimized runs (verdict, environment diff, diff flame graph), and the heap comparison of a
 * leaky run's start and end snapshots, where the leaking class must be on top.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WorkloadDescriptor } from '../../core/model/workload.js'
import { type AppPage, launchBrowser, openPage, screenshot } from './helpers/browser.js'
import { type ServeHandle, hotpathJson, makeTempStore, startServe } from './helpers/serve.js'
import { goTo, runRow } from './helpers/ui.js'

let store: Awaited<ReturnType<typeof makeTempStore>>
let serve: ServeHandle
let browser: Browser
let app: AppPage
let page: Page
let naiveId: string
let optimizedId: string
let leakyId: string

beforeAll(async () => {
  store = await makeTempStore('hotpath-e2e-see-')
  const workloads = await hotpathJson<WorkloadDescriptor[]>(['workloads'], store.dir, { storeFlag: false })
  const variants = workloads.find((w) => w.id === 'orderbook')?.variants ?? []
  const naive = variants.find((v) => v.role === 'naive')
  const optimized = variants.find((v) => v.role === 'optimized')
  if (!naive || !optimized) throw new Error('orderbook needs a naive and an optimized variant')
  const common = ['--profile', 'cpu', '--duration', '1s', '--warmup', '200ms']
  naiveId = (await hotpathJson<{ id: string }>(['run', 'orderbook', '--variant', naive.id, ...common, '--label', 'book naive'], store.dir))
    .id
  optimizedId = (
    await hotpathJson<{ id: string }>(['run', 'orderbook', '--variant', optimized.id, ...common, '--label', 'book optimized'], store.dir)
  ).id
  leakyId = (
    await hotpathJson<{ id: string }>(
      [
        'run',
        'symbol-collection',
        '--variant',
        'leaky',
        '--profile',
        'heap',
        '--heap-snapshots',
        'start,end',
        '--duration',
        '2s',
        '--param',
        'symbols=100',
        '--label',
        'leaky symbols',
      ],
      store.dir,
    )
  ).id
  serve = await startServe(store.dir)
  browser = await launchBrowser()
  app = await openPage(browser)
  page = app.page
  await page.goto(serve.url)
  await goTo(page, 'Runs')
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await serve?.stop()
  await store?.remove()
})

describe('see and compare', () => {
  it('shows the naive run flame graph: search, zoom, sandwich', async () => {
    await runRow(page, 'book naive').click()
    await page.getByRole('tab', { name: 'Flame graph' }).waitFor()
    const canvas = page.locator('.hp-flame canvas').first()
    await canvas.waitFor({ timeout: 30_000 })
    await page.locator('.run-profiles').scrollIntoViewIfNeeded()
    await screenshot(page, 'see-01-flame')

    // Search: a hot function of the naive book (its matching loop lives in the orderbook workload).
    await page.locator('.hp-flame-search').fill('orderbook')
    await page.waitForFunction(() => /match/.test(document.querySelector('.hp-flame-matches')?.textContent ?? ''))
    expect(await page.locator('.hp-flame-matches').textContent()).toMatch(/^\d[\d,]* match(es)?/)
    await screenshot(page, 'see-02-search')

    // Zoom: double click a frame a few rows down focuses it; the breadcrumb shows its path.
    await page.locator('.hp-flame-search').fill('')
    const box = await canvas.boundingBox()
    if (!box) throw new Error('no flame canvas')
    await page.mouse.dblclick(box.x + box.width * 0.3, box.y + 18 * 3 + 9)
    await expect.poll(() => page.locator('.hp-flame-crumb').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(1)
    await screenshot(page, 'see-03-zoom')

    // Sandwich of the heaviest path's leaf in the linked call tree.
    await page.locator('.hp-flame-breadcrumb button').first().click()
    await page.locator('.hp-calltree-body').first().focus()
    await page.keyboard.press('h')
    await page.getByRole('tab', { name: 'Sandwich' }).click()
    await page.waitForSelector('.hp-calltree-focus', { timeout: 15_000 })
    await page.locator('.profile-linked-table').scrollIntoViewIfNeeded()
    await screenshot(page, 'see-04-sandwich')
    expect(app.errors).toEqual([])
  })

  it('compares naive and optimized: verdict, environment diff, diff flame graph', async () => {
    await goTo(page, 'Runs')
    await runRow(page, 'book naive').locator('input[type="checkbox"]').check()
    await runRow(page, 'book optimized').locator('input[type="checkbox"]').check()
    await page.getByRole('button', { name: /^Compare 2/ }).click()
    await page.waitForFunction(() => location.hash.startsWith('#/compare?ids='))
    expect(decodeURIComponent(await page.evaluate(() => location.hash))).toContain(`${naiveId},${optimizedId}`)
    const headline = page.locator('.headline').first()
    await headline.waitFor({ timeout: 60_000 })
    expect(await headline.textContent()).toMatch(/throughput .*x .*: improved/)
    await screenshot(page, 'see-05-compare')

    await page.getByRole('table', { name: 'Environment differences' }).waitFor()
    await page.getByRole('table', { name: 'Environment differences' }).scrollIntoViewIfNeeded()
    await screenshot(page, 'see-06-environment')

    await page.locator('#diff-flame-title').waitFor({ timeout: 30_000 })
    await page.locator('.hp-diff canvas, .hp-flame canvas').first().waitFor({ timeout: 30_000 })
    await page.locator('#diff-flame-title').scrollIntoViewIfNeeded()
    await screenshot(page, 'see-07-diff-flame')
    expect(app.errors).toEqual([])
  })

  it('opens the leaky run heap comparison with QuoteCacheEntry on top', async () => {
    await page.goto(`${serve.url.split('#')[0]}#/runs/${encodeURIComponent(leakyId)}`)
    await page.getByRole('tab', { name: 'Heap' }).click()
    const table = page.getByRole('table', { name: 'Class changes' })
    await table.waitFor({ timeout: 90_000 })
    // V8's own groups such as "(compiled code)" can grow more bytes than the leak while the JIT warms up
    // on a loaded machine; the first class of the program's own must be the leaking one.
    const names = await table.locator('tbody tr td:first-child').allTextContents()
    const first = names.find((n) => !n.trim().startsWith('('))
    expect(first).toBe('QuoteCacheEntry')
    await page.locator('.run-profiles').scrollIntoViewIfNeeded()
    await screenshot(page, 'see-08-heap-diff')

    await page.locator('.heap-panel .segmented label', { hasText: 'heap-end.heapsnapshot' }).click()
    await page.getByRole('table', { name: 'Classes' }).waitFor({ timeout: 90_000 })
    await screenshot(page, 'see-09-heap-summary')
    expect(app.errors).toEqual([])
  })
})
