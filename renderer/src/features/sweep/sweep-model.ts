/**
 * Pure helpers of the sweep view: which parameter a group of runs swept, and throughput, p99, peak
 * memory and (for a parallelism parameter) scaling efficiency per value of it, one series per variant.
 * Unit-tested on plain run summaries.
 */
import type { RunSummary } from '../../../../core/model/run.js'
import { isParallelismParam } from '../../../../core/model/sweep.js'

/** The numeric parameter whose value differs across the runs (the first such, by name); null when none does. */
export function sweptParameter(runs: readonly Pick<RunSummary, 'workload'>[]): string | null {
  const values = new Map<string, Set<number>>()
  const numeric = new Set<string>()
  for (const r of runs) {
    for (const [k, v] of Object.entries(r.workload.params)) {
      if (typeof v !== 'number') continue
      numeric.add(k)
      let set = values.get(k)
      if (!set) values.set(k, (set = new Set()))
      set.add(v)
    }
  }
  const swept = [...numeric].filter((k) => (values.get(k)?.size ?? 0) > 1).sort()
  return swept[0] ?? null
}

// Which parameters mean parallelism is the engine's rule too (the CLI's scaling table): one home, in core.
export { PARALLELISM_PARAMS, isParallelismParam } from '../../../../core/model/sweep.js'

export interface SweepPoint {
  x: number
  opsPerSec: number | null
  p99Ns: number | null
  /** Mean peak RSS of the runs at this value, in bytes. */
  peakRssBytes: number | null
  /**
   * Throughput against ideal linear scaling from the smallest x: opsPerSec / (ops₀ · x / x₀); 1 is perfect.
   * Null unless the swept parameter is a parallelism parameter.
   */
  efficiency: number | null
  /** The throughput ideal linear scaling would give: ops₀ · x / x₀ (parallelism parameters only). */
  idealOpsPerSec: number | null
  runCount: number
}

export interface SweepSeries {
  variant: string
  points: SweepPoint[]
}

const mean = (xs: number[]): number | null => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length)

/** Ok runs grouped by variant, then by the swept value (repeats averaged), x ascending. */
export function sweepSeries(runs: readonly RunSummary[], param: string): SweepSeries[] {
  const byVariant = new Map<string, Map<number, RunSummary[]>>()
  for (const r of runs) {
    const x = r.workload.params[param]
    if (r.status !== 'ok' || typeof x !== 'number') continue
    let m = byVariant.get(r.workload.variant)
    if (!m) byVariant.set(r.workload.variant, (m = new Map()))
    m.set(x, [...(m.get(x) ?? []), r])
  }
  return [...byVariant]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([variant, m]) => {
      const raw = [...m]
        .sort(([a], [b]) => a - b)
        .map(([x, rs]) => ({
          x,
          opsPerSec: mean(rs.flatMap((r) => (r.opsPerSec !== undefined ? [r.opsPerSec] : []))),
          p99Ns: mean(rs.flatMap((r) => (r.p99Ns !== undefined ? [r.p99Ns] : []))),
          peakRssBytes: mean(rs.flatMap((r) => (r.peakRssBytes !== undefined ? [r.peakRssBytes] : []))),
          runCount: rs.length,
        }))
      const scaling = isParallelismParam(param)
      const first = raw.find((p) => p.opsPerSec !== null && p.x > 0)
      return {
        variant,
        points: raw.map((p) => {
          const ideal = scaling && first && first.opsPerSec !== null && first.opsPerSec > 0 && p.x > 0 ? (first.opsPerSec * p.x) / first.x : null
          return { ...p, idealOpsPerSec: ideal, efficiency: ideal !== null && p.opsPerSec !== null ? p.opsPerSec / ideal : null }
        }),
      }
    })
}

/** The series on one x axis (the union of all x values), in uPlot's aligned-columns shape. */
export function alignSweep(series: readonly SweepSeries[], pick: (p: SweepPoint) => number | null): [number[], ...(number | null)[][]] {
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b)
  return [
    xs,
    ...series.map((s) =>
      xs.map((x) => {
        const p = s.points.find((q) => q.x === x)
        return p ? pick(p) : null
      }),
    ),
  ]
}

/** One offered rate of an open-loop sweep: latency from the intended start, achieved rate, kept up. */
export interface LoadPoint {
  offered: number
  achieved: number
  p50Ns: number
  p99Ns: number | null
  p999Ns: number
  maxNs: number
  keptUp: boolean
  /** The first offered rate this variant did not keep up with. */
  saturated: boolean
}

export interface LoadSeries {
  variant: string
  points: LoadPoint[]
}

/** True when the group's runs are open-loop runs at different offered rates (`hotpath sweep --rate`). */
export function isRateSweep(runs: readonly Pick<RunSummary, 'load'>[]): boolean {
  return runs.length > 1 && runs.every((r) => r.load !== undefined) && new Set(runs.map((r) => r.load!.offeredOpsPerSec)).size > 1
}

/** Ok open-loop runs by variant, by offered rate ascending, with the saturation point marked. */
export function rateSweepSeries(runs: readonly RunSummary[]): LoadSeries[] {
  const byVariant = new Map<string, LoadPoint[]>()
  for (const r of runs) {
    if (r.status !== 'ok' || !r.load) continue
    const list = byVariant.get(r.workload.variant) ?? []
    list.push({ offered: r.load.offeredOpsPerSec, achieved: r.load.achievedOpsPerSec, p50Ns: r.load.p50Ns, p99Ns: r.p99Ns ?? null, p999Ns: r.load.p999Ns, maxNs: r.load.maxNs, keptUp: r.load.keptUp, saturated: false })
    byVariant.set(r.workload.variant, list)
  }
  return [...byVariant]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([variant, points]) => {
      points.sort((a, b) => a.offered - b.offered)
      const at = points.findIndex((p) => !p.keptUp)
      if (at >= 0) points[at]!.saturated = true
      return { variant, points }
    })
}

/** Columns for a chart of one latency statistic per variant against the offered rate. */
export function alignLoad(series: readonly LoadSeries[], pick: (p: LoadPoint) => number | null): [number[], ...(number | null)[][]] {
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p.offered)))].sort((a, b) => a - b)
  return [xs, ...series.map((s) => xs.map((x) => (s.points.find((p) => p.offered === x) ? pick(s.points.find((p) => p.offered === x)!) : null)))]
}
