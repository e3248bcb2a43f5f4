import { describe, expect, it } from 'vitest'
import { type FlameRow, type FlameRows, computeFlameRows } from '../../../../core/analysis/flame-graph.js'
import { getFunctionName } from '../../../../core/model/call-tree.js'
import { createStatsRng } from '../../../../core/stats/rng.js'
import {
  MERGE_BELOW_PX,
  type FlameContext,
  type RowRuns,
  collectRowRuns,
  createDrawScratch,
  createRowRuns,
  drawFlameGraph,
  fitText,
} from '../../../../renderer/src/features/flame-graph/draw-flame-graph.js'
import { PALETTES } from '../../../../renderer/src/features/flame-graph/flame-colors.js'
import { FULL_VIEWPORT, ROW_HEIGHT, type Viewport } from '../../../../renderer/src/features/flame-graph/viewport.js'
import { treeFromText } from '../../../helpers/profile-from-text.js'

/** A row from [start, end) pairs. */
function makeRow(boxes: [number, number][]): FlameRow {
  return {
    length: boxes.length,
    start: Float64Array.from(boxes, (b) => b[0]),
    end: Float64Array.from(boxes, (b) => b[1]),
    node: Int32Array.from(boxes, (_, i) => i),
  }
}

function runsOf(out: RowRuns) {
  return Array.from({ length: out.length }, (_, k) => ({
    x: out.x[k]!,
    width: out.width[k]!,
    first: out.first[k]!,
    count: out.count[k]!,
    hit: out.hit[k]!,
  }))
}

/** The obvious merge: visit every box; the real one skips boxes that share a pixel. */
function naiveRuns(row: FlameRow, v: Viewport, width: number, matches: Uint8Array | null) {
  const scale = width / (v.x1 - v.x0)
  const out: { x: number; width: number; first: number; count: number; hit: number }[] = []
  let run: (typeof out)[number] | null = null
  for (let i = 0; i < row.length; i++) {
    if (row.end[i]! <= v.x0) continue
    if (row.start[i]! >= v.x1) break
    const l = (row.start[i]! - v.x0) * scale
    const r = (row.end[i]! - v.x0) * scale
    const hit = matches ? matches[row.node[i]!]! : 1
    const small = r - l < MERGE_BELOW_PX
    if (run && small && l <= run.x + run.width + 1 && l < width) {
      run.width = Math.max(run.x + run.width, r) - run.x
      run.count++
      run.hit = run.hit || hit
      continue
    }
    if (run) out.push(run)
    run = null
    if (small) run = { x: l, width: r - l, first: i, count: 1, hit }
    else out.push({ x: l, width: r - l, first: i, count: 1, hit })
  }
  if (run) out.push(run)
  return out
}

