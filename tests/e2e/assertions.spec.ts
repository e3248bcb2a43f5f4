/**
 * Assertions from the Launch form to the saved run, in real Chromium against `hotpath serve`: a run launched
 * with one assertion that holds and one that cannot (`peakRss<1MB`) lists both first on its page, failed
 * before passed counts, and its saved timeline keeps the moments the RSS limit was crossed (drawn as marks
 * under the chart). A malformed assertion is refused next to the field before anything starts.
 * Screenshots at 1440x900 and 1024x768, light and dark.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, openPage, screenshot, forEachLook } from './helpers/browser.js'
import { type ServeHandle, hotpathJson, makeTempStore, startServe } from './helpers/serve.js'
import { fillLaunchForm, goTo, liveCard, waitForLiveStatus } from './helpers/ui.js'

let store: Awaited<ReturnType<typeof makeTempStore>>
let serve: ServeHandle
let browser: Browser
let runUrl = ''

beforeAll(async () => {
  store = await makeTempStore()
  serve = await startServe(store.dir)
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await serve?.stop()
  await store?.remove()
})

async function openApp(colorScheme: 'light' | 'dark' = 'light'): Promise<{ page: Page; errors: string[] }> {
  const opened = await openPage(browser, { colorScheme })
  await opened.page.goto(serve.url)
  await opened.page.getByRole('navigation', { name: 'Main' }).waitFor()
  return opened
}

describe('assertions', () => {
  it('refuses a malformed assertion next to the field and starts nothing', async () => {
    const { page } = await openApp()
    await goTo(page, 'Launch')
    await fillLaunchForm(page, { workload: 'orderbook', durationS: '1', warmupS: '0.2', label: 'e2e bad assertion', cpuProfile: false })
    await page.locator('#launch-assertions').fill('p99<<3')
    // Checked as typed: the Run button waits for a valid form.
    expect(await page.getByRole('button', { name: 'Run', exact: true }).isDisabled()).toBe(true)
    const field = page.locator('#launch-assertions')
    const message = page.locator('.field.invalid', { has: field }).locator('.field-error')
    await message.waitFor({ timeout: 10_000 })
    expect(await message.innerText()).toMatch(/p99<<3/)
    expect(await field.getAttribute('aria-invalid')).toBe('true')
    expect(await liveCard(page, 'e2e bad assertion').count()).toBe(0)
    await page.context().close()
  }, 60_000)

  it('lists a failed and a passed assertion first on the run, and keeps the RSS crossings on its timeline', async () => {
    const { page, errors } = await openApp()
    await goTo(page, 'Launch')
    await fillLaunchForm(page, { workload: 'orderbook', durationS: '1.5', warmupS: '0.2', label: 'e2e asserted run', cpuProfile: false })
    await page.locator('#launch-assertions').fill('p99<1s; peakRss<1MB')
    await page.getByRole('button', { name: 'Run', exact: true }).click()
    const card = liveCard(page, 'e2e asserted run')
    await card.waitFor({ timeout: 15_000 })
    await waitForLiveStatus(card, 'ok', 90_000)
    await card.getByRole('link', { name: /Open run/ }).click()
    const panel = page.locator('section.assertions')
    await panel.waitFor({ timeout: 15_000 })
    runUrl = page.url()
    expect(await panel.locator('h2').innerText()).toMatch(/1 of 2 failed/)
    const rows = panel.locator('tbody tr')
    expect(await rows.count()).toBe(2)
    const byExpr = async (expr: string): Promise<string | null> => panel.locator('tr', { hasText: expr }).getAttribute('data-pass')
    expect(await byExpr('p99<1s')).toBe('yes')
    expect(await byExpr('peakRss<1MB')).toBe('no')
    // Assertions come first: the panel is above the key figures.
    const [panelTop, kpisTop] = await Promise.all([panel.boundingBox(), page.locator('.kpis').boundingBox()])
    expect(panelTop!.y).toBeLessThan(kpisTop!.y)

    // The saved run keeps where the 1 MB limit was crossed; the timeline draws them.
    const id = decodeURIComponent(runUrl.split('/').pop() ?? '')
    const record = await hotpathJson<{ thresholdCrossings?: { series: string; source: string }[] }>(['show', id], store.dir)
    const rss = (record.thresholdCrossings ?? []).filter((c) => c.series === 'rssBytes')
    expect(rss.length).toBeGreaterThan(0)
    expect(rss[0]!.source).toBe('peakRss<1MB')
    await page.locator('#timeline-title').scrollIntoViewIfNeeded()
    expect(errors).toEqual([])
    await page.context().close()
  }, 150_000)

  it('looks right at 1440x900 and 1024x768, light and dark', async () => {
    expect(runUrl).not.toBe('')
    await forEachLook(
      browser,
      async ({ page, errors }, { colorScheme, width: w, height: h }) => {
        await page.goto(runUrl)
        await page.locator('section.assertions').waitFor({ timeout: 15_000 })
        await screenshot(page, `assertions-run-${w}x${h}-${colorScheme}`)
        await page.locator('#timeline-title').scrollIntoViewIfNeeded()
        await page.waitForTimeout(300)
        await screenshot(page, `assertions-timeline-${w}x${h}-${colorScheme}`)
        expect(errors).toEqual([])
      },
      (colorScheme) => openApp(colorScheme),
    )
  }, 120_000)
})
