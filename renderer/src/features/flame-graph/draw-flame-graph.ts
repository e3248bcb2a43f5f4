/**
 * Draws FlameRows on a 2D canvas: only the rows and boxes in the viewport, runs of sub-pixel boxes
 * merged into one rectangle, labels fitted with an ellipsis, search misses dimmed, the selection and
 * the hovered box outlined. Imperative and React-free; the merge and text fitting are pure and tested.
 */
import type { FlameRow, FlameRows } from '../../../../core/analysis/flame-graph.js'
import type { CssPixels, NodeIndex } from '../../../../core/model/units.js'
import type { FlamePalette } from './flame-colors.js'
import { labelColorOn } from './flame-colors.js'
import { type FlameBox, firstBoxEndingAfter } from './hit-test.js'
import { type FlameOrientation, ROW_HEIGHT, type Viewport, rowTop, visibleDepths } from './viewport.js'

/** Boxes narrower than this are merged with their neighbours into runs (CSS pixels). */
export const MERGE_BELOW_PX: CssPixels = 2
/** Boxes narrower than this get no label. */
export const MIN_LABEL_PX: CssPixels = 22
const LABEL_PADDING: CssPixels = 4
export const LABEL_FONT = '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'

/**
 * What one row draws: real boxes (count 1) and merged runs (count > 1), left to right. Struct of
 * arrays reused across frames, so drawing allocates nothing per box.
 */
export interface RowRuns {
  length: number
  /** Left edge and width, in CSS pixels from the canvas's left edge (may start left of 0). */
  x: Float64Array
  width: Float64Array
  /** Index in the row of the run's first box. */
  first: Int32Array
  /** Boxes in the run (1 for a box drawn alone). */
  count: Int32Array
  /** 1 when a box of the run is a search match (or there is no search). */
  hit: Uint8Array
}

export function createRowRuns(capacity = 512): RowRuns {
  return {
    length: 0,
    x: new Float64Array(capacity),
    width: new Float64Array(capacity),
    first: new Int32Array(capacity),
    count: new Int32Array(capacity),
    hit: new Uint8Array(capacity),
  }
}

function pushRun(out: RowRuns, x: number, width: number, first: number, count: number, hit: number): void {
  if (out.length === out.x.length) {
    const cap = out.x.length * 2
    const grow = <T extends Float64Array | Int32Array | Uint8Array>(a: T, b: T): T => {
      b.set(a)
      return b
    }
    out.x = grow(out.x, new Float64Array(cap))
    out.width = grow(out.width, new Float64Array(cap))
    out.first = grow(out.first, new Int32Array(cap))
    out.count = grow(out.count, new Int32Array(cap))
    out.hit = grow(out.hit, new Uint8Array(cap))
  }
  const k = out.length++
  out.x[k] = x
  out.width[k] = width
  out.first[k] = first
  out.count[k] = count
  out.hit[k] = hit
}

/**
 * The runs of one row in the viewport. Boxes at least `minBoxPx` wide are drawn alone; consecutive
 * narrower boxes with less than a pixel between them become one run. Inside a run the scan jumps, by
 * binary search, to the first box that ends past the next pixel, so a row costs O(pixels × log boxes)
 * however many thousands of boxes it holds (the skipped boxes are under a pixel wide and under a pixel
 * apart, so they could not change what is drawn).
 */