describe('collectRowRuns (the sub-pixel merge)', () => {
  it('draws wide boxes alone and merges a run of tiny ones into one rectangle', () => {
    // 1000 boxes of 0.00001 each fill [0, 0.01): 10 px on a 1000 px canvas. Then one wide box.
    const tiny: [number, number][] = Array.from({ length: 1000 }, (_, i) => [i * 1e-5, (i + 1) * 1e-5])
    const row = makeRow([...tiny, [0.5, 0.9]])
    const runs = runsOf(collectRowRuns(row, FULL_VIEWPORT, 1000, createRowRuns(4)))
    expect(runs).toHaveLength(2)
    expect(runs[0]).toMatchObject({ first: 0, count: 1000, hit: 1 })
    expect(runs[0]!.x).toBeCloseTo(0, 9)
    expect(runs[0]!.width).toBeCloseTo(10, 6)
    expect(runs[1]).toMatchObject({ first: 1000, count: 1 })
    expect(runs[1]!.x).toBeCloseTo(500, 9)
    expect(runs[1]!.width).toBeCloseTo(400, 9)
  })

  it('keeps runs apart across a gap wider than a pixel', () => {
    const row = makeRow([
      [0, 0.0005],
      [0.0005, 0.001],
      [0.005, 0.0055],
    ])
    const runs = runsOf(collectRowRuns(row, FULL_VIEWPORT, 1000, createRowRuns()))
    expect(runs.map((r) => [r.first, r.count])).toEqual([
      [0, 2],
      [2, 1],
    ])
  })

  it('culls boxes outside the viewport, and a zoomed-in tiny box is drawn alone', () => {
    const row = makeRow([
      [0, 0.2],
      [0.2, 0.2001],
      [0.2001, 0.6],
      [0.6, 1],
    ])
    const zoomed = runsOf(collectRowRuns(row, { x0: 0.19, x1: 0.21, y: 0 }, 1000, createRowRuns()))
    expect(zoomed.map((r) => r.first)).toEqual([0, 1, 2])
    expect(zoomed[1]!.count).toBe(1)
    expect(zoomed[1]!.width).toBeCloseTo(5, 6)
    expect(runsOf(collectRowRuns(row, { x0: 0.7, x1: 0.8, y: 0 }, 1000, createRowRuns())).map((r) => r.first)).toEqual([3])
  })

  it('lights a merged run up when any box in it matches the search, even one it skipped', () => {
    const tiny: [number, number][] = Array.from({ length: 500 }, (_, i) => [i * 1e-6, (i + 1) * 1e-6])
    const row = makeRow(tiny)
    const matches = new Uint8Array(500)
    const [dark] = runsOf(collectRowRuns(row, FULL_VIEWPORT, 1000, createRowRuns(), matches))
    expect(dark).toMatchObject({ count: 500, hit: 0 })
    matches[321] = 1
    const [lit] = runsOf(collectRowRuns(row, FULL_VIEWPORT, 1000, createRowRuns(), matches))
    expect(lit).toMatchObject({ count: 500, hit: 1 })
  })

  it('agrees with the visit-every-box merge on random rows and viewports', () => {
    const rng = createStatsRng(7)
    for (let trial = 0; trial < 200; trial++) {
      const boxes: [number, number][] = []
      let x = 0
      const n = 1 + rng.below(3000)
      for (let i = 0; i < n && x < 1; i++) {
        // Mostly tiny boxes, some wide ones, and gaps of every size.
        const w = rng.next() < 0.9 ? rng.next() * 2e-4 : rng.next() * 0.05
        const gap = rng.next() < 0.2 ? rng.next() * 3e-3 : 0
        const s = x + gap
        const e = Math.min(1, s + w)
        if (e <= s) break
        boxes.push([s, e])
        x = e
      }
      const row = makeRow(boxes)
      const a = rng.next() * 0.9
      const v: Viewport = rng.next() < 0.5 ? FULL_VIEWPORT : { x0: a, x1: a + rng.next() * (1 - a) + 1e-9, y: 0 }
      const matches = rng.next() < 0.5 ? null : Uint8Array.from({ length: boxes.length }, () => (rng.next() < 0.01 ? 1 : 0))
      const width = 300 + rng.below(1500)
      const fast = runsOf(collectRowRuns(row, v, width, createRowRuns(2), matches))
      const slow = naiveRuns(row, v, width, matches)
      expect(fast.length).toBe(slow.length)
      fast.forEach((r, k) => {
        const s = slow[k]!
        expect([r.first, r.count, r.hit]).toEqual([s.first, s.count, s.hit])
        expect(r.x).toBeCloseTo(s.x, 6)
        expect(r.width).toBeCloseTo(s.width, 6)
      })
    }
  })
})

