/**
 * The diff flame graph tells the truth (issue 13, part 1): real naive and optimized order book runs made
 * with the CLI, compared in the browser against `hotpath serve`. Read off the canvas's pixels and the
 * tooltips a user sees: per operation by default, the widest strongly blue (faster) box is `rebuildHeap`,
 * every red box's own time per operation grew, the changed-functions table starts with a function whose
 * ns/op fell, the harness toggle and the side-by-side view work. Screenshots at 1440x900, light and dark.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AppPage, launchBrowser, openPage, screenshot } from './helpers/browser.js'
import { type ServeHandle, hotpath, hotpathJson, makeTempStore, startServe } from './helpers/serve.js'

let store: Awaited<ReturnType<typeof makeTempStore>>
let serve: ServeHandle
let browser: Browser
let naiveId: string
let optimizedId: string
/** Whether the naive process kept rebuildHeap as its own frame, first by self time. */
let rebuildHeapOnTop = false

const ROW_HEIGHT = 18

beforeAll(async () => {
  store = await makeTempStore('hotpath-e2e-diff-')
  const common = ['--profile', 'cpu', '--duration', '1s', '--warmup', '300ms']
  // How V8 compiles the naive book differs between processes: some keep rebuildHeap its own hot frame
  // (self share ~73%), others inline setLevel and part of the heap work into applyUpdatesNaive (rebuildHeap
  // ~20%, applyUpdatesNaive ~57% self). Measured: 4 of 6 processes in the first mode one day, 1 of 6 on
  // another (the CI run that failed on a width hard-coded for the first mode). The spec takes the first of up
  // to five processes in the first mode and asserts what holds in both, plus the name of the table's first
  // row when it can be known.
  for (let attempt = 1; attempt <= 5; attempt++) {
    naiveId = (await hotpathJson<{ id: string }>(['run', 'orderbook', '--variant', 'naive', ...common, '--label', 'book naive'], store.dir))
      .id
    const top = await hotpathJson<{ functions: { name: string }[] }>(['top', naiveId, '--limit', '1'], store.dir)
    rebuildHeapOnTop = top.functions[0]?.name === 'rebuildHeap'
    if (rebuildHeapOnTop) break
    if (attempt < 5) await hotpath(['delete', naiveId], store.dir)
  }
  optimizedId = (
    await hotpathJson<{ id: string }>(['run', 'orderbook', '--variant', 'optimized', ...common, '--label', 'book optimized'], store.dir)
  ).id
  serve = await startServe(store.dir)
  browser = await launchBrowser()
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await serve?.stop()
  await store?.remove()
})

/** Parses "2.20 µs", "31 ns", "0" into nanoseconds. */
function parseNs(text: string): number {
  const t = text.trim()
  if (t === '0') return 0
  const m = /^([\d.,]+)\s*(ns|µs|us|ms|s)$/.exec(t)
  if (!m) throw new Error(`not a duration: ${JSON.stringify(text)}`)
  const value = Number(m[1]!.replace(/,/g, ''))
  return value * { ns: 1, µs: 1e3, us: 1e3, ms: 1e6, s: 1e9 }[m[2] as 'ns']!
}

interface ColourRun {
  row: number
  x0: number
  x1: number
}

/**
 * Runs of strongly blue and strongly red pixels along the middle line of every row of the first diff
 * canvas. Hatched boxes alternate their colour with lighter or darker stripes, so a run tolerates gaps of
 * up to `gap` pixels of another colour (boxes are separated by at least one pixel of background, which
 * ends a run when it is not bridged by the same colour).
 */
