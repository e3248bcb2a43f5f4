/**
 * Flame graph benchmark and screenshots in Chromium: builds renderer/bench/flame-bench.html with
 * vite.bench.config.ts, serves it on 127.0.0.1, and measures pan/zoom frame times on 100,000- and
 * 1,000,000-frame profiles, first paint after a 100 MB profile is parsed in the worker, and main-thread
 * long tasks meanwhile.
 * Timings are printed, not asserted (shared, noisy machines); only functional facts are asserted.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs'
import { type Server, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Browser, type Page, chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FlameBenchApi } from '../../renderer/bench/flame-bench.js'

/** The page's global, typed from the bench module (a type-only import; casts inside page.evaluate are erased). */
type BenchWindow = { flameBench: FlameBenchApi }

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const DIST = path.join(ROOT, 'dist', 'flame-bench')
const SHOTS = path.join(ROOT, 'test-results', 'screenshots')
const FIXTURES = path.join(ROOT, 'tests', 'fixtures', 'profiles', 'node-20.20.2')
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
}

/** A static file server for the built page, confined to DIST. */
function serve(dir: string): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const file = path.join(dir, path.normalize(decodeURIComponent(url.pathname === '/' ? '/flame-bench.html' : url.pathname)))
    if (!file.startsWith(dir + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found')
      return
    }
    res.writeHead(200, { 'content-type': MIME[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' })
    res.end(readFileSync(file))
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits

interface FrameRecord {
  t: number
  ms: number
  boxes: number
  labels: number
}

interface Drive {
  events: number
  frames: FrameRecord[]
  animationFrames: number[]
  durationMs: number
}

/** Frame statistics of one interaction: frames drawn, their rate, and the time between and within them. */
function frameStats(frames: FrameRecord[], raf: number[], durationMs: number) {
  const gaps = frames.slice(1).map((f, i) => f.t - frames[i]!.t)
  const rafGaps = raf.slice(1).map((t, i) => t - raf[i]!)
  return {
    framesDrawn: frames.length,
    fps: round((frames.length / durationMs) * 1000),
    p50FrameMs: round(percentile(gaps, 50)),
    p95FrameMs: round(percentile(gaps, 95)),
    p95DrawMs: round(
      percentile(
        frames.map((f) => f.ms),
        95,
      ),
      2,
    ),
    maxDrawMs: round(Math.max(...frames.map((f) => f.ms)), 2),
    p95AnimationFrameGapMs: round(percentile(rafGaps, 95)),
    meanBoxes: Math.round(frames.reduce((s, f) => s + f.boxes, 0) / Math.max(1, frames.length)),
  }
}

describe('flame graph bench (Chromium)', () => {
  let server: Server
  let browser: Browser
  let page: Page
  const pageErrors: string[] = []
  const figures: Record<string, unknown> = {}

  beforeAll(async () => {
    const build = spawnSync(
      process.execPath,
      [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'vite.bench.config.ts'],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    )
    if (build.status !== 0) throw new Error(`vite build of the bench page failed:\n${build.stdout}\n${build.stderr}`)
    mkdirSync(SHOTS, { recursive: true })
    server = await serve(DIST)
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    })
    page = await browser.newPage({ viewport: { width: 1216, height: 736 }, deviceScaleFactor: 1 })
    page.on('pageerror', (e) => pageErrors.push(e.message))
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text())
    })
    const { port } = server.address() as AddressInfo
    await page.goto(`http://127.0.0.1:${port}/flame-bench.html`)
    await page.waitForSelector('body[data-ready="true"]')
  })

  afterAll(async () => {
    console.log(`[flame-bench] figures\n${JSON.stringify(figures, null, 2)}`)
    await browser?.close()
    await new Promise((r) => (server ? server.close(r) : r(undefined)))
  })

  const bench = <T>(fn: string, arg?: unknown): Promise<T> =>
    page.evaluate(
      ([name, a]) =>
        ((window as unknown as BenchWindow).flameBench as unknown as Record<string, (x: unknown) => unknown>)[name as string]!(a),
      [fn, arg] as const,
    ) as Promise<T>

  const shot = async (name: string): Promise<void> => {
    await page.waitForTimeout(120)
    await page.locator('#stage').screenshot({ path: path.join(SHOTS, `flame-${name}.png`) })
  }

  const canvasBox = async () => {
    const box = await page.locator('.hp-flame canvas').first().boundingBox()
    if (!box) throw new Error('no flame graph canvas')
    return box
  }

  /**
   * Zooms (per-frame input, then real Ctrl+wheel notches) and pans (per-frame horizontal wheel, then a real
   * drag) a synthetic profile of `nodes` frames; records the figures under `key`.
   */
  const zoomAndPan = async (key: string, nodes: number, samples: number): Promise<void> => {
    const generated = await bench<{ bytes: number; generateMs: number }>('generate', { nodes, samples })
    const opened = await bench<{ nodes: number; flameBoxes: number; openMs: number }>('open')
    expect(opened.nodes).toBeGreaterThanOrEqual(nodes - 4)
    expect(opened.flameBoxes).toBeGreaterThanOrEqual(nodes - 4)
    const paint = await bench<{ firstPaintMs: number; boxes: number }>('mount', { theme: 'light' })
    expect(paint.boxes).toBeGreaterThan(0)
    const box = await canvasBox()
    const cx = box.x + box.width / 2
    const cy = box.y + box.height / 2

    // One wheel event per animation frame from inside the page: how fast frames follow input.
    const zoom = await bench<Drive>('drive', { kind: 'zoom', durationMs: 2000 })
    figures[`${key}.zoomPerFrameInput`] = {
      events: zoom.events,
      durationMs: round(zoom.durationMs),
      ...frameStats(zoom.frames, zoom.animationFrames, zoom.durationMs),
    }

    // Real wheel input through the DevTools protocol, around a wandering cursor (input-rate bound).
    await page.mouse.move(cx, cy)
    await bench('takeFrames')
    await bench('startRafMonitor')
    let t0 = Date.now()
    let notches = 0
    // Ctrl+wheel zooms (a plain wheel scrolls the page).
    await page.keyboard.down('Control')
    while (Date.now() - t0 < 2000) {
      const inward = Math.floor(notches / 12) % 2 === 0
      await page.mouse.move(cx + Math.sin(notches / 5) * box.width * 0.3, cy)
      await page.mouse.wheel(0, inward ? -120 : 120)
      notches++
    }
    await page.keyboard.up('Control')
    let elapsed = Date.now() - t0
    await page.waitForTimeout(50)
    const wheelFrames = await bench<FrameRecord[]>('takeFrames')
    const wheelRaf = await bench<number[]>('stopRafMonitor')
    figures[`${key}.zoomRealWheel`] = { wheelEvents: notches, durationMs: elapsed, ...frameStats(wheelFrames, wheelRaf, elapsed) }

    // Real wheel events at a trackpad's rate (one every 16 ms, Ctrl held), sent through the DevTools
    // protocol without waiting for each to be handled: what the page draws when input outpaces a
    // round trip, as a smooth-scrolling device's does.
    const cdp = await page.context().newCDPSession(page)
    await bench('takeFrames')
    await bench('startRafMonitor')
    const sent: Promise<unknown>[] = []
    let paced = 0
    t0 = Date.now()
    while (Date.now() - t0 < 2000) {
      const inward = Math.floor(paced / 30) % 2 === 0
      sent.push(
        cdp.send('Input.dispatchMouseEvent', {
          type: 'mouseWheel',
          x: cx + Math.sin(paced / 12) * box.width * 0.3,
          y: cy,
          deltaX: 0,
          deltaY: inward ? -40 : 40,
          modifiers: 2, // Ctrl
        }),
      )
      paced++
      await new Promise((r) => setTimeout(r, 16))
    }
    await Promise.all(sent)
    elapsed = Date.now() - t0
    await page.waitForTimeout(50)
    const pacedFrames = await bench<FrameRecord[]>('takeFrames')
    const pacedRaf = await bench<number[]>('stopRafMonitor')
    await cdp.detach()
    figures[`${key}.zoomRealWheel60Hz`] = { wheelEvents: paced, durationMs: elapsed, ...frameStats(pacedFrames, pacedRaf, elapsed) }

    // Zoom in 8 notches, then pan: horizontal wheel per frame in the page, then a real mouse drag.
    await page.keyboard.down('Control')
    for (let k = 0; k < 8; k++) await page.mouse.wheel(0, -120)
    await page.keyboard.up('Control')
    await page.waitForTimeout(100)
    const panWheel = await bench<Drive>('drive', { kind: 'pan', durationMs: 2000 })
    figures[`${key}.panPerFrameInput`] = {
      events: panWheel.events,
      durationMs: round(panWheel.durationMs),
      ...frameStats(panWheel.frames, panWheel.animationFrames, panWheel.durationMs),
    }

    await bench('takeFrames')
    await bench('startRafMonitor')
    await page.mouse.move(cx, cy)
    await page.mouse.down()
    t0 = Date.now()
    let moves = 0
    while (Date.now() - t0 < 2000) {
      moves++
      await page.mouse.move(cx + Math.cos(moves / 10) * 250, cy + Math.sin(moves / 7) * 120)
    }
    elapsed = Date.now() - t0
    await page.mouse.up()
    await page.waitForTimeout(50)
    const dragFrames = await bench<FrameRecord[]>('takeFrames')
    const dragRaf = await bench<number[]>('stopRafMonitor')
    figures[`${key}.panRealDrag`] = { pointerMoves: moves, durationMs: elapsed, ...frameStats(dragFrames, dragRaf, elapsed) }
    figures[key] = {
      ...generated,
      nodes: opened.nodes,
      flameBoxes: opened.flameBoxes,
      openMs: round(opened.openMs),
      firstPaintMs: round(paint.firstPaintMs),
    }

    for (const frames of [zoom.frames, wheelFrames, pacedFrames, panWheel.frames, dragFrames]) {
      expect(frames.length).toBeGreaterThan(10)
      expect(frames.every((f) => f.boxes > 0)).toBe(true)
    }
    expect(pageErrors).toEqual([])

    await bench('mount', { theme: 'light' })
    await shot(`synthetic-${key}`)
  }

  it('zooms and pans a 100,000-frame flame graph', async () => {
    await zoomAndPan('frames100k', 100_004, 400_000)
  })

  it('zooms and pans a 1,000,000-frame flame graph', async () => {
    await zoomAndPan('frames1M', 1_000_004, 2_000_000)
  }, 300_000)

  it('parses a 100 MB profile in the worker and paints it soon after', async () => {
    const generated = await bench<{ bytes: number; generateMs: number }>('generate', { nodes: 400_000, samples: 3_600_000, seed: 3 })
    const opened = await bench<{
      openMs: number
      worker: Record<string, number>
      nodes: number
      flameBoxes: number
      stackChartBoxes: number
      longTasksDuringParse: { startMs: number; durationMs: number }[]
      longTasksAtArrival: { startMs: number; durationMs: number }[]
      maxFrameGapMs: number
      animationFrames: number
    }>('open')
    const paint = await bench<{ firstDrawMs: number; firstPaintMs: number; boxes: number }>('mount', { theme: 'light' })
    const chart = await bench<{ boxes: number; workerMs: number; roundTripMs: number }>('stackChart')
    // The time-ordered layout of the same profile: millions of boxes, zoomed one wheel event per frame.
    await page.getByRole('button', { name: 'Time order' }).click()
    await page.waitForSelector('.hp-flame[data-layout="time"]', { timeout: 60_000 })
    const timeZoom = await bench<Drive>('drive', { kind: 'zoom', durationMs: 2000 })
    figures.zoomStackChart100MB = { events: timeZoom.events, ...frameStats(timeZoom.frames, timeZoom.animationFrames, timeZoom.durationMs) }
    expect(timeZoom.frames.length).toBeGreaterThan(10)
    figures.profile100MB = {
      megabytes: round(generated.bytes / 2 ** 20),
      nodes: opened.nodes,
      flameBoxes: opened.flameBoxes,
      openMs: round(opened.openMs),
      workerMs: Object.fromEntries(Object.entries(opened.worker).map(([k, v]) => [k, round(v)])),
      mainThreadDuringOpen: {
        longTasksDuringParse: opened.longTasksDuringParse.map((t) => round(t.durationMs)),
        longTasksAtArrival: opened.longTasksAtArrival.map((t) => round(t.durationMs)),
        animationFrames: opened.animationFrames,
        maxFrameGapMs: round(opened.maxFrameGapMs),
      },
      firstDrawMs: round(paint.firstDrawMs),
      firstPaintMs: round(paint.firstPaintMs),
      stackChartOnRequest: { boxes: chart.boxes, workerMs: round(chart.workerMs), roundTripMs: round(chart.roundTripMs) },
    }
    expect(generated.bytes).toBeGreaterThan(95 * 2 ** 20)
    expect(opened.nodes).toBeGreaterThanOrEqual(400_000)
    expect(chart.boxes).toBeGreaterThan(0)
    // The main thread kept animating while the worker parsed (a frozen thread would give one frame).
    expect(opened.animationFrames).toBeGreaterThan(2)
    expect(paint.boxes).toBeGreaterThan(0)
    expect(pageErrors).toEqual([])
  }, 300_000)

  it('draws a real CPU profile: light and dark, flame and icicle, search, selection, time order, tables', async () => {
    await bench('load', {
      text: readFileSync(path.join(FIXTURES, 'prettier-check.cpuprofile'), 'utf8'),
      fileName: 'prettier-check.cpuprofile',
    })
    await bench('open')
    await bench('mount', { theme: 'light', orientation: 'icicle', withTable: true })
    await shot('light-icicle')

    // Select a frame by clicking it: the table follows; hover another for the tooltip.
    const box = await canvasBox()
    await page.mouse.click(box.x + box.width * 0.2, box.y + 18 * 4 + 9)
    await page.mouse.move(box.x + box.width * 0.3, box.y + 18 * 6 + 9)
    await page.waitForSelector('.hp-flame-tooltip:not([hidden])')
    await shot('selected-tooltip')
    expect(await page.locator('.hp-calltree-row[aria-selected="true"]').count()).toBe(1)

    // Keyboard (icicle): Up goes to the caller, Down back to its heaviest callee (the clicked frame,
    // the heaviest child of its caller here), Escape clears.
    const selected = () => page.locator('.hp-flame-selected').textContent()
    const clicked = await selected()
    await page.keyboard.press('ArrowUp')
    expect(await selected()).not.toBe(clicked)
    await page.keyboard.press('ArrowDown')
    expect(await selected()).toBe(clicked)
    await page.keyboard.press('Escape')
    expect(await page.locator('.hp-flame-selected').count()).toBe(0)
    expect(await page.locator('.hp-calltree-row[aria-selected="true"]').count()).toBe(0)

    // Double click focuses a frame: the breadcrumb shows its path; the first crumb resets.
    await page.mouse.dblclick(box.x + box.width * 0.2, box.y + 18 * 4 + 9)
    await expect.poll(() => page.locator('.hp-flame-crumb').count()).toBeGreaterThanOrEqual(3)
    await shot('focused')
    await page.locator('.hp-flame-breadcrumb button').first().click()
    await expect.poll(() => page.locator('.hp-flame-crumb').count()).toBe(0)

    await page.getByRole('button', { name: 'Flame', exact: true }).click()
    await page.mouse.move(0, 0)
    await shot('light-flame')

    await page.locator('.hp-flame-search').fill('parse')
    await page.waitForFunction(() => /matches|match/.test(document.querySelector('.hp-flame-matches')?.textContent ?? ''))
    const matches = await page.locator('.hp-flame-matches').textContent()
    expect(matches).toMatch(/^\d[\d,]* match(es)?, \d+(\.\d)?% of total$/)
    await shot('search')

    await page.locator('.hp-flame-search').fill('')
    await page.getByRole('button', { name: 'Time order' }).click()
    await page.waitForSelector('.hp-flame[data-layout="time"]')
    await shot('stack-chart')

    await page.getByRole('tab', { name: 'Bottom-up' }).click()
    await page.locator('.hp-calltree-body').focus()
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('h')
    await shot('calltree-bottom-up')

    // The sandwich of the hottest frame: top-down, expand the heaviest path (h), then Sandwich.
    await page.getByRole('tab', { name: 'Top-down' }).click()
    await page.locator('.hp-calltree-body').focus()
    await page.keyboard.press('h')
    await page.getByRole('tab', { name: 'Sandwich' }).click()
    await page.waitForSelector('.hp-calltree-focus')
    expect(await page.locator('.hp-calltree-pane').first().locator('.hp-calltree-row').count()).toBeGreaterThan(0)
    await shot('calltree-sandwich')

    await bench('mount', { theme: 'dark', orientation: 'flame', withTable: true })
    await page.locator('.hp-calltree-body').focus()
    await page.keyboard.press('h')
    await shot('dark-flame')
    await bench('mount', { theme: 'dark', orientation: 'icicle' })
    await shot('dark-icicle')
    expect(pageErrors).toEqual([])
  })

  it('draws an allocation profile in bytes', async () => {
    await bench('load', { text: readFileSync(path.join(FIXTURES, 'alloc-burst.heapprofile'), 'utf8'), fileName: 'alloc-burst.heapprofile' })
    const opened = await bench<{ stackChartBoxes: number }>('open')
    expect(opened.stackChartBoxes).toBe(0)
    await bench('mount', { theme: 'light', withTable: true })
    expect(await page.getByRole('button', { name: 'Time order' }).count()).toBe(0)
    await expect.poll(() => page.locator('.hp-flame-breadcrumb button').first().textContent()).toMatch(/B\)$/)
    await shot('alloc')
    expect(pageErrors).toEqual([])
  })

  it('draws the differential flame graph', async () => {
    const diff = await bench<{ functions: number; statuses: Record<string, number>; boxes: number }>('mountDiff', { theme: 'light' })
    expect(diff.boxes).toBeGreaterThan(0)
    expect(diff.statuses.new ?? 0).toBeGreaterThan(0)
    expect(diff.statuses.gone ?? 0).toBeGreaterThan(0)
    figures.diff = diff
    await shot('diff')
    await page.getByRole('button', { name: 'Side by side' }).click()
    await shot('diff-sides')
    await page.getByRole('button', { name: 'Diff', exact: true }).click()
    await page.locator('.hp-diff-changes tbody tr').first().click()
    await shot('diff-highlight')
    await bench('mountDiff', { theme: 'dark' })
    await shot('diff-dark')

    // Three runs a side: the table gains Welch p-values, and what changed is significant.
    const tested = await bench<{ test: string; significant: number }>('mountDiff', { theme: 'light', runs: 3 })
    expect(tested.test).toBe('welch-t')
    expect(tested.significant).toBeGreaterThan(0)
    expect(await page.getByRole('columnheader', { name: 'p', exact: true }).count()).toBe(1)
    await shot('diff-significance')
    expect(pageErrors).toEqual([])
  })

  it('draws sharp at a device pixel ratio of 2', async () => {
    const hiDpi = await browser.newPage({ viewport: { width: 1216, height: 736 }, deviceScaleFactor: 2 })
    try {
      await hiDpi.goto(page.url())
      await hiDpi.waitForSelector('body[data-ready="true"]')
      const text = readFileSync(path.join(FIXTURES, 'prettier-check.cpuprofile'), 'utf8')
      await hiDpi.evaluate(
        (t) => (window as unknown as BenchWindow).flameBench.load({ text: t, fileName: 'prettier-check.cpuprofile' }),
        text,
      )
      await hiDpi.evaluate(() => (window as unknown as BenchWindow).flameBench.open())
      await hiDpi.evaluate(() => (window as unknown as BenchWindow).flameBench.mount({ theme: 'light' }))
      const size = await hiDpi
        .locator('.hp-flame canvas')
        .evaluate((c: HTMLCanvasElement) => ({ w: c.width, h: c.height, cssW: c.clientWidth, cssH: c.clientHeight }))
      expect(size.w).toBe(size.cssW * 2)
      expect(size.h).toBe(size.cssH * 2)
      await hiDpi.waitForTimeout(120)
      await hiDpi.locator('#stage').screenshot({ path: path.join(SHOTS, 'flame-light-icicle-2x.png') })
    } finally {
      await hiDpi.close()
    }
  })
})
