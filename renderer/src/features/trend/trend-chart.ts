/**
 * The Trend view's chart model: pure layout from a trend (core/analysis/trend.ts) to SVG coordinates.
 * x is the point's place in commit order (one slot per commit, evenly spaced: a commit history has no
 * meaningful gaps), y the metric on a linear scale that also holds the whiskers and the baseline line.
 *
 * Large histories: the drawn line is decimated to at most ~2 vertices per pixel column (min-max per
 * bucket, so spikes survive), and dots and whiskers are drawn only when few enough points fit; the
 * change points and the hover lookup always use the full series.
 */
import type { TrendChangePoint, TrendPoint } from '../../../../core/analysis/trend.js'

export interface ChartBox {
  width: number
  height: number
  /** Room for the y axis labels (left), the x labels (bottom) and the change point labels (top). */
  padLeft: number
  padRight: number
  padTop: number
  padBottom: number
}

export interface DrawnPoint {
  index: number
  x: number
  y: number
  /** Whisker ends (y pixels) when several runs share the point. */
  yLow?: number
  yHigh?: number
}

export interface ChangeMark {
  index: number
  /** Halfway between the last point before and the first after. */
  x: number
  text: string
  direction: TrendChangePoint['direction']
  baselineRunId: string
  candidateRunId: string
}

export interface TrendChartModel {
  /** SVG path of the series line (decimated when the history is long). */
  linePath: string
  /** Dots (with whiskers) drawn; empty when the points are too dense to tell apart. */
  dots: DrawnPoint[]
  /** Whether the line was decimated, and from how many points. */
  decimated: boolean
  total: number
  yTicks: { y: number; value: number }[]
  /** Labels of a few x positions (short commit or date), thinned to fit. */
  xTicks: { x: number; index: number }[]
  baselineY?: number
  changes: ChangeMark[]
  yMin: number
  yMax: number
}

/** Most dots drawn; above this only the line is drawn (1,000 circles with titles slow hover down). */
export const MAX_DOTS = 240

export function xOf(index: number, count: number, box: ChartBox): number {
  const inner = box.width - box.padLeft - box.padRight
  return count <= 1 ? box.padLeft + inner / 2 : box.padLeft + (index / (count - 1)) * inner
}

/** The index of the point nearest to pixel x (the hover lookup, O(1) on any history). */
export function indexAt(x: number, count: number, box: ChartBox): number {
  if (count <= 1) return 0
  const inner = box.width - box.padLeft - box.padRight
  const i = Math.round(((x - box.padLeft) / inner) * (count - 1))
  return Math.max(0, Math.min(count - 1, i))
}

/** Round tick values covering [lo, hi] (1, 2, 5 × 10^k steps). */
export function niceTicks(lo: number, hi: number, target = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return []
  if (hi <= lo) return [lo]
  const raw = (hi - lo) / Math.max(1, target)
  const mag = 10 ** Math.floor(Math.log10(raw))
  const step = ([1, 2, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag
  const out: number[] = []
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)))
  return out
}

