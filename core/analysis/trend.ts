/**
 * A workload's history: its runs (summaries) grouped into one point per commit (or per run without git),
 * ordered by commit time (or run time), each point the median of its runs' values, with change points
 * from core/stats/change-points.ts named by the commits around them ("between a1b2c3d and d4e5f6a, +12% p95").
 * Pure: the service lists the runs, this builds the series.
 */
import type { RunSummary } from '../model/run.js'
import type { ParamValues } from '../model/workload.js'
import { detectChangePoints, MIN_TREND_POINTS, type ChangePointOptions } from '../stats/change-points.js'
import { formatChange } from '../format/number.js'

/** Metrics a trend can follow: those kept in each run's summary (so 100,000 runs need no run.json read). */
export const TREND_METRICS = {
  opsPerSec: { label: 'Throughput', unit: 'ops/s', better: 'higher', value: (r: RunSummary) => r.opsPerSec },
  mean: { label: 'Mean latency', unit: 'ns', better: 'lower', value: (r: RunSummary) => r.meanNs },
  p50: { label: 'p50 latency', unit: 'ns', better: 'lower', value: (r: RunSummary) => r.p50Ns },
  p95: { label: 'p95 latency', unit: 'ns', better: 'lower', value: (r: RunSummary) => r.p95Ns },
  p99: { label: 'p99 latency', unit: 'ns', better: 'lower', value: (r: RunSummary) => r.p99Ns },
} as const
export type TrendMetric = keyof typeof TREND_METRICS
export const TREND_METRIC_NAMES = Object.keys(TREND_METRICS) as TrendMetric[]
export const isTrendMetric = (m: string): m is TrendMetric => m in TREND_METRICS

export interface TrendPoint {
  /** The commit, or the run id for a run made without git. */
  key: string
  commit?: string
  branch?: string
  subject?: string
  /** Commit time (ISO) when known, else the time of the point's first run. */
  time: string
  dirty: boolean
  /** Median of the runs' values. */
  value: number
  /** Smallest and largest of the runs' values, when several runs share the point (the whisker of the Trend view). */
  low?: number
  high?: number
  /** Runs at this point, oldest first. */
  runIds: string[]
}

export interface TrendChangePoint {
  /** Index of the first point after the change. */
  index: number
  before: number
  after: number
  ratio: number
  pValue: number
  /** Better or worse for this metric. */
  direction: 'improved' | 'regressed'
  /** The last point before and the first after (commit or run id). */
  fromKey: string
  toKey: string
  /** Runs on either side, for `compare --from-trend`: the last run before and the first run after. */
  baselineRunId: string
  candidateRunId: string
  text: string
}

export interface Trend {
  workload: string
  variant: string
  params: ParamValues
  metric: TrendMetric
  unit: string
  better: 'higher' | 'lower'
  branch?: string
  points: TrendPoint[]
  changePoints: TrendChangePoint[]
  /** Why fewer change points could be claimed than asked, and what was left out. */
  notes: string[]
}

export interface BuildTrendOptions {
  workload: string
  variant?: string
  metric: TrendMetric
  branch?: string
  changePoints?: ChangePointOptions
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
}

/** A point's name in text: the short commit, or the run id. */
export const shortKey = (p: Pick<TrendPoint, 'key' | 'commit'>): string => (p.commit ? p.commit.slice(0, 7) : p.key)

