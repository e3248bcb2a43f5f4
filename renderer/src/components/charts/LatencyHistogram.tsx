/**
 * The latency distribution of a run: its per-operation samples binned on a log scale
 * (lib/histogram.ts), drawn as uPlot bars on a log x axis, with the p50 and p99 marked.
 */
import { type ReactNode, useEffect, useMemo, useRef } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import { formatDuration } from '../../../../core/format/duration.js'
import { formatInteger } from '../../../../core/format/number.js'
import type { Nanoseconds } from '../../../../core/model/units.js'
import { binCenters, computeLogHistogram } from '../../lib/histogram.js'
import { placeMarkerLabels, roundLogTicks, thinTickLabels } from './axis-format.js'
import { readChartTheme, useColorScheme, withAlpha } from './chart-theme.js'

export interface LatencyHistogramProps {
  samplesNs: readonly Nanoseconds[]
  /** Vertical markers, e.g. [{label: 'p50', ns: 1200}, {label: 'p99', ns: 4100}]. */
  markers?: readonly { label: string; ns: Nanoseconds }[]
  height?: number
}

/** A label as drawn on the canvas: its text and horizontal extent in CSS pixels from the chart's left edge. */
interface DrawnLabel {
  text: string
  left: number
  right: number
  /** Marker labels: the line they were stepped down to (0: the top). */
  line: number
}

