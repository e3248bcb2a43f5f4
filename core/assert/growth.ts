/**
 * Growth of a post-GC memory series over a soak. The estimator: the mean of the samples in the last
 * quarter of the soak's time span against the mean of those in the first quarter, (last − first) / first,
 * so a cache that warms in the first seconds and then stays flat does not read as a leak; plus the
 * ordinary least-squares slope over all samples with its 95% Student-t interval (slope ± t₀.₉₇₅,n−2 · SE).
 */
import type { GrowthRecord } from '../model/load.js'
import { studentTQuantile } from '../stats/significance.js'

export interface SeriesPoint {
  /** Milliseconds from the start of the soak. */
  tMs: number
  value: number
}

/** OLS slope of value on time (per second) with its 95% interval; needs 3 points for an interval. */
export function regressionSlope(points: readonly SeriesPoint[]): { slope: number; low?: number; high?: number } {
  const n = points.length
  if (n < 2) return { slope: 0 }
  let mt = 0
  let mv = 0
  for (const p of points) {
    mt += p.tMs / 1000
    mv += p.value
  }
  mt /= n
  mv /= n
  let sxx = 0
  let sxy = 0
  for (const p of points) {
    const dt = p.tMs / 1000 - mt
    sxx += dt * dt
    sxy += dt * (p.value - mv)
  }
  if (sxx === 0) return { slope: 0 }
  const slope = sxy / sxx
  if (n < 3) return { slope }
  let sse = 0
  for (const p of points) {
    const r = p.value - mv - slope * (p.tMs / 1000 - mt)
    sse += r * r
  }
  const se = Math.sqrt(sse / (n - 2) / sxx)
  const t = studentTQuantile(0.975, n - 2)
  return { slope, low: slope - t * se, high: slope + t * se }
}

/**
 * Growth from the first to the last quarter of the series' time span. Undefined with fewer than two
 * samples or when no sample falls in a quarter.
 */
export function computeGrowth(points: readonly SeriesPoint[]): GrowthRecord | undefined {
  if (points.length < 2) return undefined
  const t0 = points[0]!.tMs
  const t1 = points[points.length - 1]!.tMs
  const span = t1 - t0
  if (!(span > 0)) return undefined
  const first = points.filter((p) => p.tMs <= t0 + span / 4)
  const last = points.filter((p) => p.tMs >= t1 - span / 4)
  if (first.length === 0 || last.length === 0) return undefined
  const mean = (xs: readonly SeriesPoint[]): number => xs.reduce((s, p) => s + p.value, 0) / xs.length
  const a = mean(first)
  const b = mean(last)
  const { slope, low, high } = regressionSlope(points)
  return {
    firstQuarterMean: a,
    lastQuarterMean: b,
    growth: a > 0 ? (b - a) / a : 0,
    slopePerSec: slope,
    ...(low !== undefined ? { slopeLowPerSec: low } : {}),
    ...(high !== undefined ? { slopeHighPerSec: high } : {}),
    samples: points.length,
  }
}