export function collectRowRuns(
  row: FlameRow,
  viewport: Viewport,
  width: CssPixels,
  out: RowRuns,
  matches: Uint8Array | null = null,
  minBoxPx: CssPixels = MERGE_BELOW_PX,
): RowRuns {
  out.length = 0
  const { x0, x1 } = viewport
  const scale = width / (x1 - x0)
  const unitPerPx = (x1 - x0) / width
  const n = row.length
  const hitOf = (k: number): number => (matches === null ? 1 : matches[row.node[k]!]!)
  let i = firstBoxEndingAfter(row, x0)
  while (i < n) {
    const s = row.start[i]!
    if (s >= x1) break
    const left = (s - x0) * scale
    let right = (row.end[i]! - x0) * scale
    if (right - left >= minBoxPx) {
      pushRun(out, left, right - left, i, 1, hitOf(i))
      i++
      continue
    }
    const first = i
    let count = 1
    let hit = hitOf(i)
    i++
    while (i < n) {
      const l = (row.start[i]! - x0) * scale
      if (l > right + 1 || l >= width) break
      const r = (row.end[i]! - x0) * scale
      if (r - l >= minBoxPx) break
      right = Math.max(right, r)
      count++
      if (hit === 0) hit = hitOf(i)
      // Jump past the boxes that end within the next pixel: they are sub-pixel and gap-free to the eye.
      // (Not past the canvas's right edge, where the run has to stop.)
      const next = firstBoxEndingAfter(row, x0 + Math.min(right + 1, width) * unitPerPx, i)
      if (next > i + 1) {
        right = Math.max(right, (row.end[next - 1]! - x0) * scale)
        count += next - i - 1
        // A search match must light its run up even when skipped: scan the skipped boxes until one hits.
        for (let k = i + 1; hit === 0 && k < next; k++) hit = hitOf(k)
        i = next
      } else {
        i++
      }
    }
    pushRun(out, left, right - left, first, count, hit)
  }
  return out
}

/** A cut label keeps at least this many characters: "g…" or "(…" names nothing and only adds noise. */
export const MIN_LABEL_CHARS = 3

/**
 * The longest prefix of `text` that fits `maxWidth` with an ellipsis, or the text itself when it fits,
 * or '' when fewer than MIN_LABEL_CHARS characters would be left. Starts from a guess proportional to
 * the width, so a truncation usually costs two or three measurements.
 */
export function fitText(text: string, maxWidth: CssPixels, measure: (s: string) => number): string {
  if (!(maxWidth > 0) || text.length === 0) return ''
  const full = measure(text)
  if (full <= maxWidth) return text
  const ellipsis = measure('…')
  if (ellipsis >= maxWidth) return ''
  const fits = (k: number): boolean => measure(text.slice(0, k) + '…') <= maxWidth
  let k = Math.min(text.length - 1, Math.max(1, Math.floor((text.length * (maxWidth - ellipsis)) / full)))
  let steps = 0
  while (k > 0 && !fits(k)) {
    k--
    if (++steps > 64) return binaryFit(text, k, fits)
  }
  while (k + 1 < text.length && fits(k + 1)) {
    k++
    if (++steps > 64) return binaryFit(text, text.length - 1, fits)
  }
  return k >= MIN_LABEL_CHARS ? text.slice(0, k) + '…' : ''
}

function binaryFit(text: string, hiStart: number, fits: (k: number) => boolean): string {
  let lo = 0
  let hi = hiStart
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (fits(mid)) lo = mid
    else hi = mid - 1
  }
  return lo >= MIN_LABEL_CHARS ? text.slice(0, lo) + '…' : ''
}

/** The subset of the 2D context the drawing uses (a fake one in tests). */
export type FlameContext = Pick<
  CanvasRenderingContext2D,
  'setTransform' | 'fillRect' | 'clearRect' | 'fillText' | 'measureText' | 'strokeRect'
> &
  Partial<Pick<CanvasRenderingContext2D, 'save' | 'restore' | 'beginPath' | 'rect' | 'clip' | 'moveTo' | 'lineTo' | 'stroke'>> & {
  fillStyle: CanvasRenderingContext2D['fillStyle']
  strokeStyle: CanvasRenderingContext2D['strokeStyle']
  lineWidth: number
  font: string
  textBaseline: CanvasTextBaseline
}

export interface FlameDrawOptions {
  rows: FlameRows
  viewport: Viewport
  width: CssPixels
  height: CssPixels
  /** Device pixels per CSS pixel; the canvas backing store is width × dpr by height × dpr. */
  dpr: number
  orientation: FlameOrientation
  palette: FlamePalette
  colorOf: (node: NodeIndex) => string
  /** Colour of a box that does not match the search. */
  dimmedColorOf: (node: NodeIndex) => string
  labelOf: (node: NodeIndex) => string
  /** Per node, 1 for search matches; others are dimmed. Null when nothing is searched. */
  matches?: Uint8Array | null
  selectedNode?: NodeIndex | null
  hoveredBox?: FlameBox | null
  /** Per node, 1 for boxes drawn hatched (the diff's removed code); null or absent for none. */
  hatched?: Uint8Array | null
  /** Stripe colour of hatched boxes. */
  hatchColor?: string
}

