/**
 * The run timeline and run detail (issue 13, items 3 and 6): a real profiled order book run with a heap
 * snapshot, and an out-of-memory self-test run, both made with the CLI and opened in the browser against
 * `hotpath serve`. The timeline charts carry GC marks with a tooltip (kind, pause, time); the three charts
 * share one cursor; Peak RSS says which pass it is from and where the timeline peaks higher; a failed
 * out-of-memory run names the heap limit it ran with. Screenshots at 1440x900 and 1024x768, light and dark.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { phaseBands, phaseLabel } from '../../core/analysis/time-range.js'
import { formatBytes } from '../../core/format/bytes.js'
import { type RunRecord, runRecordSchema } from '../../core/model/run.js'
import { SCREENSHOT_DIR, launchBrowser, openPage, screenshot, forEachLook } from './helpers/browser.js'
import { type ServeHandle, hotpathJson, makeTempStore, startServe } from './helpers/serve.js'
import { runCliProcess } from '../helpers/cli.js'

let store: Awaited<ReturnType<typeof makeTempStore>>
let serve: ServeHandle
let browser: Browser
let heapRun: RunRecord
let oomRun: RunRecord

beforeAll(async () => {
  store = await makeTempStore('hotpath-e2e-timeline-')
  const made = await hotpathJson<{ id: string }>(
    [
      'run',
      'orderbook',
      '--variant',
      'naive',
      '--profile',
      'cpu,heap',
      '--duration',
      '1500ms',
      '--warmup',
      '300ms',
      '--label',
      'book timeline',
    ],
    store.dir,
  )
  heapRun = runRecordSchema.parse(JSON.parse(await readFile(path.join(store.dir, 'runs', made.id, 'run.json'), 'utf8')))
  const oom = await runCliProcess(
    [
      'run',
      'selftest',
      '--param',
      'fault=oom',
      '--iterations',
      '10',
      '--warmup',
      '0',
      '--max-old-space-size',
      '48',
      '--label',
      'selftest oom',
      '--store',
      store.dir,
      '--json',
    ],
    { store: store.dir },
  )
  oomRun = runRecordSchema.parse(JSON.parse(oom.stdout))
  serve = await startServe(store.dir, { env: { HOTPATH_SELFTEST: '1' } })
  browser = await launchBrowser()
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await serve?.stop()
  await store?.remove()
})

async function openRun(page: Page, id: string, ready: string): Promise<void> {
  await page.goto(`${serve.url.split('#')[0]}#/runs/${encodeURIComponent(id)}`)
  await page.locator(ready).first().waitFor()
}

const charts = (page: Page) => page.locator('.timeline-charts figure.chart')

/**
 * Moves along the bottom of chart `index` in 3 px steps (bounded by its width) and gathers the GC tooltips
 * shown. The chart is centred in the window first (at the top edge the page's sticky header covers it) and
 * its box read again until it holds still: a page still settling (fonts, scrollbars, sections loading
 * above) moves the chart under a pointer aimed at a stale box, and a CI run once found no tooltip at all.
 * A sweep that finds none is tried again, at most 3 times.
 */
async function sweepGcTips(page: Page, index: number, stopAt?: RegExp): Promise<string[]> {
  const chart = charts(page).nth(index)
  const over = chart.locator('.u-over')
  const tip = chart.locator('.chart-gc-tip')
  const tips: string[] = []
  for (let attempt = 0; attempt < 3 && tips.length === 0; attempt++) {
    let box = null as Awaited<ReturnType<typeof over.boundingBox>>
    for (let settle = 0; settle < 20; settle++) {
      await over.evaluate((el) => el.scrollIntoView({ block: 'center' }))
      const before = await over.boundingBox()
      await page.waitForTimeout(100)
      box = await over.boundingBox()
      if (before && box && before.x === box.x && before.y === box.y && before.width === box.width) break
    }
    if (!box) throw new Error(`chart ${index} has no box`)
    for (let x = box.x + 1; x < box.x + box.width - 1; x += 3) {
      await page.mouse.move(x, box.y + box.height - 3)
      if (await tip.isVisible()) {
        const text = await tip.innerText()
        tips.push(text)
        if (stopAt?.test(text)) break
      }
    }
  }
  return tips
}

