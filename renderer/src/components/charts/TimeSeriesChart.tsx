/**
 * A uPlot line chart of timeline columns against time (s). Static for a saved run; for a live run it
 * polls its buffer ~10 times a second and calls uPlot.setData when the buffer changed, so samples
 * never go through React. The chart is rebuilt only on resize-free changes of theme or series.
 */
import { type ReactNode, useEffect, useRef, useState } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import { formatDurationMs } from '../../../../core/format/duration.js'
import type { GcMark } from '../../../../core/model/run.js'
import type { SeriesBuffer, TimelineField } from '../../lib/series-buffer.js'
import { lastValue } from './axis-format.js'
import { type ChartTheme, readChartTheme, useColorScheme, withAlpha } from './chart-theme.js'

export interface ChartSeries {
  column: TimelineField
  label: string
  color: keyof ChartTheme['series']
  /** Fill the area under the line (one series per chart at most, or it gets muddy). */
  fill?: boolean
}

export interface TimeSeriesChartProps {
  title: string
  series: readonly ChartSeries[]
  /** Formats y values for the axis and the legend. */
  format(value: number): string
  /** The data: a buffer, or a getter polled at ~10 Hz for live runs (it may return undefined until the first sample). */
  source: SeriesBuffer | (() => SeriesBuffer | undefined)
  height?: number
  /** Lower bound of the y axis (0 for CPU% and memory). */
  yMin?: number
  /** Shown while there are fewer than two points. */
  emptyText?: string
  /** Tick increments of the y axis (BYTE_INCREMENTS for memory), instead of uPlot's decimal ones. */
  yIncrements?: number[]
  /** Horizontal limit lines (health thresholds, assertions), drawn dashed; the y range stretches to show them. */
  thresholds?: readonly ChartThreshold[]
  /** Moments a threshold was crossed, in seconds: drawn as marks on the x axis. */
  marks?: readonly number[]
  /** Charts with the same key share one cursor (uPlot cursor sync). */
  cursorSyncKey?: string
  /** Shaded spans along the time axis (run phases), in seconds, labelled at the top. */
  bands?: readonly ChartBand[]
  /** A selected time range, in seconds, drawn shaded with edges; null for none. */
  selection?: { startS: number; endS: number } | null
  /** Makes the chart draggable along x: called with the dragged range in seconds. */
  onSelectRange?(startS: number, endS: number): void
  /** Garbage collections, sorted by start: thin marks along the bottom of the plot, with a tooltip on hover. */
  gcMarks?: readonly ChartGcMark[]
}

/** One GC on the chart's time axis (seconds), with its pause. */
export interface ChartGcMark {
  tS: number
  durationMs: number
  kind: GcMark['kind']
}

const GC_KIND_LABELS: Record<GcMark['kind'], string> = {
  minor: 'Minor GC (scavenge)',
  major: 'Major GC (mark-compact)',
  incremental: 'Incremental marking',
  weakcb: 'GC weak callbacks',
  other: 'GC',
}

/** How near the cursor (CSS px) a GC mark must be for its tooltip. */
const GC_HOVER_PX = 4

export interface ChartBand {
  startS: number
  endS: number
  label: string
}

export interface ChartThreshold {
  value: number
  label: string
}

const POLL_MS = 100

const fmtTime = (v: number | null): string => (v == null ? '–' : `${v.toFixed(1)} s`)

/** " · warm-up" for a time inside a band, else "". */
function phaseAt(bands: readonly ChartBand[], t: number | null): string {
  if (t == null) return ''
  const band = bands.find((b) => t >= b.startS && t < b.endS)
  return band ? ` · ${band.label}` : ''
}

function alignedData(buffer: SeriesBuffer | undefined, series: readonly ChartSeries[]): uPlot.AlignedData {
  if (!buffer) return [[], ...series.map(() => [])]
  return [buffer.t, ...series.map((s) => buffer.columns[s.column])]
}

