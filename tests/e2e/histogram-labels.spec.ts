/**
 * The latency histogram's labels (issue 13's defect list: its axis labels overlapped and "p99" was
 * clipped): a real order book run made with the CLI, opened in the browser against `hotpath serve`. The
 * labels are drawn on uPlot's canvas, so the chart publishes what it drew (data-axis-labels,
 * data-marker-labels, in CSS pixels); at 1440x900 and 1024x768, light and dark, and in a narrow window,
 * no shown axis label overlaps another, no marker label overlaps another on its line, and every label
 * lies inside the chart.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { forEachLook, launchBrowser, openPage, screenshot } from './helpers/browser.js'
import { type ServeHandle, hotpathJson, makeTempStore, startServe } from './helpers/serve.js'

let store: Awaited<ReturnType<typeof makeTempStore>>
let serve: ServeHandle
let browser: Browser
let runId: string

beforeAll(async () => {
  store = await makeTempStore('hotpath-e2e-histogram-')
  runId = (
    await hotpathJson<{ id: string }>(
      ['run', 'orderbook', '--variant', 'naive', '--duration', '1s', '--warmup', '200ms', '--label', 'book histogram'],
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

interface DrawnLabel {
  text: string
  left: number
  right: number
  line: number
}

interface Drawn {
  axis: DrawnLabel[]
  markers: DrawnLabel[]
  width: number
}

const host = (page: Page) => page.locator('figure[aria-label="Latency histogram"] .chart-host')

async function drawn(page: Page): Promise<Drawn> {
  const h = host(page)
  await h.scrollIntoViewIfNeeded()
  await page.waitForFunction(
    () => document.querySelector<HTMLElement>('figure[aria-label="Latency histogram"] .chart-host')?.dataset.axisLabels !== undefined,
  )
  // Let a resize settle: the chart redraws (and republishes) at its final width.
  await page.waitForTimeout(300)
  return h.evaluate((el) => {
    const d = (el as HTMLElement).dataset
    return { axis: JSON.parse(d.axisLabels ?? '[]'), markers: JSON.parse(d.markerLabels ?? '[]'), width: Number(d.chartWidth) }
  })
}

/** The problems a user would see: overlapping labels, labels cut off at the chart's edges. */
function problems(d: Drawn): string[] {
  const out: string[] = []
  const shown = (l: DrawnLabel): string => `"${l.text}" [${l.left.toFixed(1)}, ${l.right.toFixed(1)}]`
  const axis = [...d.axis].sort((a, b) => a.left - b.left)
  for (let i = 1; i < axis.length; i++) {
    const a = axis[i - 1]!
    const b = axis[i]!
    if (b.left < a.right + 2) out.push(`axis labels ${shown(a)} and ${shown(b)} overlap`)
  }
  for (const l of [...d.axis, ...d.markers])
    if (l.left < 0 || l.right > d.width) out.push(`${shown(l)} runs past the chart (0..${d.width})`)
  for (let i = 0; i < d.markers.length; i++)
    for (let j = i + 1; j < d.markers.length; j++) {
      const a = d.markers[i]!
      const b = d.markers[j]!
      if (a.line === b.line && a.left < b.right && b.left < a.right) out.push(`marker labels ${shown(a)} and ${shown(b)} overlap`)
    }
  return out
}

async function openRun(page: Page): Promise<void> {
  await page.goto(`${serve.url.split('#')[0]}#/runs/${encodeURIComponent(runId)}`)
  await host(page).waitFor({ timeout: 30_000 })
}

describe('latency histogram labels', () => {
  it('at 1440x900 and 1024x768, light and dark: labels shown, none overlapping, none clipped', async () => {
    await forEachLook(browser, async ({ page, errors }, { colorScheme, width: w, height: h }) => {
      await openRun(page)
      const d = await drawn(page)
      expect(d.axis.length).toBeGreaterThanOrEqual(3)
      expect(d.markers.map((m) => m.text)).toEqual(expect.arrayContaining(['p50', 'p99']))
      expect(problems(d)).toEqual([])
      await screenshot(page, `histogram-${w}x${h}-${colorScheme}`)
      expect(errors).toEqual([])
    })
  }, 120_000)

  it('in a narrow window the labels are thinned, not crowded', async () => {
    const { page, errors } = await openPage(browser)
    await openRun(page)
    const wide = await drawn(page)
    await page.setViewportSize({ width: 700, height: 800 })
    const narrow = await drawn(page)
    expect(narrow.width).toBeLessThan(wide.width)
    expect(narrow.axis.length).toBeGreaterThanOrEqual(2)
    expect(problems(narrow)).toEqual([])
    await screenshot(page, 'histogram-700-light')
    expect(errors).toEqual([])
    await page.context().close()
  }, 60_000)
})