describe('fitText', () => {
  const measure = (s: string): number => s.length * 7

  it('keeps text that fits', () => {
    expect(fitText('parse', 35, measure)).toBe('parse')
  })

  it('cuts to the longest prefix that fits with an ellipsis', () => {
    const fitted = fitText('processOrderBookUpdates', 70, measure)
    expect(fitted).toBe('processOr…')
    expect(measure(fitted)).toBeLessThanOrEqual(70)
    expect(measure('processOrd…')).toBeGreaterThan(70)
  })

  it('gives nothing rather than a lone ellipsis or a stub of a name', () => {
    expect(fitText('parse', 10, measure)).toBe('')
    expect(fitText('parseColor', 20, measure)).toBe('')
    expect(fitText('parseColor', 28, measure)).toBe('par…')
    expect(fitText('parse', 0, measure)).toBe('')
    expect(fitText('', 100, measure)).toBe('')
  })

  it('works with a proportional measure', () => {
    const widths: Record<string, number> = { i: 3, l: 3, m: 11, w: 11, '…': 8 }
    const proportional = (s: string): number => [...s].reduce((sum, c) => sum + (widths[c] ?? 7), 0)
    for (const room of [20, 33, 47, 60, 81]) {
      const fitted = fitText('mmmiiilllwwwmmm', room, proportional)
      expect(proportional(fitted)).toBeLessThanOrEqual(room)
      const k = fitted.length - 1
      if (k > 0 && fitted.endsWith('…')) expect(proportional('mmmiiilllwwwmmm'.slice(0, k + 1) + '…')).toBeGreaterThan(room)
    }
  })
})

/** Records what the drawing does, with text 6 px per character. */
function fakeContext() {
  const calls = {
    rects: [] as { x: number; y: number; w: number; h: number; fill: string }[],
    texts: [] as { text: string; x: number; y: number; fill: string }[],
    strokes: [] as { x: number; y: number; w: number; h: number; stroke: string }[],
    transform: [] as number[],
  }
  const ctx: FlameContext = {
    fillStyle: '',
    strokeStyle: '',
    lineWidth: 1,
    font: '',
    textBaseline: 'alphabetic',
    setTransform: ((...args: number[]) => (calls.transform = args)) as FlameContext['setTransform'],
    fillRect(x, y, w, h) {
      calls.rects.push({ x, y, w, h, fill: String(this.fillStyle) })
    },
    clearRect() {},
    fillText(text, x, y) {
      calls.texts.push({ text, x, y, fill: String(this.fillStyle) })
    },
    measureText: (text: string) => ({ width: text.length * 6 }) as TextMetrics,
    strokeRect(x, y, w, h) {
      calls.strokes.push({ x, y, w, h, stroke: String(this.strokeStyle) })
    },
  }
  return { ctx, calls }
}

