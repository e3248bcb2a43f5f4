/**
 * Time ranges and tracks (issue 13, part 3): a real profiled order book run made with the CLI, opened in
 * the browser against `hotpath serve`. The timeline shows the run's phase bands; dragging across the
 * second half of a timeline chart shows the range as text and changes the flame graph (its canvas pixels
 * and the sample count), and "Clear range" brings the whole profile back. Screenshots at 1440x900 and
 * 1024x768, light and dark.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, openPage, screenshot, forEachLook } from './helpers/browser.js'
import { type ServeHandle, hotpathJson, makeTempStore, startServe } from './helpers/serve.js'
import { eventually } from './helpers/ui.js'

let store: Awaited<ReturnType<typeof makeTempStore>>
let serve: ServeHandle
let browser: Browser
let runId: string

beforeAll(async () => {
  store = await makeTempStore('hotpath-e2e-range-')
  runId = (
    await hotpathJson<{ id: string }>(
      ['run', 'orderbook', '--variant', 'naive', '--profile', 'cpu', '--duration', '1500ms', '--warmup', '300ms', '--label', 'book ranged'],
      store.dir,
    )
  ).id
  serve = await startServe(store.dir)
  browser = await launchBrowser()
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await serve?.stop()
  await store?.remove()
})

const flameCanvas = (page: Page) => page.locator('.hp-flame canvas').first()
const flamePixels = (page: Page): Promise<string> => flameCanvas(page).evaluate((c) => (c as HTMLCanvasElement).toDataURL())

async function openRun(page: Page): Promise<void> {
  await page.goto(`${serve.url.split('#')[0]}#/runs/${encodeURIComponent(runId)}`)
  await page.getByRole('tab', { name: 'Flame graph' }).waitFor()
  await flameCanvas(page).waitFor()
  await page.getByTestId('time-range-hint').waitFor()
}

/**
 * Drags across the last quarter of the first timeline chart's plot area: the second half of the run's
 * timeline holds its whole profiled pass (timing pass first), so the last quarter is the later part of it.
 */
async function dragSecondHalf(page: Page): Promise<void> {
  const over = page.locator('.timeline-charts .u-over').first()
  await over.scrollIntoViewIfNeeded()
  const box = (await over.boundingBox())!
  const y = box.y + box.height / 2
  await page.mouse.move(box.x + box.width * 0.75, y)
  await page.mouse.down()
  await page.mouse.move(box.x + box.width * 0.875, y, { steps: 5 })
  await page.mouse.move(box.x + box.width - 1, y, { steps: 5 })
  await page.mouse.up()
}

describe('time ranges', () => {
  it('selecting the later part of the timeline changes the flame graph, and Clear range restores it', async () => {
    const { page, errors } = await openPage(browser)
    await openRun(page)
    await page.waitForTimeout(300)
    const before = await flamePixels(page)
    await dragSecondHalf(page)

    const bar = page.getByTestId('time-range')
    await bar.waitFor()
    expect(await bar.innerText()).toMatch(/Range \d+\.\d\d s – \d+\.\d\d s/)
    const note = page.getByTestId('profile-range-note')
    await eventually('the ranged flame graph', async () => /of [\d,]+ samples/.test(await note.innerText()))
    const m = /([\d,]+) of ([\d,]+) samples/.exec(await note.innerText())!
    const inRange = Number(m[1]!.replace(/,/g, ''))
    const all = Number(m[2]!.replace(/,/g, ''))
    expect(inRange).toBeGreaterThan(0)
    expect(inRange).toBeLessThan(all)
    expect(await note.innerText()).toMatch(/Source heat in this range is estimated/)
    await eventually('the flame graph redrawn', async () => (await flamePixels(page)) !== before)

    await page.getByTestId('time-range').getByRole('button', { name: 'Clear range' }).click()
    await page.getByTestId('time-range-hint').waitFor()
    await eventually('the whole flame graph back', async () => (await flamePixels(page)) === before)
    expect(errors).toEqual([])
    await page.context().close()
  }, 60_000)

  it("the source view follows the range: rebuildHeap's line times shrink to the selected samples, and it says so", async () => {
    const { page, errors } = await openPage(browser)
    await openRun(page)
    const openSource = async (shot?: string): Promise<{ ms: number; text: string }> => {
      await page.locator('.hp-flame-search').fill('rebuildHeap')
      await page.waitForFunction(() => /match/.test(document.querySelector('.hp-flame-matches')?.textContent ?? ''))
      await page.locator('.hp-flame-search').press('Enter')
      await page.getByRole('button', { name: 'Source of rebuildHeap' }).first().click()
      const dialog = page.getByRole('dialog', { name: 'Source of rebuildHeap' })
      await dialog.locator('.source-line.hottest').waitFor({ timeout: 15_000 })
      const text = await dialog.locator('.source-summary').innerText()
      const m = /([\d.,]+) (µs|ms|s) self on \d+ lines?/.exec(text)
      if (!m) throw new Error(`no self time in the source summary: ${text}`)
      const ms = Number(m[1]!.replace(/,/g, '')) * (m[2] === 's' ? 1000 : m[2] === 'µs' ? 0.001 : 1)
      if (shot) await screenshot(page, shot)
      await page.keyboard.press('Escape')
      await eventually('the dialog closed', async () => (await page.getByRole('dialog').count()) === 0)
      return { ms, text }
    }
    const whole = await openSource()
    expect(whole.text).not.toMatch(/line times estimated/)
    await dragSecondHalf(page)
    const note = page.getByTestId('profile-range-note')
    await eventually('the ranged flame graph', async () => /of [\d,]+ samples/.test(await note.innerText()))
    const ranged = await openSource('source-view-ranged')
    expect(ranged.text).toMatch(/Range \d+\.\d\d s–\d+\.\d\d s of the run · line times estimated/)
    expect(ranged.ms).toBeGreaterThan(0)
    expect(ranged.ms).toBeLessThan(whole.ms)
    expect(errors).toEqual([])
    await page.context().close()
  }, 90_000)

  it('shows phase bands, the range and the note; screenshots at 1440x900 and 1024x768, light and dark', async () => {
    await forEachLook(browser, async ({ page, errors }, { colorScheme, width: w, height: h }) => {
      await openRun(page)
      await dragSecondHalf(page)
      await page.getByTestId('profile-range-note').waitFor()
      await eventually('the ranged counts', async () => /of [\d,]+ samples/.test(await page.getByTestId('profile-range-note').innerText()))
      await page.locator('#timeline-title').scrollIntoViewIfNeeded()
      await screenshot(page, `time-range-timeline-${w}x${h}-${colorScheme}`)
      await page.getByTestId('profile-range-note').scrollIntoViewIfNeeded()
      await screenshot(page, `time-range-flame-${w}x${h}-${colorScheme}`)
      expect(errors).toEqual([])
    })
  }, 120_000)
})
