/**
 * The compare view's overlaid charts: latency distributions of every run on shared log bins, and CPU% /
 * RSS timelines aligned on time since start, one series per run (baseline grey, candidates in colour).
 */
import { type ReactNode, useEffect, useMemo, useRef } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import { formatBytes } from '../../../../core/format/bytes.js'
import { formatDuration } from '../../../../core/format/duration.js'
import { formatPct } from '../../../../core/format/number.js'
import type { TimelineSample } from '../../../../core/model/run.js'
import { BYTE_INCREMENTS, formatPercentValue, roundLogTicks } from '../../components/charts/axis-format.js'
import { readChartTheme, useColorScheme, withAlpha } from '../../components/charts/chart-theme.js'
import { type AlignedField, alignTimelines, runColor, sharedLogHistograms } from './compare-model.js'

export interface OverlayRun {
  id: string
  name: string
  samplesNs?: readonly number[] | undefined
  timeline: readonly TimelineSample[]
}

export interface OverlayChartProps {
  title: ReactNode
  ariaLabel: string
  data: uPlot.AlignedData
  names: string[]
  /** The x value's name in the legend. */
  xLabel?: string
  logX?: boolean
  /** Log-scale y axis (latency against offered load spans decades). */
  logY?: boolean
  formatX(v: number): string
  formatY(v: number): string
  yIncrements?: number[]
  height?: number
  fill?: boolean
  stepped?: boolean
  /** Ticks exactly at the data's x values (a sweep's parameter values), instead of round numbers between them. */
  xTicksAtData?: boolean
  /** Draw a point at every value (few points, as in a sweep). */
  showPoints?: boolean
  empty: boolean
  emptyText: string
  /** A reference line after the named series (ideal scaling), drawn dashed and muted: `data` holds its column last. */
  reference?: string
}

export function OverlayChart(props: OverlayChartProps): ReactNode {
  const { data, names, logX, logY, height = 200 } = props
  const host = useRef<HTMLDivElement>(null)
  const scheme = useColorScheme()
  const latest = useRef(props)
  latest.current = props
  useEffect(() => {
    const el = host.current
    if (!el || props.empty) return
    const theme = readChartTheme(el)
    const axis = { stroke: theme.muted, grid: { stroke: theme.grid, width: 1 }, ticks: { stroke: theme.grid, width: 1 }, font: theme.font }
    const xs = data[0] as number[]
    const opts: uPlot.Options = {
      width: Math.max(100, el.clientWidth),
      height,
      legend: { show: true, live: true },
      cursor: { drag: { x: false, y: false }, points: { size: 5 } },
      scales: {
        x: logX ? { time: false, distr: 3, log: 10, range: () => [xs[0] as number, xs[xs.length - 1] as number] } : { time: false },
        y: logY ? { distr: 3, log: 10, range: () => logRange(data.slice(1)) } : { range: (_u, _min, max) => [0, max > 0 ? max * 1.08 : 1] },
      },
      axes: [
        {
          ...axis,
          ...(logX
            ? {
                splits: (_u: uPlot, _a: number, min: number, max: number) => {
                  const t = roundLogTicks(min, max)
                  return t.length > 0 ? t : [min, max]
                },
                filter: (_u: uPlot, splits: number[]) => splits,
              }
            : props.xTicksAtData
              ? { splits: () => xs, filter: (_u: uPlot, splits: number[]) => splits }
              : {}),
          values: (_u, ticks) => ticks.map((t) => (t == null ? '' : latest.current.formatX(t))),
        },
        {
          ...axis,
          // Wide enough for the longest label ("12.3 M ops/s"), so labels are never clipped on the left.
          size: (_u: uPlot, values: string[] | null) => (values && values.length > 0 ? Math.max(48, Math.max(...values.map((v) => v.length)) * 7 + 18) : 64),
          ...(props.yIncrements ? { incrs: props.yIncrements } : {}),
          ...(logY
            ? {
                splits: (_u: uPlot, _a: number, min: number, max: number) => {
                  const t = roundLogTicks(min, max)
                  return t.length > 0 ? t : [min, max]
                },
                filter: (_u: uPlot, splits: number[]) => splits,
              }
            : {}),
          values: (_u, ticks) => ticks.map((t) => (t == null ? '' : latest.current.formatY(t))),
        },
      ],
      series: [
        // Away from the chart the legend names the series; values appear while hovering.
        { label: latest.current.xLabel ?? 'x', value: (_u, v) => (v == null ? 'hover the chart' : latest.current.formatX(v)) },
        ...names.map((name, i) => ({
          label: name,
          stroke: runColor(i),
          width: i === 0 ? 2 : 1.5,
          ...(props.fill ? { fill: withAlpha(runColor(i), 0.12) } : {}),
          ...(props.stepped ? { paths: uPlot.paths.stepped!({ align: 1 }) } : {}),
          points: { show: props.showPoints === true, size: 7 },
          spanGaps: true,
          value: (_u: uPlot, v: number | null) => (v == null ? '' : latest.current.formatY(v)),
        })),
        ...(props.reference
          ? [
              {
                label: props.reference,
                stroke: theme.muted,
                width: 1.5,
                dash: [6, 4],
                points: { show: false },
                spanGaps: true,
                value: (_u: uPlot, v: number | null) => (v == null ? '' : latest.current.formatY(v)),
              },
            ]
          : []),
      ],
    }
    const plot = new uPlot(opts, data, el)
    const resize = new ResizeObserver(() => {
      const width = Math.max(100, el.clientWidth)
      if (width !== plot.width) plot.setSize({ width, height })
    })
    resize.observe(el)
    return () => {
      resize.disconnect()
      plot.destroy()
    }
  }, [data, names.join('\u0000'), logX, logY, height, scheme, props.empty, props.reference])
  return (
    <figure className="chart" aria-label={props.ariaLabel}>
      <figcaption className="chart-title">{props.title}</figcaption>
      <div className="chart-frame" style={{ minHeight: height }}>
        <div className="chart-host" ref={host} />
        {props.empty ? <div className="chart-empty">{props.emptyText}</div> : null}
      </div>
    </figure>
  )
}