describe('drawFlameGraph', () => {
  const tree = treeFromText(`
    main   main   main    main
    parse  parse  render
    lexTheInputIntoTokens
  `)
  const rows = computeFlameRows(tree)
  const nameOf = (node: number): string => getFunctionName(tree.functions, tree.nodes.func[node]!)
  const options = (extra: Partial<Parameters<typeof drawFlameGraph>[1]> = {}): Parameters<typeof drawFlameGraph>[1] => ({
    rows,
    viewport: FULL_VIEWPORT,
    width: 400,
    height: 200,
    dpr: 2,
    orientation: 'icicle',
    palette: PALETTES.light,
    colorOf: (node) => `#0000${(10 + node).toString(16).padStart(2, '0')}`,
    dimmedColorOf: () => '#eeeeee',
    labelOf: nameOf,
    ...extra,
  })

  it('fills the background, then one box per node, at the device pixel ratio', () => {
    const { ctx, calls } = fakeContext()
    const stats = drawFlameGraph(ctx, options(), createDrawScratch())
    expect(calls.transform).toEqual([2, 0, 0, 2, 0, 0])
    expect(calls.rects[0]).toMatchObject({ x: 0, y: 0, w: 400, h: 200, fill: PALETTES.light.background })
    expect(stats.boxes).toBe(rows.rows.reduce((sum, r) => sum + r.length, 0))
    expect(stats.rows).toBe(rows.rows.length)
    const render = calls.rects.find((r) => r.y === 2 * ROW_HEIGHT && r.x === 200)!
    expect(render.w).toBe(99)
    expect(render.h).toBe(ROW_HEIGHT - 1)
  })

  it('labels boxes with names cut to fit, starting at the visible part of the box', () => {
    const { ctx, calls } = fakeContext()
    drawFlameGraph(ctx, options(), createDrawScratch())
    const texts = calls.texts.map((t) => t.text)
    expect(texts).toEqual(expect.arrayContaining(['(root)', 'main', 'parse', 'render']))
    // lex… is 100 px wide: 100 − 1 gap − 2 × 4 padding = 91 px, 15 characters at 6 px.
    expect(texts).toContain('lexTheInputInt…')
    const zoomed = fakeContext()
    drawFlameGraph(zoomed.ctx, options({ viewport: { x0: 0.1, x1: 0.3, y: 0 } }), createDrawScratch())
    const main = zoomed.calls.texts.find((t) => t.text === 'main')!
    expect(main.x).toBe(4)
  })

  it('mirrors rows in flame orientation and draws only the rows on screen', () => {
    const { ctx, calls } = fakeContext()
    const stats = drawFlameGraph(ctx, options({ orientation: 'flame', height: 2 * ROW_HEIGHT }), createDrawScratch())
    expect(stats.rows).toBe(3)
    const rootBox = calls.rects.find((r) => r.w >= 399 && r.y === ROW_HEIGHT)
    expect(rootBox).toBeDefined()
  })

  it('dims boxes that do not match the search', () => {
    const { ctx, calls } = fakeContext()
    const matches = new Uint8Array(tree.nodes.length)
    const parse = tree.nodes.func.findIndex((f) => getFunctionName(tree.functions, f) === 'parse')
    matches[parse] = 1
    drawFlameGraph(ctx, options({ matches }), createDrawScratch())
    const boxes = calls.rects.slice(1)
    expect(boxes.filter((r) => r.fill !== '#eeeeee')).toHaveLength(1)
    expect(calls.texts.find((t) => t.text === 'parse')!.fill).not.toBe(PALETTES.light.textDimmed)
    expect(calls.texts.find((t) => t.text === 'main')!.fill).toBe(PALETTES.light.textDimmed)
  })

  it('outlines the selected node and the hovered box', () => {
    const { ctx, calls } = fakeContext()
    const render = tree.nodes.func.findIndex((f) => getFunctionName(tree.functions, f) === 'render')
    const index = Array.from(rows.rows[2]!.node).indexOf(render)
    drawFlameGraph(ctx, options({ selectedNode: render, hoveredBox: { depth: 1, index: 0, node: 1 } }), createDrawScratch())
    expect(calls.strokes).toHaveLength(2)
    expect(calls.strokes[0]).toMatchObject({ x: 201, y: 2 * ROW_HEIGHT + 1, stroke: PALETTES.light.selectedOutline })
    expect(index).toBeGreaterThanOrEqual(0)
    expect(calls.strokes[1]!.stroke).toBe(PALETTES.light.hoverOutline)
  })

  it('draws a 100,000-box row as a handful of rectangles', () => {
    const n = 100_000
    const big: FlameRows = {
      span: 1,
      rows: [makeRow([[0, 1]]), makeRow(Array.from({ length: n }, (_, i) => [i / n, (i + 1) / n] as [number, number]))],
    }
    const { ctx, calls } = fakeContext()
    const stats = drawFlameGraph(ctx, options({ rows: big, labelOf: () => 'f', colorOf: () => '#abcdef' }), createDrawScratch())
    // 100,000 boxes on 400 px are 0.004 px each: the row is one merged run.
    expect(stats.mergedRuns).toBe(1)
    expect(calls.rects.length).toBe(1 + 2)
  })
})
