/**
 * The defects found walking through the views (issue "The views explain the change", part 6), one test
 * each, in Chromium against the real `hotpath serve`: the 0x page renders under its own policy, speedscope
 * opens a run's profile, report files are named after the runs, a plain wheel scrolls the page while
 * Ctrl+wheel zooms the flame graph, warnings are said once and fold away, the mean tile fits at 1024 px,
 * the heap capture ticks "at end", live cards keep the phase a run was cancelled in and show why a run
 * failed, a reload keeps a live card's label and clock, and sweeps are reachable from every run of one.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AppPage, launchBrowser, openPage, screenshot } from './helpers/browser.js'
import { type ServeHandle, hotpathJson, makeTempStore, startServe } from './helpers/serve.js'
import { fillLaunchForm, goTo, liveCard, runRow, waitForLiveStatus } from './helpers/ui.js'

let store: Awaited<ReturnType<typeof makeTempStore>>
let serve: ServeHandle
let browser: Browser
let app: AppPage
let page: Page

beforeAll(async () => {
  store = await makeTempStore('hotpath-e2e-defects-')
  const common = ['--duration', '1s', '--warmup', '200ms']
  await hotpathJson(['run', 'orderbook', '--variant', 'naive', '--profile', 'cpu', ...common, '--label', 'book naive'], store.dir)
  await hotpathJson(['run', 'orderbook', '--variant', 'optimized', '--profile', 'cpu', ...common, '--label', 'book optimized'], store.dir)
  await hotpathJson(
    ['run', 'symbol-collection', '--variant', 'leaky', '--profile', 'heap,0x', '--heap-snapshots', 'start,end', '--param', 'symbols=100', ...common, '--label', 'leaky symbols'],
    store.dir,
  )
  await hotpathJson(['sweep', 'orderbook', '--variant', 'optimized', '--param', 'levels=100,400', '--duration', '300ms', '--warmup', '100ms', '--label', 'levels'], store.dir)
  serve = await startServe(store.dir, { env: { HOTPATH_SELFTEST: '1' } })
  browser = await launchBrowser()
  app = await openPage(browser)
  page = app.page
  await page.goto(serve.url)
}, 300_000)

afterAll(async () => {
  await browser?.close()
  await serve?.stop()
  await store?.remove()
})

async function openRun(p: Page, label: string): Promise<void> {
  await goTo(p, 'Runs')
  await runRow(p, label).click()
  await p.locator('.kpis').waitFor({ timeout: 20_000 })
}

/** Console errors that mention the Content-Security-Policy. */
function cspErrors(messages: readonly string[]): string[] {
  return messages.filter((m) => /Content Security Policy|Content-Security-Policy|CSP/i.test(m))
}

