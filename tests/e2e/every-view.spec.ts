/**
 * Every view at the four looks (issue 13: "screenshots of each view at 1440x900 and 1024x768, light and
 * dark, were looked at and nothing overlaps or clips"): real runs made with the CLI (the naive order book
 * with CPU, allocation and heap profiles; the optimized one with a CPU profile), opened against `hotpath
 * serve`. For each look, every view is opened and photographed, and the page must not scroll sideways
 * (content wider than the window is what a clipped or overflowing layout turns into) nor log an error.
 * Other specs check each view's behaviour; this one is the walk-through a reviewer looks at.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { forEachLook, launchBrowser, screenshot } from './helpers/browser.js'
import { type ServeHandle, hotpathJson, makeTempStore, startServe } from './helpers/serve.js'

let store: Awaited<ReturnType<typeof makeTempStore>>
let serve: ServeHandle
let browser: Browser
let naiveId: string
let optimizedId: string

beforeAll(async () => {
  store = await makeTempStore('hotpath-e2e-every-view-')
  const common = ['--duration', '1s', '--warmup', '200ms']
  naiveId = (
    await hotpathJson<{ id: string }>(
      ['run', 'orderbook', '--variant', 'naive', '--profile', 'cpu,alloc,heap', ...common, '--label', 'book naive'],
      store.dir,
    )
  ).id
  optimizedId = (
    await hotpathJson<{ id: string }>(
      ['run', 'orderbook', '--variant', 'optimized', '--profile', 'cpu', ...common, '--label', 'book optimized'],
      store.dir,
    )
  ).id
  serve = await startServe(store.dir)
  browser = await launchBrowser()
}, 300_000)

afterAll(async () => {
  await browser?.close()
  await serve?.stop()
  await store?.remove()
})

/** How far the page scrolls sideways (0 when everything fits the window). */
const sideways = (page: Page): Promise<number> => page.evaluate(() => (document.scrollingElement?.scrollWidth ?? 0) - window.innerWidth)

/** Tables whose columns do not fit the box they sit in (cut off, or only reachable by scrolling that box). */
const widerTables = (page: Page): Promise<string[]> =>
  page.evaluate(() =>
    [...document.querySelectorAll('table')]
      .filter((t) => t.offsetParent !== null && t.parentElement !== null)
      .filter((t) => t.getBoundingClientRect().width > t.parentElement!.clientWidth + 1)
      .map((t) => t.getAttribute('aria-label') ?? t.className),
  )

describe('every view at four looks', () => {
  it('launch, live, runs, run detail and its profiles, compare, trend, environment and targets', async () => {
    await forEachLook(browser, async ({ page, errors }, { colorScheme, width: w, height: h }) => {
      const base = serve.url.split('#')[0]!
      const look = `${w}x${h}-${colorScheme}`
      const shots: string[] = []
      const shoot = async (name: string): Promise<void> => {
        await page.waitForTimeout(250)
        expect(await sideways(page), `${name} at ${look} scrolls sideways`).toBeLessThanOrEqual(0)
        expect(await widerTables(page), `${name} at ${look}: tables wider than their box`).toEqual([])
        await screenshot(page, `every-${name}-${look}`)
        shots.push(name)
      }
      const go = async (hash: string, ready: string): Promise<void> => {
        await page.goto(`${base}${hash}`)
        await page.locator(ready).first().waitFor({ timeout: 60_000 })
      }

      await go('#/launch', 'form')
      await shoot('launch')
      await go('#/live', 'main')
      await shoot('live')
      await go('#/runs', '.runs-table, table')
      await shoot('runs')

      await go(`#/runs/${encodeURIComponent(naiveId)}`, '.run-profiles')
      await shoot('run-top')
      await page.locator('#timeline-title').scrollIntoViewIfNeeded()
      await shoot('run-timeline')
      await page.locator('.hp-flame canvas').first().waitFor({ timeout: 60_000 })
      await page.locator('.run-profiles').scrollIntoViewIfNeeded()
      await shoot('run-flame')
      await page.getByRole('tab', { name: 'Call tree' }).click()
      await page.locator('.hp-calltree-row').first().waitFor({ timeout: 60_000 })
      await page.locator('.run-profiles').scrollIntoViewIfNeeded()
      await shoot('run-calltree')
      await page.getByRole('tab', { name: 'Allocations' }).click()
      await page.locator('#tabpanel-alloc .hp-flame canvas').first().waitFor({ timeout: 60_000 })
      await page.locator('.run-profiles').scrollIntoViewIfNeeded()
      await shoot('run-alloc')
      await page.getByRole('tab', { name: 'Heap' }).click()
      await page.locator('#tabpanel-heap table').first().waitFor({ timeout: 120_000 })
      await page.locator('.run-profiles').scrollIntoViewIfNeeded()
      // Every column of the class table is in view without scrolling it sideways (Retained was cut off at 1024 px).
      const hiddenColumns = await page
        .locator('#tabpanel-heap .heap-scroll')
        .first()
        .evaluate((el) => el.scrollWidth - el.clientWidth)
      expect(hiddenColumns, `heap class table at ${look} hides columns`).toBeLessThanOrEqual(0)
      await shoot('run-heap')

      await go(`#/compare?ids=${naiveId},${optimizedId}`, '.hp-diff table tbody tr')
      await page.evaluate(() => window.scrollTo(0, 0))
      await shoot('compare-top')
      await page.locator('#diff-flame-title').scrollIntoViewIfNeeded()
      await shoot('compare-diff')
      await page.getByRole('table', { name: 'Functions that changed most' }).scrollIntoViewIfNeeded()
      await shoot('compare-functions')

      await go('#/trend?workload=orderbook', 'main')
      await shoot('trend')
      await go('#/environment', 'main')
      await page.waitForTimeout(500)
      await shoot('environment')
      // No run here was made on a target: an empty state naming the command, not the engine's refusal.
      await go('#/targets', '[data-testid="targets-no-runs"]')
      await shoot('targets')
      expect(shots).toHaveLength(15)
      expect(errors).toEqual([])
    })
  }, 600_000)
})