/** Scratch space reused across frames: run buffers and text caches. One per canvas. */
export interface DrawScratch {
  runs: RowRuns
  widths: Map<string, number>
  fitted: Map<string, string>
  labelColors: Map<string, string>
  /** Labels are drawn after all boxes so the fill style switches twice per label, not per box. */
  labelX: Float64Array
  labelY: Float64Array
  labelText: string[]
  labelColor: string[]
}

export function createDrawScratch(): DrawScratch {
  return {
    runs: createRowRuns(),
    widths: new Map(),
    fitted: new Map(),
    labelColors: new Map(),
    labelX: new Float64Array(4096),
    labelY: new Float64Array(4096),
    labelText: [],
    labelColor: [],
  }
}

export interface DrawStats {
  /** Rectangles filled: single boxes plus merged runs. */
  boxes: number
  mergedRuns: number
  labels: number
  rows: number
  /** Time spent in drawFlameGraph, in ms. */
  ms: number
}

/** Caches are cleared past this many entries; a frame needs at most a few thousand. */
const CACHE_LIMIT = 20_000

export function drawFlameGraph(ctx: FlameContext, o: FlameDrawOptions, scratch: DrawScratch): DrawStats {
  const t0 = performance.now()
  const { rows, viewport, width, height, dpr, palette } = o
  const matches = o.matches ?? null
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0)
  ctx.fillStyle = palette.background
  ctx.fillRect(0, 0, width, height)
  ctx.font = LABEL_FONT
  ctx.textBaseline = 'middle'
  const stats: DrawStats = { boxes: 0, mergedRuns: 0, labels: 0, rows: 0, ms: 0 }
  if (scratch.widths.size > CACHE_LIMIT) scratch.widths.clear()
  if (scratch.fitted.size > CACHE_LIMIT) scratch.fitted.clear()
  const measure = (s: string): number => {
    let w = scratch.widths.get(s)
    if (w === undefined) {
      w = ctx.measureText(s).width
      scratch.widths.set(s, w)
    }
    return w
  }
  const labelColor = (fill: string): string => {
    let c = scratch.labelColors.get(fill)
    if (c === undefined) {
      c = labelColorOn(fill)
      scratch.labelColors.set(fill, c)
    }
    return c
  }
  // Snap edges to device pixels so neighbouring boxes do not blur into each other.
  const snap = (px: number): number => Math.round(px * dpr) / dpr
  let labels = 0
  const [firstDepth, lastDepth] = visibleDepths(rows.rows.length, viewport, height)
  for (let depth = firstDepth; depth <= lastDepth; depth++) {
    const row = rows.rows[depth]!
    const top = rowTop(depth, o.orientation, viewport, height)
    const runs = collectRowRuns(row, viewport, width, scratch.runs, matches)
    stats.rows++
    let lastFill = ''
    for (let k = 0; k < runs.length; k++) {
      const count = runs.count[k]!
      const hit = runs.hit[k] === 1
      const node = row.node[runs.first[k]!]!
      const fill = count > 1 ? (hit ? palette.merged : palette.mergedDimmed) : hit ? o.colorOf(node) : o.dimmedColorOf(node)
      if (fill !== lastFill) {
        ctx.fillStyle = fill
        lastFill = fill
      }
      const left = snap(Math.max(-1, runs.x[k]!))
      const right = snap(Math.min(width + 1, runs.x[k]! + runs.width[k]!))
      // A one-pixel gap separates boxes that are wide enough to spare it; merged runs stay solid.
      const gap = count === 1 && right - left >= 3 ? 1 : 0
      ctx.fillRect(left, top, Math.max(right - left - gap, 1 / dpr), ROW_HEIGHT - 1)
      if (count === 1 && o.hatched && o.hatched[node] === 1) {
        hatchBox(ctx, left, top, Math.max(right - left - gap, 1 / dpr), width, o.hatchColor ?? 'rgba(255,255,255,0.5)')
        lastFill = ''
      }
      stats.boxes++
      if (count > 1) stats.mergedRuns++
      if (count > 1) continue
      // The label starts at the visible part of the box, so a box wider than the screen stays named.
      const textLeft = Math.max(left, 0) + LABEL_PADDING
      const room = Math.min(right, width) - gap - textLeft - LABEL_PADDING
      if (right - left < MIN_LABEL_PX || room <= 0) continue
      const text = o.labelOf(node)
      const key = `${Math.floor(room)}\u0000${text}`
      let fitted = scratch.fitted.get(key)
      if (fitted === undefined) {
        fitted = fitText(text, Math.floor(room), measure)
        scratch.fitted.set(key, fitted)
      }
      if (fitted === '') continue
      if (labels === scratch.labelX.length) {
        const cap = labels * 2
        const x = new Float64Array(cap)
        x.set(scratch.labelX)
        const y = new Float64Array(cap)
        y.set(scratch.labelY)
        scratch.labelX = x
        scratch.labelY = y
      }
      scratch.labelX[labels] = textLeft
      scratch.labelY[labels] = top + (ROW_HEIGHT - 1) / 2
      scratch.labelText[labels] = fitted
      scratch.labelColor[labels] = hit ? labelColor(fill) : palette.textDimmed
      labels++
    }
  }
  let lastText = ''
  for (let k = 0; k < labels; k++) {
    const color = scratch.labelColor[k]!
    if (color !== lastText) {
      ctx.fillStyle = color
      lastText = color
    }
    ctx.fillText(scratch.labelText[k]!, scratch.labelX[k]!, scratch.labelY[k]!)
  }
  stats.labels = labels

  if (o.selectedNode !== null && o.selectedNode !== undefined) {
    ctx.strokeStyle = palette.selectedOutline
    ctx.lineWidth = 2
    for (let depth = firstDepth; depth <= lastDepth; depth++) {
      const row = rows.rows[depth]!
      const top = rowTop(depth, o.orientation, viewport, height)
      // Aggregated rows list a node once; stack charts may list it in several boxes.
      for (let k = firstBoxEndingAfter(row, viewport.x0); k < row.length && row.start[k]! < viewport.x1; k++) {
        if (row.node[k] !== o.selectedNode) continue
        outlineBox(ctx, row, k, viewport, width, top, 1)
      }
    }
  }
  const hovered = o.hoveredBox
  if (hovered && rows.rows[hovered.depth] && hovered.node !== o.selectedNode) {
    ctx.strokeStyle = palette.hoverOutline
    ctx.lineWidth = 1
    outlineBox(ctx, rows.rows[hovered.depth]!, hovered.index, viewport, width, rowTop(hovered.depth, o.orientation, viewport, height), 0.5)
  }
  stats.ms = performance.now() - t0
  return stats
}