export function buildTrendChart(
  points: readonly TrendPoint[],
  changePoints: readonly TrendChangePoint[],
  box: ChartBox,
  baseline?: number,
): TrendChartModel {
  const n = points.length
  let lo = Infinity
  let hi = -Infinity
  for (const p of points) {
    lo = Math.min(lo, p.low ?? p.value, p.value)
    hi = Math.max(hi, p.high ?? p.value, p.value)
  }
  if (baseline !== undefined && Number.isFinite(baseline)) {
    lo = Math.min(lo, baseline)
    hi = Math.max(hi, baseline)
  }
  if (n === 0 || !Number.isFinite(lo)) {
    lo = 0
    hi = 1
  }
  const span = hi - lo || Math.abs(hi) * 0.1 || 1
  const yMin = Math.max(lo >= 0 ? 0 : -Infinity, lo - span * 0.1)
  const yMax = hi + span * 0.1
  const innerH = box.height - box.padTop - box.padBottom
  const yOf = (v: number): number => box.padTop + (1 - (v - yMin) / (yMax - yMin)) * innerH

  const innerW = Math.max(1, box.width - box.padLeft - box.padRight)
  const buckets = Math.max(1, Math.floor(innerW))
  const decimated = n > buckets * 2
  const vertices: [number, number][] = []
  if (!decimated) {
    for (let i = 0; i < n; i++) vertices.push([xOf(i, n, box), yOf((points[i] as TrendPoint).value)])
  } else {
    // Min-max decimation: per pixel column, the first, lowest, highest and last value in point order.
    for (let b = 0; b < buckets; b++) {
      const start = Math.floor((b * n) / buckets)
      const end = Math.floor(((b + 1) * n) / buckets)
      if (end <= start) continue
      let iMin = start
      let iMax = start
      for (let i = start; i < end; i++) {
        const v = (points[i] as TrendPoint).value
        if (v < (points[iMin] as TrendPoint).value) iMin = i
        if (v > (points[iMax] as TrendPoint).value) iMax = i
      }
      const order = [...new Set([start, Math.min(iMin, iMax), Math.max(iMin, iMax), end - 1])]
      for (const i of order) vertices.push([xOf(i, n, box), yOf((points[i] as TrendPoint).value)])
    }
  }
  const linePath = vertices.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`).join('')

  const dots: DrawnPoint[] =
    n <= MAX_DOTS
      ? points.map((p, i) => ({
          index: i,
          x: xOf(i, n, box),
          y: yOf(p.value),
          ...(p.low !== undefined && p.high !== undefined ? { yLow: yOf(p.low), yHigh: yOf(p.high) } : {}),
        }))
      : []

  const yTicks = niceTicks(yMin, yMax, Math.max(2, Math.floor(innerH / 40))).map((value) => ({ value, y: yOf(value) }))
  // One x label per ~110 px, always the first and last point.
  const slots = Math.max(1, Math.floor(innerW / 110))
  const step = Math.max(1, Math.ceil((n - 1) / slots))
  const xTicks: { x: number; index: number }[] = []
  for (let i = 0; i < n; i += step) xTicks.push({ index: i, x: xOf(i, n, box) })
  if (n > 1 && xTicks[xTicks.length - 1]?.index !== n - 1) {
    const last = xTicks[xTicks.length - 1]
    if (last && xOf(n - 1, n, box) - last.x < 80) xTicks.pop()
    xTicks.push({ index: n - 1, x: xOf(n - 1, n, box) })
  }

  const changes: ChangeMark[] = changePoints
    .filter((c) => c.index > 0 && c.index < n)
    .map((c) => ({
      index: c.index,
      x: (xOf(c.index - 1, n, box) + xOf(c.index, n, box)) / 2,
      text: c.text,
      direction: c.direction,
      baselineRunId: c.baselineRunId,
      candidateRunId: c.candidateRunId,
    }))

  return {
    linePath,
    dots,
    decimated,
    total: n,
    yTicks,
    xTicks,
    ...(baseline !== undefined && Number.isFinite(baseline) ? { baselineY: yOf(baseline) } : {}),
    changes,
    yMin,
    yMax,
  }
}

/** The short label drawn at a change point: "between a1b2c3d and d4e5f6a, +12% p95" (no subject, no p-value). */
export function changeLabel(text: string): string {
  return text.replace(/ \("[^"]*"\)/, '').replace(/ \([^()]*\)$/, '')
}

/**
 * Where a change point's label goes: right of the mark when it fits, else left of it, else pinned to
 * whichever chart edge keeps the most of it in view. `charWidth` is the label font's average advance.
 */
export function placeChangeLabel(x: number, text: string, box: Pick<ChartBox, 'width' | 'padLeft' | 'padRight'>, charWidth = 6.4): { x: number; anchor: 'start' | 'end' } {
  const w = text.length * charWidth
  const right = box.width - box.padRight
  if (x + 4 + w <= right) return { x: x + 4, anchor: 'start' }
  if (x - 4 - w >= 0) return { x: x - 4, anchor: 'end' }
  return x > box.width / 2 ? { x: right, anchor: 'end' } : { x: 0, anchor: 'start' }
}