export function LatencyHistogram({ samplesNs, markers = [], height = 200 }: LatencyHistogramProps): ReactNode {
  const host = useRef<HTMLDivElement>(null)
  const scheme = useColorScheme()
  const histogram = useMemo(() => computeLogHistogram(samplesNs), [samplesNs])
  const markerKey = markers.map((m) => `${m.label}:${m.ns}`).join('|')

  useEffect(() => {
    const el = host.current
    if (!el || histogram.total === 0) return
    const theme = readChartTheme(el)
    const axis = { stroke: theme.muted, grid: { stroke: theme.grid, width: 1 }, ticks: { stroke: theme.grid, width: 1 }, font: theme.font }
    const edges = histogram.edges
    // What was drawn, in CSS pixels from the chart's left edge, published on the host element after each
    // draw (data-axis-labels, data-marker-labels, data-chart-width) so tests in a real browser can check
    // that no label overlaps another or runs off the chart: the labels are canvas pixels, not DOM.
    let axisLabels: DrawnLabel[] = []
    const publish = (u: uPlot, markerLabels: DrawnLabel[]): void => {
      el.dataset.axisLabels = JSON.stringify(axisLabels)
      el.dataset.markerLabels = JSON.stringify(markerLabels)
      el.dataset.chartWidth = String(u.width)
    }
    const drawMarkers = (u: uPlot): void => {
      const ctx = u.ctx
      const dpr = uPlot.pxRatio
      ctx.save()
      ctx.font = `${11 * dpr}px ${getComputedStyle(el).fontFamily}`
      ctx.textBaseline = 'top'
      const shown = markers
        .filter((m) => m.ns > 0)
        .map((m) => ({ ...m, x: Math.round(u.valToPos(m.ns, 'x', true)) }))
        .filter((m) => m.x >= u.bbox.left && m.x <= u.bbox.left + u.bbox.width)
      // Labels flip to the left of their line at the right edge and step down when they would overlap.
      const labels = placeMarkerLabels(
        shown.map((m) => ({ x: m.x, width: ctx.measureText(m.label).width })),
        u.bbox.left + u.bbox.width,
        3 * dpr,
      )
      const drawn: DrawnLabel[] = []
      shown.forEach((m, i) => {
        const x = m.x
        const label = labels[i]
        const width = ctx.measureText(m.label).width
        const at = label?.x ?? x + 3 * dpr
        const left = (label?.align ?? 'left') === 'left' ? at : at - width
        drawn.push({ text: m.label, left: left / dpr, right: (left + width) / dpr, line: label?.line ?? 0 })
        ctx.strokeStyle = theme.series.marker
        ctx.setLineDash([4 * dpr, 3 * dpr])
        ctx.lineWidth = dpr
        ctx.beginPath()
        ctx.moveTo(x, u.bbox.top)
        ctx.lineTo(x, u.bbox.top + u.bbox.height)
        ctx.stroke()
        ctx.fillStyle = theme.series.marker
        ctx.textAlign = label?.align ?? 'left'
        ctx.fillText(m.label, label?.x ?? x + 3 * dpr, u.bbox.top + (2 + 13 * (label?.line ?? 0)) * dpr)
      })
      ctx.restore()
      publish(u, drawn)
    }
    const opts: uPlot.Options = {
      width: Math.max(100, el.clientWidth),
      height,
      legend: { show: true, live: true },
      cursor: { drag: { x: false, y: false }, points: { show: false }, y: false },
      scales: {
        x: { time: false, distr: 3, log: 10, range: () => [edges[0] as number, edges[edges.length - 1] as number] },
        y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.08)] },
      },
      axes: [
        {
          ...axis,
          splits: (_u, _axis, min, max) => {
            const ticks = roundLogTicks(min, max)
            return ticks.length > 0 ? ticks : [min, max]
          },
          // uPlot thins log-axis ticks by its own rule; ours are round, and their labels are thinned
          // below by their measured widths so that none overlaps at any chart width.
          filter: (_u, splits) => splits,
          values: (u, ticks) => {
            const labels = ticks.map((t) => (t == null ? '' : formatDuration(t)))
            const ctx = u.ctx
            ctx.save()
            ctx.font = `${11 * uPlot.pxRatio}px ${getComputedStyle(el).fontFamily}`
            const keep = thinTickLabels(
              ticks.map((t) => u.valToPos(t, 'x', true)),
              labels.map((l) => ctx.measureText(l).width),
              8 * uPlot.pxRatio,
            )
            // uPlot centres each x-axis label on its tick.
            axisLabels = []
            labels.forEach((text, i) => {
              if (!keep[i] || text === '') return
              const centre = (u.valToPos(ticks[i] as number, 'x', true) as number) / uPlot.pxRatio
              const half = ctx.measureText(text).width / uPlot.pxRatio / 2
              axisLabels.push({ text, left: centre - half, right: centre + half, line: 0 })
            })
            ctx.restore()
            return labels.map((l, i) => (keep[i] ? l : ''))
          },
        },
        { ...axis, size: 56, values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) ? formatInteger(t) : '')) },
      ],
      series: [
        {
          label: 'Latency',
          value: (_u, _v, _si, idx) =>
            idx == null ? 'hover a bar' : `${formatDuration(edges[idx] as number)} – ${formatDuration(edges[idx + 1] as number)}`,
        },
        {
          label: 'Operations',
          stroke: theme.series.bar,
          fill: withAlpha(theme.series.bar, 0.55),
          width: 1,
          paths: uPlot.paths.bars!({ size: [1, Infinity], align: 0, gap: 1 }),
          points: { show: false },
          value: (_u, v, _si, idx) => (idx == null ? `${formatInteger(histogram.total)} in all` : v == null ? '–' : formatInteger(v)),
        },
      ],
      hooks: { draw: [drawMarkers] },
    }
    const plot = new uPlot(opts, [binCenters(histogram), Array.from(histogram.counts)], el)
    const resize = new ResizeObserver(() => {
      const width = Math.max(100, el.clientWidth)
      if (width !== plot.width) plot.setSize({ width, height })
    })
    resize.observe(el)
    return () => {
      resize.disconnect()
      plot.destroy()
    }
    // markerKey stands for `markers`.
  }, [histogram, markerKey, scheme, height])

  return (
    <figure className="chart" aria-label="Latency histogram">
      <figcaption className="chart-title">
        Latency distribution <span className="muted">· {formatInteger(histogram.total)} samples, log scale</span>
      </figcaption>
      <div className="chart-frame" style={{ minHeight: height }}>
        <div className="chart-host" ref={host} />
        {histogram.total === 0 ? <div className="chart-empty">No latency samples were recorded</div> : null}
      </div>
    </figure>
  )
}