/** Builds the trend of one workload variant (and one parameter set: the newest run's). */
export function buildTrend(runs: readonly RunSummary[], options: BuildTrendOptions): Trend {
  const def = TREND_METRICS[options.metric]
  const notes: string[] = []
  const usable = runs.filter(
    (r) => r.workload.id === options.workload && r.status === 'ok' && def.value(r) !== undefined && (!options.branch || r.git?.branch === options.branch),
  )
  const newest = [...usable].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))
  const variant = options.variant ?? newest[0]?.workload.variant ?? ''
  const ofVariant = newest.filter((r) => r.workload.variant === variant)
  const variants = [...new Set(usable.map((r) => r.workload.variant))]
  if (!options.variant && variants.length > 1) notes.push(`variant ${variant} (the newest run's); others in the store: ${variants.filter((v) => v !== variant).join(', ')} (use --variant)`)
  const params = ofVariant[0]?.workload.params ?? {}
  const paramKey = JSON.stringify(sortParams(params))
  const series = ofVariant.filter((r) => JSON.stringify(sortParams(r.workload.params)) === paramKey)
  if (series.length < ofVariant.length) notes.push(`${ofVariant.length - series.length} run(s) with other parameters left out (this trend follows ${paramKey})`)

  const groups = new Map<string, RunSummary[]>()
  for (const r of series) {
    const key = r.git?.commit ?? r.id
    const list = groups.get(key)
    if (list) list.push(r)
    else groups.set(key, [r])
  }
  const points: TrendPoint[] = [...groups.entries()].map(([key, list]) => {
    const sorted = [...list].sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1))
    const git = sorted[0]?.git
    const values = sorted.map((r) => def.value(r) as number)
    return {
      key,
      ...(git ? { commit: git.commit } : {}),
      ...(git?.branch ? { branch: git.branch } : {}),
      ...(git?.subject !== undefined ? { subject: git.subject } : {}),
      time: git?.commitTime ?? (sorted[0] as RunSummary).createdAt,
      dirty: sorted.some((r) => r.git?.dirty === true),
      value: median(values),
      ...(values.length > 1 ? { low: Math.min(...values), high: Math.max(...values) } : {}),
      runIds: sorted.map((r) => r.id),
    }
  })
  points.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : (a.runIds[0] as string) < (b.runIds[0] as string) ? -1 : 1))

  if (points.length < MIN_TREND_POINTS) notes.push(`${points.length} point(s): at least ${MIN_TREND_POINTS} are needed before change points are claimed`)
  const found = detectChangePoints(points.map((p) => p.value), options.changePoints)
  const changePoints: TrendChangePoint[] = found.map((c) => {
    const from = points[c.index - 1] as TrendPoint
    const to = points[c.index] as TrendPoint
    const worse = def.better === 'higher' ? c.ratio < 1 : c.ratio > 1
    const fromName = shortKey(from)
    const toName = shortKey(to)
    return {
      index: c.index,
      before: c.before,
      after: c.after,
      ratio: c.ratio,
      pValue: c.pValue,
      direction: worse ? 'regressed' : 'improved',
      fromKey: from.key,
      toKey: to.key,
      baselineRunId: from.runIds[from.runIds.length - 1] as string,
      candidateRunId: to.runIds[0] as string,
      text: `between ${fromName} and ${toName}${to.subject ? ` ("${to.subject}")` : ''}, ${formatChange(c.ratio)} ${options.metric} (${worse ? 'worse' : 'better'}; p = ${c.pValue.toFixed(3)})`,
    }
  })
  return {
    workload: options.workload,
    variant,
    params,
    metric: options.metric,
    unit: def.unit,
    better: def.better,
    ...(options.branch ? { branch: options.branch } : {}),
    points,
    changePoints,
    notes,
  }
}

function sortParams(p: ParamValues): ParamValues {
  return Object.fromEntries(Object.entries(p).sort(([a], [b]) => a.localeCompare(b)))
}

/** A terminal sparkline of the values (eight block heights), with change points marked under it by the caller. */
export function sparkline(values: readonly number[]): string {
  const blocks = '▁▂▃▄▅▆▇█'
  if (values.length === 0) return ''
  const lo = Math.min(...values)
  const hi = Math.max(...values)
  return values.map((v) => blocks[hi > lo ? Math.min(7, Math.floor(((v - lo) / (hi - lo)) * 8)) : 3]).join('')
}