describe('view defects', () => {
  it('opens the 0x flame graph and it renders, with no CSP error', async () => {
    await openRun(page, 'leaky symbols')
    const [tab] = await Promise.all([page.context().waitForEvent('page'), page.getByRole('link', { name: 'Open 0x flamegraph' }).click()])
    const messages: string[] = []
    tab.on('console', (m) => messages.push(m.text()))
    tab.on('pageerror', (e) => messages.push(e.message))
    await tab.waitForLoadState('load')
    expect(new URL(tab.url()).pathname).toMatch(/^\/view\/0x\//)
    // 0x (d3-fg) draws its flame graph into one canvas once its inline script has run: wait until that
    // canvas holds boxes, with 0x's own controls beside it. A blocked script leaves no drawn pixel; how
    // many a drawing has depends on the profile (this workload mostly waits on its quote server: 2,195 to
    // 7,031 of the sampled pixels in runs here), so the bar is a few boxes' worth, not thousands.
    await tab.waitForFunction(
      () => {
        const canvas = document.querySelector('canvas')
        const ctx = canvas?.getContext('2d')
        if (!canvas || !ctx || canvas.width === 0 || canvas.height === 0) return false
        const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data
        let drawn = 0
        for (let i = 3; i < data.length; i += 16) if (data[i]! > 0 && (data[i - 3]! < 240 || data[i - 2]! < 240)) drawn++
        return drawn > 200
      },
      undefined,
      { timeout: 30_000 },
    )
    await tab.getByRole('button', { name: 'Merge' }).waitFor()
    await tab.getByPlaceholder('search functions').waitFor()
    expect(cspErrors(messages)).toEqual([])
    await screenshot(tab, 'defects-01-0x')
    await tab.close()
  })

  it('opens a CPU profile in speedscope', async () => {
    await openRun(page, 'book naive')
    await page.getByRole('tab', { name: 'Flame graph' }).waitFor()
    const [tab] = await Promise.all([page.context().waitForEvent('page'), page.getByRole('link', { name: 'Open in speedscope' }).click()])
    const messages: string[] = []
    tab.on('console', (m) => {
      if (m.type() === 'error') messages.push(m.text())
    })
    tab.on('pageerror', (e) => messages.push(e.message))
    await tab.waitForLoadState('load')
    // speedscope puts the profile's name in the document title once it has imported it.
    await tab.waitForFunction(() => document.title.includes('book naive'), undefined, { timeout: 30_000 })
    await tab.locator('canvas').first().waitFor()
    expect(messages).toEqual([])
    await screenshot(tab, 'defects-02-speedscope')
    await tab.close()
  })

  it('names exported reports after the runs', async () => {
    await goTo(page, 'Runs')
    await runRow(page, 'book naive').locator('input[type="checkbox"]').click()
    await runRow(page, 'book optimized').locator('input[type="checkbox"]').click()
    await page.getByRole('button', { name: /^Compare/ }).click()
    await page.locator('.headline').first().waitFor({ timeout: 60_000 })
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Markdown/ }).first().click()])
    expect(download.suggestedFilename()).toBe('hotpath-book-naive-vs-book-optimized.md')
  })

  it('scrolls the page with a plain wheel over the flame graph and zooms with Ctrl+wheel', async () => {
    await openRun(page, 'book naive')
    const canvas = page.locator('.hp-flame canvas').first()
    await canvas.waitFor({ timeout: 30_000 })
    await canvas.scrollIntoViewIfNeeded()
    const box = await canvas.boundingBox()
    if (!box) throw new Error('no flame canvas')
    const scroller = page.locator('.view-body').first()
    const before = await scroller.evaluate((el) => el.scrollTop)
    // What the graph shows is read from its viewport attribute, not from pixels: a picture of the canvas
    // also holds the tooltip and hover highlight, which depend on when the pointer-leave lands under load.
    const viewport = (): Promise<string | null> => canvas.getAttribute('data-viewport')
    const viewportBefore = await viewport()
    await page.mouse.move(1, 1)
    await page.waitForTimeout(200)
    const pixelsBefore = await canvas.screenshot()
    await page.mouse.move(box.x + box.width / 2, box.y + Math.min(40, box.height / 2))
    await page.mouse.wheel(0, 200)
    await page.waitForTimeout(300)
    const after = await scroller.evaluate((el) => el.scrollTop)
    expect(after).toBeGreaterThan(before)
    await page.mouse.move(1, 1)
    await page.waitForTimeout(200)
    // The page moved, not the graph inside the canvas.
    expect(await viewport()).toBe(viewportBefore)
    const box2 = await canvas.boundingBox()
    if (!box2) throw new Error('no flame canvas')
    await page.mouse.move(box2.x + box2.width / 3, box2.y + Math.min(40, box2.height / 2))
    await page.keyboard.down('Control')
    for (let i = 0; i < 4; i++) await page.mouse.wheel(0, -120)
    await page.keyboard.up('Control')
    await page.waitForTimeout(300)
    expect(await scroller.evaluate((el) => el.scrollTop)).toBe(after)
    const zoomed = await viewport()
    expect(zoomed).not.toBe(viewportBefore)
    const [x0 = 0, x1 = 1] = (zoomed ?? '').split(' ').map(Number)
    expect(x1 - x0).toBeLessThan(1)
    await page.mouse.move(1, 1)
    await page.waitForTimeout(200)
    expect(Buffer.compare(await canvas.screenshot(), pixelsBefore)).not.toBe(0)
  })

  it('says each warning once, grouped, in a panel that folds', async () => {
    await openRun(page, 'leaky symbols')
    const panel = page.locator('details.warnings')
    await panel.waitFor()
    const items = panel.locator('li')
    // textContent, not innerText: with more than three warnings (a loaded machine adds some) the panel starts
    // folded, and the innerText of folded items is empty.
    const texts = (await items.allTextContents()).map((t) => t.trim())
    expect(texts.length).toBeGreaterThan(0)
    expect(new Set(texts).size).toBe(texts.length)
    expect(texts.filter((t) => /Heap snapshots on Node/.test(t)).length).toBeLessThanOrEqual(1)
    expect(texts.some((t) => /^Run \S+: Run /.test(t))).toBe(false)
    const open = await panel.evaluate((el) => (el as HTMLDetailsElement).open)
    await panel.locator('summary').click()
    expect(await panel.evaluate((el) => (el as HTMLDetailsElement).open)).toBe(!open)
  })

  it('fits the mean ± stddev tile at 1024 px, light and dark', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const small = await openPage(browser, { colorScheme })
      await small.page.setViewportSize({ width: 1024, height: 768 })
      await small.page.goto(serve.url)
      await openRun(small.page, 'book naive')
      const overflowing = await small.page.locator('.kpi-value').evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent))
      expect(overflowing).toEqual([])
      await screenshot(small.page, `defects-03-detail-1024-${colorScheme}`)
      await small.page.context().close()
    }
  })

  it('ticks "at end" when the heap snapshot capture is ticked', async () => {
    await goTo(page, 'Launch')
    await page.locator('[data-workload="orderbook"]').click()
    const heap = page.locator('input[name="profile-heap"]')
    await heap.check()
    const atEnd = page.getByRole('checkbox', { name: 'at end' })
    const atStart = page.getByRole('checkbox', { name: 'at start' })
    expect(await atEnd.isChecked()).toBe(true)
    expect(await atStart.isChecked()).toBe(false)
    await atEnd.uncheck()
    expect(await heap.isChecked()).toBe(false)
    await atStart.check()
    expect(await heap.isChecked()).toBe(true)
  })

  it('keeps the phase a run was cancelled in', async () => {
    await goTo(page, 'Launch')
    await fillLaunchForm(page, { workload: 'orderbook', durationS: '60', warmupS: '0.2', label: 'defects cancel', cpuProfile: true })
    await page.getByRole('button', { name: 'Run', exact: true }).click()
    const card = liveCard(page, 'defects cancel')
    await card.locator('.phase-name[data-phase="timing"]').waitFor({ timeout: 30_000 })
    // The timing pass of a profiled run says which pass it is.
    expect(await card.locator('.phase-name').innerText()).toMatch(/Timing pass \(1 of 2\)/)
    await card.getByRole('button', { name: /Cancel/ }).click()
    await waitForLiveStatus(card, 'cancelled', 30_000)
    expect(await card.locator('.phase-name').innerText()).toMatch(/^Cancelled while timing/)
    expect(await card.locator('.phase-steps li.done').allInnerTexts()).not.toContain('Saving')
    expect(Number(await card.getByRole('progressbar').getAttribute('aria-valuenow'))).toBeLessThan(60)
    await screenshot(page, 'defects-04-cancelled')
  })

  it('counts operations per pass while running, and shows the saved count once done', async () => {
    await goTo(page, 'Launch')
    await fillLaunchForm(page, { workload: 'orderbook', durationS: '2', warmupS: '0.2', label: 'defects passes', cpuProfile: true })
    await page.getByRole('button', { name: 'Run', exact: true }).click()
    const card = liveCard(page, 'defects passes')
    const seen: { phase: string; label: string; ops: number }[] = []
    const operations = card.locator('div', { has: page.locator('dt', { hasText: /^Operations/ }) })
    const deadline = Date.now() + 90_000
    while (Date.now() < deadline && (await card.evaluate((el) => el.classList.contains('live-running')))) {
      const [phase, label, value] = await Promise.all([
        card.locator('.phase-name').innerText(),
        operations.locator('dt').textContent(),
        operations.locator('dd').textContent(),
      ])
      const ops = Number((value ?? '').replace(/[^\d]/g, ''))
      if (ops > 0) seen.push({ phase, label: (label ?? '').trim(), ops })
      await page.waitForTimeout(100)
    }
    await waitForLiveStatus(card, 'ok', 30_000)
    const timing = seen.filter((s) => s.label === 'Operations (timing pass)')
    const profiled = seen.filter((s) => s.label === 'Operations (profiled pass)')
    expect(timing.length, JSON.stringify(seen.slice(-5))).toBeGreaterThan(0)
    expect(profiled.length, JSON.stringify(seen.slice(-5))).toBeGreaterThan(0)
    expect(profiled[0]!.phase).toMatch(/Profiled pass \(2 of 2\)/)
    // The profiled pass counts from zero: its first count is below what the timing pass had reached.
    expect(profiled[0]!.ops).toBeLessThan(timing.at(-1)!.ops)
    // While saving, the count is still labelled with the pass it belongs to.
    for (const s of seen.filter((x) => /^Saving/.test(x.phase))) expect(s.label).toBe('Operations (profiled pass)')
    // Done: the card shows the saved run's count (its timing pass), not the profiled pass's.
    const runs = await hotpathJson<{ label: string; operations?: number }[]>(['list', '--json'], store.dir)
    const saved = runs.find((r) => r.label === 'defects passes')
    expect((await operations.locator('dt').textContent())?.trim()).toBe('Operations')
    const shown = Number(((await operations.locator('dd').textContent()) ?? '').replace(/[^\d]/g, ''))
    expect(saved?.operations).toBe(shown)
    expect(shown).toBeGreaterThanOrEqual(timing.at(-1)!.ops)
    await screenshot(page, 'defects-06-passes')
  })

  it('shows why a run failed, with the end of its stderr', async () => {
    await goTo(page, 'Launch')
    await fillLaunchForm(page, { workload: 'selftest', durationS: '2', warmupS: '0', label: 'defects failing', cpuProfile: false })
    await page.locator('#param-fault').selectOption('throw')
    await page.getByRole('button', { name: 'Run', exact: true }).click()
    const card = liveCard(page, 'defects failing')
    await waitForLiveStatus(card, 'failed', 60_000)
    const failure = card.locator('.live-failure')
    await failure.waitFor({ timeout: 15_000 })
    // The card names the error the child reported (a stderr tail follows when the child wrote one).
    expect(await failure.innerText()).toMatch(/planted exception/)
    expect(await card.innerText()).not.toContain('Waiting for samples')
    await screenshot(page, 'defects-05-failed')
  })

  it('keeps a live card’s label and elapsed time across a reload', async () => {
    await goTo(page, 'Launch')
    await fillLaunchForm(page, { workload: 'orderbook', durationS: '30', warmupS: '0.2', label: 'defects reload', cpuProfile: false })
    await page.getByRole('button', { name: 'Run', exact: true }).click()
    const card = liveCard(page, 'defects reload')
    await card.locator('.phase-name[data-phase="timing"]').waitFor({ timeout: 30_000 })
    await page.waitForTimeout(3000)
    await page.reload()
    await goTo(page, 'Live runs')
    const again = liveCard(page, 'defects reload')
    await again.waitFor({ timeout: 15_000 })
    const text = await again.locator('.progress-text').innerText()
    const seconds = Number(/(\d+(?:\.\d+)?) s elapsed/.exec(text)?.[1] ?? /(\d+) min/.exec(text)?.[1] ?? '0')
    expect(seconds).toBeGreaterThanOrEqual(3)
    await again.getByRole('button', { name: /Cancel/ }).click()
    await waitForLiveStatus(again, 'cancelled', 30_000)
  })

  it('reaches a sweep from its runs, with memory per value for a size parameter', async () => {
    await goTo(page, 'Runs')
    const row = runRow(page, 'levels levels=100')
    await row.locator('a.tag-group').click()
    await page.getByRole('heading', { level: 1, name: /^Sweep/ }).waitFor()
    await page.getByRole('figure', { name: 'Peak memory' }).waitFor()
    expect(await page.getByRole('figure', { name: 'Efficiency' }).count()).toBe(0)
    const legends = await page.locator('.u-legend').allInnerTexts()
    expect(legends.join('\n')).not.toMatch(/–/)
    await screenshot(page, 'defects-06-sweep')
    // From run detail too: the Group fact is a link to the same view.
    await openRun(page, 'levels levels=400')
    await page.getByRole('link', { name: /^sweep-/ }).click()
    await page.getByRole('heading', { level: 1, name: /^Sweep/ }).waitFor()
  })

  it('raised no page errors', () => {
    expect(app.errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([])
  })
})