/** Whether the GC tooltip shown lies within its chart's frame. */
const tipFits = (page: Page): Promise<boolean> =>
  page.locator('.chart-gc-tip:not([hidden])').evaluate((tip) => {
    const t = tip.getBoundingClientRect()
    const f = tip.parentElement!.getBoundingClientRect()
    return t.left >= f.left - 1 && t.right <= f.right + 1
  })

describe('run timeline', () => {
  it('marks every GC the run recorded and shows its kind, pause and time on hover', async () => {
    const marks = heapRun.timelineGc?.marks ?? []
    expect(marks.length).toBeGreaterThan(0)
    const { page, errors } = await openPage(browser)
    await openRun(page, heapRun.id, '#timeline-title')
    const summary = await page.getByTestId('gc-marks-summary').innerText()
    expect(summary).toContain(
      `${marks.length.toLocaleString('en-US')} GCs marked (${marks.filter((m) => m.kind === 'major').length} major)`,
    )
    // Every timeline chart carries the marks (they share the time axis).
    const counts = await charts(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-gc-marks')))
    expect(counts.length).toBeGreaterThanOrEqual(3)
    expect(counts.every((c) => c === String(marks.length))).toBe(true)
    // The memory chart (second): the tooltips found along its bottom name the kind, the pause and the time.
    const tips = await sweepGcTips(page, 1, /^Major GC/)
    expect(tips.length).toBeGreaterThan(0)
    for (const t of tips)
      expect(t).toMatch(
        /^(Minor GC \(scavenge\)|Major GC \(mark-compact\)|Incremental marking|GC weak callbacks|GC)\n[\d.,]+ (ms|µs|s) paused · at \d+\.\d\d s/,
      )
    // A tooltip's time is that of a recorded GC.
    const m = /([\d.,]+) (ms|µs|s) paused · at (\d+\.\d\d) s/.exec(tips[0]!)!
    expect(marks.some((g) => (g.tMs / 1000).toFixed(2) === m[3])).toBe(true)
    // Only the chart under the pointer shows a tooltip.
    expect(await page.locator('.chart-gc-tip:not([hidden])').count()).toBe(1)
    // The tip stays inside its chart, even on the narrow charts of a small window.
    expect(await tipFits(page)).toBe(true)
    await page.mouse.move(5, 5)
    expect(await page.locator('.chart-gc-tip:not([hidden])').count()).toBe(0)
    expect(errors).toEqual([])
    await page.context().close()
  }, 90_000)

  it('the charts share one cursor: hovering one moves the cursor line and the values (and the phase) in all', async () => {
    const { page, errors } = await openPage(browser)
    await openRun(page, heapRun.id, '#timeline-title')
    const over = charts(page).first().locator('.u-over')
    await over.scrollIntoViewIfNeeded()
    // The middle of the run's longest phase (the x axis spans the samples, first to last).
    const bands = phaseBands(heapRun.timeline)
    const longest = bands.reduce((a, b) => (b.endMs - b.startMs > a.endMs - a.startMs ? b : a))
    const t0 = heapRun.timeline[0]!.tMs
    const tN = heapRun.timeline[heapRun.timeline.length - 1]!.tMs
    const at = ((longest.startMs + longest.endMs) / 2 - t0) / (tN - t0)
    type CursorState = { x: number; width: number; time: string }
    const read = (): Promise<CursorState[]> =>
      charts(page).evaluateAll((els) =>
        els.map((e) => {
          const cursor = e.querySelector<HTMLElement>('.u-cursor-x')
          const over = e.querySelector<HTMLElement>('.u-over')
          const time = e.querySelector('.u-legend .u-series:first-child .u-value')?.textContent ?? ''
          const x = cursor ? cursor.getBoundingClientRect().left - over!.getBoundingClientRect().left : -1
          return { x, width: over!.clientWidth, time }
        }),
      )
    // Hover until every chart shows the cursor: a chart that resizes as the page settles (scrollbars,
    // fonts) hides its cursor until the pointer moves again, so one move can land before the layout is final.
    let state: CursorState[] = []
    await expect
      .poll(
        async () => {
          // Centred in the window each time: at the top edge the page's sticky header covers the chart,
          // and the pointer then lands on the header.
          await over.evaluate((el) => el.scrollIntoView({ block: 'center' }))
          const now = (await over.boundingBox())!
          await page.mouse.move(now.x + now.width * at + 1, now.y + now.height / 2)
          await page.mouse.move(now.x + now.width * at, now.y + now.height / 2)
          await page.waitForTimeout(150)
          state = await read()
          return state.length >= 3 && state.every((c) => c.x > 0 && c.x < c.width)
        },
        { timeout: 15_000, message: 'every chart shows the cursor' },
      )
      .toBe(true)
    expect(state.length).toBeGreaterThanOrEqual(3)
    for (const s of state) {
      expect(s.x).toBeGreaterThan(0)
      expect(s.x).toBeLessThan(s.width)
      expect(s.time).toBe(state[0]!.time)
    }
    // The time under the cursor names its phase (the narrow bands have no room for a label).
    expect(state[0]!.time).toMatch(new RegExp(`^\\d+\\.\\d s · ${phaseLabel(longest.phase)}$`))
    expect(errors).toEqual([])
    await page.context().close()
  }, 60_000)

  it('Peak RSS names its pass and the higher peak of the timeline with its phase, from the data', async () => {
    const rss = heapRun.timeline.map((s) => s.rssBytes ?? 0)
    const top = heapRun.timeline[rss.indexOf(Math.max(...rss))]!
    const { page, errors } = await openPage(browser)
    await openRun(page, heapRun.id, '[data-testid="peak-rss-note"]')
    const note = await page.getByTestId('peak-rss-note').innerText()
    expect(note).toMatch(/^timing pass · heap /)
    // The run's own figures: its heap snapshot takes the process well above the timing pass's peak.
    expect(top.rssBytes!).toBeGreaterThan(heapRun.metrics!.peakRssBytes * 1.05)
    expect(note).toContain(
      `${formatBytes(top.rssBytes!)} during ${top.phase === 'snapshot' ? 'heap snapshot' : top.phase === 'profiling' ? 'profiled pass' : top.phase}`,
    )
    expect(await page.locator('.fact', { hasText: 'Peak memory' }).innerText()).toContain(
      `the timeline peaks at ${formatBytes(top.rssBytes!)}`,
    )
    expect(errors).toEqual([])
    await page.context().close()
  }, 60_000)

  it('an out-of-memory run shows the heap limit it ran with', async () => {
    expect(oomRun.status).toBe('failed')
    const { page, errors } = await openPage(browser)
    await openRun(page, oomRun.id, '.failure')
    const fact = page.locator('.failure .fact').filter({ has: page.locator('dt', { hasText: /^Heap limit$/ }) })
    expect(await fact.innerText()).toMatch(/Heap limit\s+[\d.]+ MB \(--max-old-space-size=48, from the Node flags\)/)
    expect(await page.locator('.failure').innerText()).toMatch(/ran out of memory at its heap limit/)
    await screenshot(page, 'run-timeline-oom-1440x900-light')
    expect(errors).toEqual([])
    await page.context().close()
  }, 60_000)

  it('screenshots of the timeline with a GC tooltip and the header, 1440x900 and 1024x768, light and dark', async () => {
    await forEachLook(browser, async ({ page, errors }, { colorScheme, width: w, height: h }) => {
      await openRun(page, heapRun.id, '#timeline-title')
      await screenshot(page, `run-timeline-header-${w}x${h}-${colorScheme}`)
      await page
        .locator('.timeline-charts')
        .screenshot({ path: path.join(SCREENSHOT_DIR, `run-timeline-charts-${w}x${h}-${colorScheme}.png`) })
      await page.locator('#timeline-title').scrollIntoViewIfNeeded()
      expect((await sweepGcTips(page, 1, /^Major GC/)).length).toBeGreaterThan(0)
      expect(await tipFits(page)).toBe(true)
      await screenshot(page, `run-timeline-gc-${w}x${h}-${colorScheme}`)
      expect(errors).toEqual([])
    })
  }, 180_000)
})