export function TimeSeriesChart(props: TimeSeriesChartProps): ReactNode {
  const { title, series, format, source, height = 160, yMin, emptyText = 'No samples', yIncrements, thresholds = [], marks = [] } = props
  const { cursorSyncKey, bands = [], selection = null, onSelectRange } = props
  const plotRef = useRef<uPlot | null>(null)
  const host = useRef<HTMLDivElement>(null)
  const scheme = useColorScheme()
  const [points, setPoints] = useState(() => (typeof source === 'function' ? (source()?.length ?? 0) : source.length))
  // Props the effect reads without being rebuilt by them (format functions are often inline).
  const gcMarks = props.gcMarks ?? NO_GC_MARKS
  const latest = useRef({ format, source, selection, onSelectRange, gcMarks, bands })
  latest.current = { format, source, selection, onSelectRange, gcMarks, bands }
  const tip = useRef<HTMLDivElement>(null)
  const overlayKey = `${gcMarks.length}#${thresholds.map((t) => `${t.value}:${t.label}`).join('|')}#${marks.join(',')}#${bands.map((b) => `${b.startS}:${b.endS}:${b.label}`).join('|')}#${cursorSyncKey ?? ''}#${onSelectRange ? 1 : 0}`
  // A new selection is drawn on the existing plot, not by rebuilding it.
  useEffect(() => {
    plotRef.current?.redraw(false, false)
  }, [selection?.startS, selection?.endS])

  const seriesKey = series.map((s) => `${s.column}:${s.color}:${s.fill ? 1 : 0}:${s.label}`).join('|')

  useEffect(() => {
    const el = host.current
    if (!el) return
    const theme = readChartTheme(el)
    const getBuffer = (): SeriesBuffer | undefined => {
      const s = latest.current.source
      return typeof s === 'function' ? s() : s
    }
    // Whether the pointer is over this chart's plot (a synced chart's cursor moves without it).
    let hovered = false
    const axis = { stroke: theme.muted, grid: { stroke: theme.grid, width: 1 }, ticks: { stroke: theme.grid, width: 1 }, font: theme.font }
    const opts: uPlot.Options = {
      width: Math.max(100, el.clientWidth),
      height,
      legend: { show: true, live: true },
      cursor: {
        drag: { x: onSelectRange !== undefined, y: false, setScale: false },
        points: { size: 5 },
        ...(cursorSyncKey ? { sync: { key: cursorSyncKey } } : {}),
      },
      scales: {
        x: { time: false },
        y: {
          range: (_u, min, max) => {
            const top = Math.max(max, ...thresholds.map((t) => t.value))
            return [yMin ?? min, top > (yMin ?? min) ? top * 1.05 : (yMin ?? min) + 1]
          },
        },
      },
      hooks: {
        drawClear: [(u: uPlot) => drawBands(u, bands, latest.current.selection, theme)],
        draw: [
          (u: uPlot) => {
            drawOverlay(u, thresholds, marks, theme)
            drawGcMarks(u, latest.current.gcMarks, theme)
          },
        ],
        // Only the chart under the pointer shows a GC tooltip; the others follow with their cursor line.
        setCursor: [(u: uPlot) => showGcTip(u, hovered ? latest.current.gcMarks : NO_GC_MARKS, tip.current)],
        setSelect: [
          (u: uPlot) => {
            const pick = latest.current.onSelectRange
            if (!pick || u.select.width < 2) return
            const a = u.posToVal(u.select.left, 'x')
            const b = u.posToVal(u.select.left + u.select.width, 'x')
            // uPlot's own drag box goes; the chosen range is drawn from the `selection` prop.
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false)
            if (Number.isFinite(a) && Number.isFinite(b) && b > a) pick(a, b)
          },
        ],
      },
      axes: [
        { ...axis, values: (_u, ticks) => ticks.map((t) => `${+t.toFixed(1)} s`) },
        {
          ...axis,
          size: 64,
          ...(yIncrements ? { incrs: yIncrements } : {}),
          values: (_u, ticks) => ticks.map((t) => (t == null ? '' : latest.current.format(t))),
        },
      ],
      series: [
        // Without a cursor on the chart the legend shows the latest values: a live readout.
        // Under the cursor, the time says which phase it falls in: narrow bands have no room for their label.
        { label: 'Time', value: (u, v, _si, idx) => (idx == null ? fmtTime(lastValue(u.data[0])) : `${fmtTime(v)}${phaseAt(latest.current.bands, v)}`) },
        ...series.map((s) => ({
          label: s.label,
          stroke: theme.series[s.color],
          width: 1.5,
          ...(s.fill ? { fill: withAlpha(theme.series[s.color], 0.12) } : {}),
          points: { show: false },
          spanGaps: true,
          value: (u: uPlot, v: number | null, si: number, idx: number | null) => {
            const shown = idx == null ? lastValue(u.data[si] ?? []) : v
            return shown == null ? '–' : latest.current.format(shown)
          },
        })),
      ],
    }
    const plot = new uPlot(opts, alignedData(getBuffer(), series), el)
    plotRef.current = plot
    const onEnter = (): void => {
      hovered = true
    }
    const onLeave = (): void => {
      hovered = false
      if (tip.current) tip.current.hidden = true
    }
    plot.over.addEventListener('mouseenter', onEnter)
    plot.over.addEventListener('mouseleave', onLeave)
    let drawnVersion = getBuffer()?.version ?? -1
    setPoints(getBuffer()?.length ?? 0)

    const resize = new ResizeObserver(() => {
      const width = Math.max(100, el.clientWidth)
      if (width !== plot.width) plot.setSize({ width, height })
    })
    resize.observe(el)

    let timer: ReturnType<typeof setInterval> | null = null
    if (typeof latest.current.source === 'function') {
      timer = setInterval(() => {
        const buffer = getBuffer()
        if (!buffer || buffer.version === drawnVersion) return
        drawnVersion = buffer.version
        plot.setData(alignedData(buffer, series))
        // React hears only about crossing the "enough points to draw" line, not about every sample.
        setPoints((p) => (p >= 2 && buffer.length >= 2 ? p : buffer.length))
      }, POLL_MS)
    }
    return () => {
      if (timer !== null) clearInterval(timer)
      resize.disconnect()
      plot.over.removeEventListener('mouseenter', onEnter)
      plot.over.removeEventListener('mouseleave', onLeave)
      plotRef.current = null
      plot.destroy()
    }
    // seriesKey stands for `series`: the chart is rebuilt when the series or the theme change.
  }, [seriesKey, scheme, height, yMin, yIncrements, overlayKey])

  return (
    <figure className="chart" aria-label={title} {...(gcMarks.length > 0 ? { 'data-gc-marks': gcMarks.length } : {})}>
      <figcaption className="chart-title">{title}</figcaption>
      <div className="chart-frame" style={{ minHeight: height }}>
        <div className="chart-host" ref={host} />
        <div className="chart-gc-tip" ref={tip} role="tooltip" hidden />
        {points < 2 ? <div className="chart-empty">{emptyText}</div> : null}
      </div>
    </figure>
  )
}