/** Diagonal stripes over a box (removed code in a diff), clipped to it; only the visible part is striped. */
function hatchBox(ctx: FlameContext, left: number, top: number, boxWidth: number, viewWidth: number, color: string): void {
  if (!ctx.save || !ctx.restore || !ctx.beginPath || !ctx.rect || !ctx.clip || !ctx.moveTo || !ctx.lineTo || !ctx.stroke) return
  const x0 = Math.max(left, -ROW_HEIGHT)
  const x1 = Math.min(left + boxWidth, viewWidth + ROW_HEIGHT)
  ctx.save()
  ctx.beginPath()
  ctx.rect(left, top, boxWidth, ROW_HEIGHT - 1)
  ctx.clip()
  ctx.strokeStyle = color
  ctx.lineWidth = 2
  ctx.beginPath()
  const spacing = 6
  for (let x = Math.floor(x0 / spacing) * spacing - ROW_HEIGHT; x < x1; x += spacing) {
    ctx.moveTo(x, top + ROW_HEIGHT)
    ctx.lineTo(x + ROW_HEIGHT, top)
  }
  ctx.stroke()
  ctx.restore()
}

function outlineBox(ctx: FlameContext, row: FlameRow, k: number, v: Viewport, width: number, top: number, inset: number): void {
  const scale = width / (v.x1 - v.x0)
  const left = Math.max(-2, (row.start[k]! - v.x0) * scale)
  const right = Math.min(width + 2, (row.end[k]! - v.x0) * scale)
  ctx.strokeRect(left + inset, top + inset, Math.max(1, right - left - 2 * inset), ROW_HEIGHT - 1 - 2 * inset)
}
