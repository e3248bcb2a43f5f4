/**
 * The heap comparison of two runs in the Compare view, as a user meets it: two real runs of the symbol
 * collection (cached and leaky), each with an end snapshot, compared by class (object ids mean nothing
 * across two processes). The leaking class is among the first rows, and a click on it drills down to its
 * five largest instances on each side with the path that retains each. Looked at light and dark, at
 * 1440 and 1024 px.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { forEachLook, launchBrowser, screenshot } from './helpers/browser.js'
import { type ServeHandle, hotpathJson, makeTempStore, startServe } from './helpers/serve.js'

let store: Awaited<ReturnType<typeof makeTempStore>>
let serve: ServeHandle
let browser: Browser
let ids: string[]

beforeAll(async () => {
  store = await makeTempStore('hotpath-e2e-heap-class-')
  const common = ['--profile', 'heap', '--heap-snapshots', 'end', '--duration', '2s', '--param', 'symbols=100']
  ids = []
  for (const [variant, label] of [
    ['cached', 'symbols cached'],
    ['leaky', 'symbols leaky'],
  ] as const) {
    ids.push((await hotpathJson<{ id: string }>(['run', 'symbol-collection', '--variant', variant, ...common, '--label', label], store.dir)).id)
  }
  serve = await startServe(store.dir)
  browser = await launchBrowser()
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await serve?.stop()
  await store?.remove()
})

describe('heap comparison of two runs, by class', () => {
  it('puts the leaking class near the top and drills down to its largest instances and their retainers', async () => {
    await forEachLook(browser, async ({ page, errors }, look) => {
      await page.goto(`${serve.url.split('#')[0]}#/compare?ids=${ids.map(encodeURIComponent).join(',')}`)
      const table = page.getByRole('table', { name: 'Heap classes compared' })
      await table.waitFor({ timeout: 120_000 })
      // By retained size the holder of the leak may come first; the leaked class itself is in the first rows.
      const names = (await table.locator('tbody tr.heap-class-row th').allTextContents()).map((n) => n.trim())
      expect(names.slice(0, 15)).toContain('QuoteCacheEntry')

      const row = table.locator('tr.heap-class-row[data-class="QuoteCacheEntry"]')
      await row.click()
      expect(await row.getAttribute('aria-expanded')).toBe('true')
      const leaky = page.locator('.heap-class-detail .heap-largest').nth(1)
      await expect.poll(() => leaky.locator('.heap-instance').count()).toBe(5)
      expect(await leaky.locator('p').first().textContent()).toMatch(/5 largest of [\d,]+ instances by retained size/)
      // The first instance is open, and its retaining path ends at that instance.
      const first = leaky.locator('.heap-instance').first()
      const id = ((await first.locator('summary').textContent()) ?? '').match(/@(\d+)/)?.[1]
      expect(id).toBeTruthy()
      expect(await first.locator('.retainer-path li').last().textContent()).toMatch(new RegExp(`QuoteCacheEntry @${id}$`))
      // The others open on a click, each with its own path.
      const second = leaky.locator('.heap-instance').nth(1)
      await second.locator('summary').click()
      await second.locator('.retainer-path').waitFor()
      expect(await second.locator('.retainer-path li').last().textContent()).toMatch(/QuoteCacheEntry @\d+$/)

      await row.scrollIntoViewIfNeeded()
      // Nothing in the drill-down is wider than the page.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
      expect(overflow).toBeLessThanOrEqual(0)
      await screenshot(page, `heap-class-compare-${look.colorScheme}-${look.width}`)
      expect(errors).toEqual([])
    })
  })
})