/** Phase bands (alternating tints, labelled at the top) and the selected range, under the series. */
function drawBands(u: uPlot, bands: readonly ChartBand[], selection: { startS: number; endS: number } | null, theme: ChartTheme): void {
  if (bands.length === 0 && !selection) return
  const { ctx, bbox } = u
  const px = devicePixelRatio
  const span = (a: number, b: number): [number, number] | null => {
    const x0 = Math.max(bbox.left, u.valToPos(a, 'x', true))
    const x1 = Math.min(bbox.left + bbox.width, u.valToPos(b, 'x', true))
    return x1 > x0 ? [x0, x1] : null
  }
  ctx.save()
  ctx.font = theme.font
  ctx.textBaseline = 'top'
  bands.forEach((band, i) => {
    const s = span(band.startS, band.endS)
    if (!s) return
    ctx.fillStyle = withAlpha(theme.muted, i % 2 === 0 ? 0.1 : 0.05)
    ctx.fillRect(s[0], bbox.top, s[1] - s[0], bbox.height)
    ctx.fillStyle = withAlpha(theme.muted, 0.5)
    ctx.fillRect(s[0], bbox.top, Math.max(1, px), bbox.height)
    const label = band.label
    const w = ctx.measureText(label).width
    // A label only where it fits inside its band.
    if (w + 6 * px <= s[1] - s[0]) {
      ctx.fillStyle = theme.muted
      ctx.fillText(label, s[0] + 3 * px, bbox.top + 2 * px)
    }
  })
  if (selection) {
    const s = span(selection.startS, selection.endS)
    if (s) {
      ctx.fillStyle = withAlpha(theme.series.marker, 0.18)
      ctx.fillRect(s[0], bbox.top, s[1] - s[0], bbox.height)
      ctx.fillStyle = theme.series.marker
      ctx.fillRect(s[0], bbox.top, Math.max(1, 2 * px), bbox.height)
      ctx.fillRect(s[1] - Math.max(1, 2 * px), bbox.top, Math.max(1, 2 * px), bbox.height)
    }
  }
  ctx.restore()
}

