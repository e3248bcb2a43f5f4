/**
 * The Runs view at scale (issue 11): a store of 5,000 runs (bench/store-index.ts generateStore) served by the
 * real `hotpath serve`. The footer counts 5,000; scrolling to the end pages in the rest down to the oldest run;
 * a search for one workload, applied by the engine, shows only its runs. Screenshots at 1440 and 1024 px, light and dark.
 */
import { readdirSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateStore } from '../../bench/store-index.js'
import { launchBrowser, openPage, screenshot } from './helpers/browser.js'
import { type ServeHandle, makeTempStore, startServe } from './helpers/serve.js'
import { eventually } from './helpers/ui.js'

let store: Awaited<ReturnType<typeof makeTempStore>>
let serve: ServeHandle
let browser: Browser
let oldest: string

beforeAll(async () => {
  store = await makeTempStore('hotpath-e2e-paging-')
  generateStore(store.dir, 5000)
  oldest = readdirSync(path.join(store.dir, 'runs')).sort()[0] as string
  serve = await startServe(store.dir)
  browser = await launchBrowser()
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await serve?.stop()
  await store?.remove()
})

const count = (page: Page): Promise<string> => page.getByTestId('runs-count').innerText()

describe('Runs view with 5,000 runs', () => {
  it('counts them all, pages to the oldest on scroll, and searches in the engine', async () => {
    const { page, errors } = await openPage(browser)
    await page.goto(`${serve.url}#/runs`)
    await eventually('the count', async () => /300 of 5,000 runs loaded/.test(await count(page)))
    const list = page.getByRole('rowgroup', { name: 'Run rows' })
    await eventually('the oldest run', async () => {
      await list.evaluate((el) => (el.scrollTop = el.scrollHeight))
      return (await page.locator(`[data-run-id="${oldest}"]`).count()) === 1
    }, 60_000)
    expect(await count(page)).toBe('5,000 runs')
    await page.getByRole('searchbox', { name: 'Search runs' }).fill('backtest')
    await eventually('the search', async () => /^500 matching runs$|of 500 matching runs/.test(await count(page)))
    const workloads = await page.locator('.run-row .cell-workload').allInnerTexts()
    expect(workloads.length).toBeGreaterThan(0)
    expect(workloads.every((w) => w.startsWith('backtest'))).toBe(true)
    expect(errors).toEqual([])
  }, 120_000)

  it.each(['light', 'dark'] as const)('screenshots in %s mode', async (colorScheme) => {
    const { page } = await openPage(browser, { colorScheme })
    await page.goto(`${serve.url}#/runs`)
    await eventually('the count', async () => /of 5,000 runs loaded/.test(await count(page)))
    await screenshot(page, `runs-paging-1440-${colorScheme}`)
    await page.setViewportSize({ width: 1024, height: 768 })
    await screenshot(page, `runs-paging-1024-${colorScheme}`)
  }, 60_000)
})