async function colourRuns(page: Page, threshold: number): Promise<{ blue: ColourRun[]; red: ColourRun[]; width: number }> {
  return page.evaluate(
    ({ rowHeight, threshold }) => {
      const canvas = document.querySelector('.hp-diff .hp-diff-graph canvas') as HTMLCanvasElement
      const ctx = canvas.getContext('2d')!
      const dpr = canvas.width / canvas.clientWidth
      const rows = Math.floor(canvas.clientHeight / rowHeight)
      const out = {
        blue: [] as { row: number; x0: number; x1: number }[],
        red: [] as { row: number; x0: number; x1: number }[],
        width: canvas.clientWidth,
      }
      for (let row = 0; row < rows; row++) {
        const y = Math.floor((row * rowHeight + rowHeight / 2) * dpr)
        const data = ctx.getImageData(0, y, canvas.width, 1).data
        for (const [name, test] of [
          ['blue', (r: number, _g: number, b: number) => b - r > threshold],
          ['red', (r: number, _g: number, b: number) => r - b > threshold],
        ] as const) {
          let start = -1
          let lastHit = -1
          const flush = (): void => {
            if (start >= 0 && lastHit - start >= 2 * dpr) out[name].push({ row, x0: start / dpr, x1: (lastHit + 1) / dpr })
            start = -1
          }
          for (let x = 0; x < canvas.width; x++) {
            const hit = test(data[x * 4]!, data[x * 4 + 1]!, data[x * 4 + 2]!)
            if (hit) {
              if (start < 0) start = x
              lastHit = x
            } else if (start >= 0 && x - lastHit > 4 * dpr) flush()
          }
          flush()
        }
      }
      return out
    },
    { rowHeight: ROW_HEIGHT, threshold },
  )
}

/** Hovers the middle of a box and returns the tooltip's title and lines. */
async function tooltipAt(page: Page, run: ColourRun): Promise<{ title: string; lines: Record<string, string> }> {
  const canvas = page.locator('.hp-diff .hp-diff-graph canvas').first()
  const box = (await canvas.boundingBox())!
  await page.mouse.move(box.x + (run.x0 + run.x1) / 2, box.y + run.row * ROW_HEIGHT + ROW_HEIGHT / 2)
  const tip = page.locator('.hp-diff .hp-flame-tooltip').first()
  await tip.waitFor({ state: 'visible' })
  return tip.evaluate((el) => {
    const title = el.querySelector('.hp-flame-tooltip-title')?.textContent ?? ''
    const lines: Record<string, string> = {}
    const dts = [...el.querySelectorAll('dt')]
    for (const dt of dts) lines[dt.textContent ?? ''] = dt.nextElementSibling?.textContent ?? ''
    return { title, lines }
  })
}

async function openDiff(app: AppPage): Promise<Page> {
  const { page } = app
  await page.goto(`${serve.url.split('#')[0]}#/compare?ids=${encodeURIComponent(`${naiveId},${optimizedId}`)}`)
  await page.locator('#diff-flame-title').waitFor({ timeout: 60_000 })
  await page.locator('.hp-diff .hp-diff-graph canvas').first().waitFor({ timeout: 60_000 })
  await page.locator('#diff-flame-title').scrollIntoViewIfNeeded()
  // Let the canvas draw its first frame.
  await page.waitForTimeout(300)
  return page
}