/** Dashed limit lines with their labels, and crossing marks along the bottom of the plot. */
function drawOverlay(u: uPlot, thresholds: readonly ChartThreshold[], marks: readonly number[], theme: ChartTheme): void {
  if (thresholds.length === 0 && marks.length === 0) return
  const { ctx, bbox } = u
  ctx.save()
  ctx.strokeStyle = theme.series.marker
  ctx.fillStyle = theme.series.marker
  ctx.lineWidth = Math.max(1, devicePixelRatio)
  ctx.font = theme.font
  // uPlot leaves the context's alignment as its last axis drew it (right-aligned y ticks): labels start at the line's left end.
  ctx.textAlign = 'left'
  ctx.textBaseline = 'alphabetic'
  for (const t of thresholds) {
    const y = u.valToPos(t.value, 'y', true)
    if (!(y >= bbox.top && y <= bbox.top + bbox.height)) continue
    ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio])
    ctx.beginPath()
    ctx.moveTo(bbox.left, y)
    ctx.lineTo(bbox.left + bbox.width, y)
    ctx.stroke()
    ctx.setLineDash([])
    ctx.fillText(t.label, bbox.left + 4 * devicePixelRatio, y - 3 * devicePixelRatio)
  }
  const bottom = bbox.top + bbox.height
  for (const m of marks) {
    const x = u.valToPos(m, 'x', true)
    if (!(x >= bbox.left && x <= bbox.left + bbox.width)) continue
    ctx.beginPath()
    ctx.moveTo(x, bottom)
    ctx.lineTo(x - 5 * devicePixelRatio, bottom + 8 * devicePixelRatio)
    ctx.lineTo(x + 5 * devicePixelRatio, bottom + 8 * devicePixelRatio)
    ctx.closePath()
    ctx.fill()
    ctx.globalAlpha = 0.35
    ctx.beginPath()
    ctx.moveTo(x, bbox.top)
    ctx.lineTo(x, bottom)
    ctx.stroke()
    ctx.globalAlpha = 1
  }
  ctx.restore()
}

const NO_GC_MARKS: readonly ChartGcMark[] = []

/** Index of the first mark starting at or after `t` (marks sorted by tS). */
function firstMarkFrom(marks: readonly ChartGcMark[], t: number): number {
  let lo = 0
  let hi = marks.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((marks[mid] as ChartGcMark).tS < t) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * GC marks along the bottom of the plot: a tick per collection, as wide as its pause where that is over a
 * pixel; major collections taller and solid, the others short and lighter.
 */
function drawGcMarks(u: uPlot, marks: readonly ChartGcMark[], theme: ChartTheme): void {
  if (marks.length === 0) return
  const { ctx, bbox } = u
  const px = devicePixelRatio
  const bottom = bbox.top + bbox.height
  const min = u.scales.x?.min ?? 0
  const max = u.scales.x?.max ?? 0
  ctx.save()
  for (let i = firstMarkFrom(marks, min - 60); i < marks.length; i++) {
    const m = marks[i] as ChartGcMark
    if (m.tS > max) break
    const x0 = u.valToPos(m.tS, 'x', true)
    const x1 = u.valToPos(m.tS + m.durationMs / 1000, 'x', true)
    if (x1 < bbox.left || x0 > bbox.left + bbox.width) continue
    const major = m.kind === 'major'
    const h = (major ? 14 : 6) * px
    ctx.fillStyle = major ? theme.series.gc : withAlpha(theme.series.gc, 0.55)
    ctx.fillRect(Math.max(bbox.left, x0), bottom - h, Math.max(px, x1 - x0), h)
  }
  ctx.restore()
}

/** The tooltip of the GC nearest the cursor (within GC_HOVER_PX): kind, pause and time; hidden elsewhere. */
function showGcTip(u: uPlot, marks: readonly ChartGcMark[], tip: HTMLDivElement | null): void {
  if (!tip) return
  const left = u.cursor.left ?? -1
  if (marks.length === 0 || left < 0) {
    tip.hidden = true
    return
  }
  const from = u.posToVal(left - GC_HOVER_PX, 'x')
  const to = u.posToVal(left + GC_HOVER_PX, 'x')
  let best: ChartGcMark | undefined
  let near = 0
  // A mark is near when its drawn tick [start, end of pause] reaches into the cursor's few pixels.
  for (let i = Math.max(0, firstMarkFrom(marks, from) - 1); i < marks.length; i++) {
    const m = marks[i] as ChartGcMark
    if (m.tS > to) break
    if (m.tS + m.durationMs / 1000 < from) continue
    near++
    if (!best || m.durationMs > best.durationMs) best = m
  }
  if (!best) {
    tip.hidden = true
    return
  }
  // Two short lines, so the tip fits a narrow chart.
  tip.textContent = `${GC_KIND_LABELS[best.kind]}\n${formatDurationMs(best.durationMs)} paused · at ${best.tS.toFixed(2)} s${near > 1 ? ` · ${near} GCs here` : ''}`
  tip.hidden = false
  const frame = tip.parentElement
  if (!frame) return
  const over = u.over.getBoundingClientRect()
  const box = frame.getBoundingClientRect()
  const x = over.left - box.left + u.valToPos(best.tS, 'x')
  // Above the marks, kept inside the chart's frame.
  const maxLeft = Math.max(0, box.width - tip.offsetWidth)
  tip.style.left = `${Math.min(maxLeft, Math.max(0, x - tip.offsetWidth / 2))}px`
  tip.style.top = `${Math.max(0, over.bottom - box.top - 20 - tip.offsetHeight)}px`
}