export function LatencyDistributions({ runs }: { runs: readonly OverlayRun[] }): ReactNode {
  const h = useMemo(() => sharedLogHistograms(runs.map((r) => r.samplesNs)), [runs])
  // Each bin's share is drawn at the bin's lower edge, stepped to the next: a histogram outline per run.
  const data = useMemo<uPlot.AlignedData>(() => [h.edges.slice(0, -1), ...h.shares.map((s) => s)] as uPlot.AlignedData, [h])
  return (
    <OverlayChart
      title={
        <>
          Latency distributions <span className="muted">· share of each run's operations, log scale</span>
        </>
      }
      ariaLabel="Latency distributions"
      data={data}
      names={runs.map((r) => r.name)}
      xLabel="Latency"
      logX
      stepped
      fill
      formatX={formatDuration}
      formatY={(v) => formatPct(v)}
      empty={h.edges.length === 0}
      emptyText="No run kept per-iteration samples"
    />
  )
}

export function AlignedTimeline({ runs, field }: { runs: readonly OverlayRun[]; field: AlignedField }): ReactNode {
  const data = useMemo(
    () =>
      alignTimelines(
        runs.map((r) => r.timeline),
        field,
      ) as uPlot.AlignedData,
    [runs, field],
  )
  const isCpu = field === 'cpuPct'
  return (
    <OverlayChart
      title={isCpu ? 'CPU (user + sys)' : 'RSS'}
      ariaLabel={isCpu ? 'CPU timeline' : 'RSS timeline'}
      data={data}
      names={runs.map((r) => r.name)}
      xLabel="Time"
      formatX={(v) => `${+v.toFixed(1)} s`}
      formatY={isCpu ? formatPercentValue : formatBytes}
      {...(isCpu ? {} : { yIncrements: BYTE_INCREMENTS })}
      height={170}
      empty={(data[0]?.length ?? 0) < 2}
      emptyText="No timeline samples"
    />
  )
}

/** A log axis range around the positive values of the series, widened to whole decades' neighbours. */
function logRange(columns: readonly ArrayLike<number | null | undefined>[]): [number, number] {
  const values = columns.flatMap((c) => Array.from(c).filter((v): v is number => typeof v === 'number' && v > 0))
  if (values.length === 0) return [1, 10]
  const lo = Math.min(...values)
  const hi = Math.max(...values)
  return [lo / 1.5, hi * 1.5]
}