describe('the diff flame graph of naive vs optimized order book', () => {
  it('shows rebuildHeap as the widest blue box per operation, and nothing red that did not get slower', async () => {
    const app = await openPage(browser, { colorScheme: 'light' })
    const page = await openDiff(app)
    expect(await page.locator('.hp-diff').getAttribute('data-normalization')).toBe('perOp')
    expect(await page.getByRole('button', { name: 'Per operation' }).getAttribute('aria-pressed')).toBe('true')
    expect(await page.getByLabel('Harness frames hidden').isChecked()).toBe(true)

    // The canvas is as tall as its rows (no empty band below them).
    const graph = page.locator('.hp-diff .hp-diff-graph').first()
    const height = (await graph.boundingBox())!.height
    expect(height).toBeLessThan(16 * ROW_HEIGHT)

    const strong = await colourRuns(page, 50)
    expect(strong.blue.length).toBeGreaterThan(0)
    const widest = strong.blue.reduce((a, b) => (b.x1 - b.x0 > a.x1 - a.x0 ? b : a))
    const tip = await tooltipAt(page, widest)
    expect(tip.title).toBe('rebuildHeap')
    // Removed code, drawn in place (hatched) without any toggle.
    expect(tip.lines.Change).toMatch(/^removed \(faster\)/)
    // Its width is its total time per operation over the root's (the larger side, the naive book's).
    // That share depends on how V8 compiled the naive book in that process (inlined into its caller,
    // rebuildHeap's total share is ~20%; as its own frame, ~75%), so it is read from the root's tooltip.
    const root = await tooltipAt(page, { row: 0, x0: 0, x1: strong.width })
    const [rootBefore, rootAfter] = root.lines['Total per op']!.split('→').map(parseNs)
    const [heapBefore] = tip.lines['Total per op']!.split('→').map(parseNs)
    const expected = heapBefore! / Math.max(rootBefore!, rootAfter!)
    expect(expected).toBeGreaterThan(0.1)
    expect(Math.abs((widest.x1 - widest.x0) / strong.width - expected)).toBeLessThan(0.03)

    // Every red box (any tint) got slower per operation: its own time per op grew.
    const any = await colourRuns(page, 12)
    for (const run of any.red) {
      const red = await tooltipAt(page, run)
      const [before, after] = red.lines['Self per op']!.split('→').map(parseNs)
      expect(after, `${red.title} is red`).toBeGreaterThan(before!)
    }

    // The table's first row is a function whose ns/op fell.
    const first = page.getByRole('table', { name: 'Functions that changed most' }).locator('tbody tr').first()
    const cells = await first.locator('td').allTextContents()
    if (rebuildHeapOnTop) expect(cells[0]).toMatch(/^rebuildHeap/)
    expect(parseNs(cells[3]!)).toBeLessThan(parseNs(cells[2]!))
    await page.mouse.move(0, 0)
    await screenshot(page, 'diff-01-per-op-light')

    // Clicking the row focuses it; the side-by-side view shows both runs' graphs with it selected.
    await first.click()
    expect(await first.getAttribute('aria-selected')).toBe('true')
    await page.getByRole('button', { name: 'Side by side' }).click()
    expect(await page.locator('.hp-diff .hp-diff-graph canvas').count()).toBe(2)
    await first.click()
    await first.click()
    expect(await first.getAttribute('aria-selected')).toBe('true')
    await screenshot(page, 'diff-02-side-by-side-light')
    await page.getByRole('button', { name: 'Diff', exact: true }).click()
    // A second click clears the highlight (other boxes were dimmed around it).
    await first.click()
    expect(await first.getAttribute('aria-selected')).toBe('false')

    // Share of profile: the old reading, where the optimized book's own loop is a bigger share.
    await page.getByRole('button', { name: 'Share of profile' }).click()
    expect(await page.locator('.hp-diff').getAttribute('data-normalization')).toBe('share')
    await page.waitForTimeout(300)
    await screenshot(page, 'diff-04-share-light')
    const shareRuns = await colourRuns(page, 50)
    expect(shareRuns.red.length, JSON.stringify(shareRuns)).toBeGreaterThan(0)
    await page.getByRole('button', { name: 'Per operation' }).click()

    // Showing the harness frames asks the service for a diff with them kept.
    await page.getByLabel('Harness frames hidden').uncheck()
    await page.waitForFunction(() => !(document.querySelector('.hp-diff input[type="checkbox"]') as HTMLInputElement).disabled)
    await page.getByRole('table', { name: 'Functions that changed most' }).getByText('measure').first().waitFor({ timeout: 30_000 })
    await page.getByLabel('Harness frames hidden').check()
    await page.waitForFunction(() => !(document.querySelector('.hp-diff input[type="checkbox"]') as HTMLInputElement).disabled)
    expect(app.errors).toEqual([])
    await app.page.context().close()
  }, 120_000)

  it('reads the same in the dark theme', async () => {
    const app = await openPage(browser, { colorScheme: 'dark' })
    const page = await openDiff(app)
    const strong = await colourRuns(page, 50)
    const widest = strong.blue.reduce((a, b) => (b.x1 - b.x0 > a.x1 - a.x0 ? b : a))
    expect((await tooltipAt(page, widest)).title).toBe('rebuildHeap')
    await page.mouse.move(0, 0)
    await screenshot(page, 'diff-03-per-op-dark')
    expect(app.errors).toEqual([])
    await app.page.context().close()
  }, 120_000)
})
